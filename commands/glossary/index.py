"""Finding glossary terms: by what someone typed (typos, plurals, the expanded form of an acronym), and in
ordinary group messages (jargon watch). Pure and in memory: built once per group and kept until the group's
glossary changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

#: A typed word or term: letters, digits, and the & and ' inside words ("A&E", "carer's").
WORD = re.compile(r"[^\W_](?:[\w&'’]*[^\W_])?")
#: A lookup this sure (rapidfuzz ratio, 0–100) answers at once; down to UNSURE it offers "did you mean".
SURE, UNSURE = 88, 70
#: A word typed on its own that is part of longer terms ("trust") offers them at this score.
PART_OF = 75.0


@dataclass(frozen=True, slots=True)
class Term:
    key: str  # folded term: how a group's own entry overrides a seeded one
    term: str  # as written: "ICB"
    meaning: str
    example: str = ""
    also: tuple[str, ...] = ()  # other forms: "integrated care board"
    seeded: bool = False
    #: Explained when it comes up in the group's chat (jargon watch). Everyday words ("minutes", "place")
    #: can be looked up but are not watched for.
    watch: bool = True

    @property
    def in_capitals(self) -> bool:
        """Written in capitals (ICB, IT, OT): matched in messages only in capitals, so "it" is never IT."""
        letters = [c for c in self.term if c.isalpha()]
        return bool(letters) and self.term == self.term.upper()

    def title(self) -> str:
        """ "ICB (integrated care board)", or just the term."""
        return f"{self.term} ({self.also[0]})" if self.in_capitals and self.also else self.term


def fold(text: str) -> str:
    """How terms are compared: lower case, ’ as ', words only, single spaces."""
    return " ".join(WORD.findall(text.replace("’", "'").casefold()))


def singular(word: str) -> str:
    """A plain guess at one of a plural ("plans" → "plan", "ICBs" → "ICB"); short words stay as they are."""
    lowered = word.casefold()
    if len(word) > 3 and lowered.endswith("'s"):
        return word[:-2]
    if len(word) > 3 and lowered.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 2 and lowered.endswith("s") and not lowered.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class GlossaryIndex:
    terms: list[Term]
    by_key: dict[str, Term] = field(init=False)
    _forms: dict[str, Term] = field(init=False)  # every folded form (term and also), singular too
    _phrases: dict[str, Term] = field(init=False)  # folded forms matched in any case in messages
    _capitals: dict[str, Term] = field(init=False)  # capital terms, matched as written
    _choices: list[str] = field(init=False)
    _choice_terms: list[Term] = field(init=False)
    _part_of: dict[str, list[Term]] = field(init=False)  # a word: the longer terms it is part of
    _longest: int = field(init=False)

    def __post_init__(self) -> None:
        self.terms = sorted(self.terms, key=lambda t: fold(t.term))
        self.by_key = {t.key: t for t in self.terms}
        self._forms, self._phrases, self._capitals = {}, {}, {}
        self._choices, self._choice_terms, self._part_of = [], [], {}
        for term in self.terms:
            for form in (term.term, *term.also):
                folded = fold(form)
                if not folded:
                    continue
                self._forms.setdefault(folded, term)
                words = folded.split()
                self._forms.setdefault(" ".join([*words[:-1], singular(words[-1])]), term)
                self._choices.append(folded)
                self._choice_terms.append(term)
                if len(words) > 1:
                    for word in words:
                        self._part_of.setdefault(word, []).append(term)
                if not term.watch:
                    continue
                if form == term.term and term.in_capitals:
                    self._capitals[" ".join(WORD.findall(form))] = term
                else:
                    self._phrases.setdefault(folded, term)
        self._longest = max((len(p.split()) for p in self._phrases), default=1)
        self._longest = max(self._longest, max((len(c.split()) for c in self._capitals), default=1))

    # ---- /define --------------------------------------------------------------------------------------------

    def lookup(self, typed: str) -> tuple[Term | None, list[Term]]:
        """The term meant, or None and up to three it may have been (best first)."""
        folded = fold(typed)
        if not folded:
            return None, []
        words = folded.split()
        for candidate in (folded, " ".join([*words[:-1], singular(words[-1])])):
            if candidate in self._forms:
                return self._forms[candidate], []
        found = process.extract(folded, self._choices, scorer=fuzz.ratio, limit=6, score_cutoff=UNSURE)
        scored = [(self._choice_terms[position], float(score)) for _choice, score, position in found]
        if len(words) == 1 and len(folded) >= 4:  # "trust": the terms it is part of
            scored += [(term, PART_OF) for term in self._part_of.get(folded, ())]
        scored.sort(key=lambda pair: -pair[1])
        ranked: list[tuple[Term, float]] = []
        for term, score in scored:
            if all(term is not seen for seen, _s in ranked):
                ranked.append((term, score))
        if not ranked:
            return None, []
        best, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score >= SURE and best_score - runner_up >= 5:
            return best, []
        return None, [term for term, _score in ranked[:3]]

    # ---- jargon watch ---------------------------------------------------------------------------------------

    def find_in(self, text: str) -> list[Term]:
        """Terms used in a message, whole words only, in the order they appear (each once). Terms written in
        capitals match only in capitals (a plural "ICBs" too); other terms and phrases in any case."""
        words = WORD.findall(text.replace("’", "'"))
        found: list[Term] = []
        i = 0
        while i < len(words):
            matched = 0
            for size in range(min(self._longest, len(words) - i), 0, -1):
                chunk = words[i : i + size]
                as_written = " ".join(chunk)
                term = self._capitals.get(as_written)
                if term is None and chunk[-1][-1:] == "s":  # a plural or possessive: "ICBs", "ICB's"
                    last = chunk[-1][:-2] if chunk[-1][-2:-1] == "'" else chunk[-1][:-1]
                    term = self._capitals.get(" ".join([*chunk[:-1], last]))
                if term is None:
                    lowered = [w.casefold() for w in chunk]
                    term = self._phrases.get(" ".join(lowered)) or self._phrases.get(
                        " ".join([*lowered[:-1], singular(lowered[-1])])
                    )
                if term is not None:
                    if term not in found:
                        found.append(term)
                    matched = size
                    break
            i += matched or 1
        return found

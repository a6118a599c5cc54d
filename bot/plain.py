"""Plain-language checks, for /plain and for discussion papers when they are added: how easy a text is to
read (Flesch reading ease, with textstat), its long sentences, and plainer words for common jargon.

Used by more than one feature, so it lives in the core; features add their own lines (glossary terms)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import textstat  # type: ignore[import-untyped]

from bot.i18n import _

#: Sentences longer than this many words are pointed out.
LONG_SENTENCE = 25
#: Reading ease this high or higher is easy to read for most people.
EASY = 70

#: Common officialese and the plainer word (after the Plain English Campaign's A to Z of alternative words).
PLAINER: dict[str, str] = {
    "utilise": "use",
    "utilize": "use",
    "utilisation": "use",
    "facilitate": "help",
    "commence": "start",
    "terminate": "end",
    "endeavour": "try",
    "ascertain": "find out",
    "prior to": "before",
    "in order to": "to",
    "in relation to": "about",
    "with regard to": "about",
    "in respect of": "about",
    "approximately": "about",
    "sufficient": "enough",
    "additional": "extra",
    "assistance": "help",
    "purchase": "buy",
    "require": "need",
    "requirement": "need",
    "demonstrate": "show",
    "implement": "carry out",
    "objective": "aim",
    "optimise": "make the most of",
    "leverage": "use",
    "going forward": "from now on",
    "stakeholders": "people involved",
    "service users": "people who use services",
    "cohort": "group",
    "modality": "type",
    "deliverables": "results",
    "capacity": "time or staff",
    "signpost": "point to",
    "in due course": "later",
    "notwithstanding": "even though",
    "subsequently": "later",
    "consequently": "so",
    "therefore": "so",
    "whilst": "while",
    "numerous": "many",
    "indicate": "show",
    "obtain": "get",
    "provide": "give",
    "regarding": "about",
    "concerning": "about",
    "initiate": "start",
    "in excess of": "more than",
    "a number of": "some",
    "at this point in time": "now",
}
_PLAINER = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(PLAINER, key=len, reverse=True)) + r")\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class PlainCheck:
    reading_ease: float
    words: int
    long_sentences: list[str] = field(default_factory=list)
    plainer: list[tuple[str, str]] = field(default_factory=list)  # (as written, plainer word)

    def describe(self) -> str:
        """The reading ease in words people know."""
        score = self.reading_ease
        if score >= 80:
            return _("very easy to read")
        if score >= EASY:
            return _("easy to read")
        if score >= 60:
            return _("fairly easy to read")
        if score >= 50:
            return _("fairly hard to read")
        return _("hard to read")

    def lines(self) -> list[str]:
        """As short sentences a screen reader reads well."""
        lines = [
            _("Reading ease: {score:.0f} out of 100, {described} (70 or more is easy for most people).").format(
                score=self.reading_ease, described=self.describe()
            )
        ]
        if self.long_sentences:
            lines.append(
                _("{n} sentences are longer than {limit} words. The first starts: “{start}…”").format(
                    n=len(self.long_sentences), limit=LONG_SENTENCE, start=" ".join(self.long_sentences[0].split()[:8])
                )
                if len(self.long_sentences) > 1
                else _("One sentence is longer than {limit} words. It starts: “{start}…”").format(
                    limit=LONG_SENTENCE, start=" ".join(self.long_sentences[0].split()[:8])
                )
            )
        else:
            lines.append(_("No sentence is longer than {limit} words.").format(limit=LONG_SENTENCE))
        if self.plainer:
            pairs = "; ".join(_("“{word}” could be “{plain}”").format(word=w, plain=p) for w, p in self.plainer[:8])
            lines.append(_("Plainer words: {pairs}.").format(pairs=pairs))
        return lines


def check(text: str) -> PlainCheck:
    """Reading ease, long sentences and plainer words for `text`."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    long_ones = [s for s in sentences if len(s.split()) > LONG_SENTENCE]
    seen: dict[str, str] = {}
    for match in _PLAINER.finditer(text):
        word = match.group(0)
        seen.setdefault(word.casefold(), word)
    plainer = [(written, PLAINER[folded]) for folded, written in seen.items()]
    ease = float(textstat.flesch_reading_ease(text)) if text.split() else 100.0
    return PlainCheck(max(min(ease, 100.0), 0.0), len(text.split()), long_ones, plainer)

"""Matching skills to needs: a small curated list of synonyms (so "I'm good with spreadsheets" is Excel), plain
words of their own, and fuzzy matching for typos (rapidfuzz). Pure: no storage, no platform."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

#: A tag and the words people use for it. Kept small and plain; members' own words count too.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "excel": ("excel", "spreadsheet", "spreadsheets", "google sheets", "numbers in tables", "pivot tables"),
    "budgets": ("budget", "budgets", "finance", "finances", "accounts", "accounting", "bookkeeping", "money"),
    "writing": ("writing", "write", "reports", "report writing", "copywriting", "letters"),
    "proofreading": ("proofreading", "proof reading", "editing", "checking documents", "spelling"),
    "easy read": ("easy read", "plain english", "plain language", "accessible information"),
    "public speaking": ("public speaking", "speaking", "presenting", "presentations", "talks"),
    "chairing": ("chairing", "chair", "running meetings", "facilitating", "facilitation"),
    "minute taking": ("minute taking", "minutes", "note taking", "taking notes", "notes"),
    "computers": ("computers", "computer", "it support", "laptops", "tech", "technology", "zoom", "teams"),
    "social media": ("social media", "facebook", "twitter", "instagram", "tiktok", "posts"),
    "design": ("design", "graphic design", "posters", "leaflets", "canva", "drawing", "art"),
    "photography": ("photography", "photos", "photographs", "camera", "video", "filming"),
    "research": ("research", "surveys", "survey", "questionnaires", "interviews", "interviewing", "data"),
    "languages": ("languages", "translation", "translating", "interpreting", "urdu", "polish", "punjabi", "welsh"),
    "sign language": ("bsl", "sign language", "british sign language", "makaton"),
    "listening": ("listening", "befriending", "peer support", "mentoring", "buddy", "support"),
    "teaching": ("teaching", "training", "tutoring", "coaching", "explaining"),
    "events": ("events", "organising", "organizing", "planning events", "fundraising", "catering"),
    "law": ("law", "legal", "rights", "benefits advice", "welfare rights"),
    "caring": ("caring", "carer", "looking after", "dementia", "learning disability", "autism"),
}
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "for",
        "from",
        "good",
        "great",
        "have",
        "help",
        "i",
        "i'm",
        "im",
        "in",
        "is",
        "it",
        "like",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "some",
        "that",
        "the",
        "their",
        "them",
        "to",
        "too",
        "use",
        "used",
        "using",
        "very",
        "was",
        "we",
        "with",
        "would",
        "you",
        "your",
        "able",
        "well",
        "know",
        "about",
        "how",
        "skills",
        "skill",
        "do",
        "doing",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'&-]*")
#: Two words this alike (rapidfuzz ratio) are the same word typed differently.
ALIKE = 88


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def tags_of(text: str) -> list[str]:
    """The tags a skill or a need carries: synonym-list tags, and its own plain words."""
    words = words_of(text)
    joined = " " + " ".join(words) + " "
    tags: list[str] = []
    for tag, phrases in SYNONYMS.items():
        if any(f" {p} " in joined for p in phrases) or any(
            len(w) >= 5 and len(p) >= 5 and " " not in p and fuzz.ratio(w, p) >= ALIKE for w in words for p in phrases
        ):
            tags.append(tag.replace(" ", "_"))
    for word in words:
        plain = _singular(word.strip("'-"))
        if len(plain) >= 4 and plain not in STOPWORDS and plain not in tags:
            tags.append(plain)
    return tags


def score(need: list[str], skill: list[str]) -> float:
    """How well a skill's tags fit a need's: shared tags, and words alike enough (typos)."""
    shared = len(set(need) & set(skill))
    alike = sum(1 for n in need for s in skill if n != s and len(n) >= 5 and len(s) >= 5 and fuzz.ratio(n, s) >= ALIKE)
    return shared + 0.5 * alike

"""Text normalisation and fuzzy token matching for component search (pure Python).

"PT-410", "pt 410", "PT410" and "Cryomech 410" all normalise to tokens that
meet: lower case, punctuation to spaces, a space between letters and digits.
A query token matches an entry token exactly, as a prefix, or by trigram
similarity (typos such as "cryomeck").
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPLIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9.]+")
_LONE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")  # a dot not inside a decimal number
MIN_TOKEN_SIMILARITY = 0.45  # below this a query word is taken as absent (trigram Jaccard)


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, letters and digits split: ``"PT-410" -> "pt 410"``."""
    text = _LONE_DOT.sub(" ", _NON_ALNUM.sub(" ", text.lower()))
    return " ".join(_SPLIT.sub(" ", text).split())


def tokens(text: str) -> list[str]:
    """Normalised words of ``text`` (empty strings dropped)."""
    return [t for t in normalise(text).split() if t]


@lru_cache(maxsize=65536)
def trigrams(token: str) -> frozenset[str]:
    """Trigrams of a token padded with two leading and one trailing space."""
    padded = f"  {token} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def token_similarity(query: str, word: str) -> float:
    """1 for equal, 0.9 for a prefix, else the trigram Jaccard index (0..1)."""
    if query == word:
        return 1.0
    if word.startswith(query):
        return 0.9
    a, b = trigrams(query), trigrams(word)
    return len(a & b) / len(a | b)


def score(query_tokens: list[str], entry_tokens: list[str]) -> float:
    """Mean best similarity of every query token; 0 when any token finds no match."""
    if not query_tokens:
        return 1.0
    words = set(entry_tokens)
    total = 0.0
    for q in query_tokens:
        if q in words:
            total += 1.0
            continue
        best = max((token_similarity(q, w) for w in words), default=0.0)
        if best < MIN_TOKEN_SIMILARITY:
            return 0.0
        total += best
    return total / len(query_tokens)


def sql_fragments(token: str) -> list[str]:
    """Substrings any entry text matching ``token`` contains at least one of (the SQL prefilter).

    Short tokens (≤ 3 characters) must appear as they are; longer ones by any of
    their inner trigrams, so a typo still reaches the Python scoring.
    """
    if len(token) <= 3:
        return [token]
    return sorted({token[i : i + 3] for i in range(len(token) - 2)})

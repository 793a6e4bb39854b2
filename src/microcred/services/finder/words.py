"""The words of a text as the finder indexes and matches them, the same in every language.

Lower case, accents folded (``für`` -> ``fur``, ``ß`` -> ``ss``), split on anything that is not a
letter or a digit, short words and the commonest English and German words left out. A query
word matches every indexed word it begins (``kompet`` finds ``kompetenz``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

MAX_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = (
    "a an and are as at be by for from has in into is it of on or the their this to with "
    "your you we our can will not no "
    "der die das den dem des ein eine einer eines einem und oder im in ist mit von zu zur "
    "zum fur auf aus bei sie ihr ihre wir sich als an am auch nicht wie"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """Return the indexable words of ``text``, in order."""
    return [
        word[:MAX_LENGTH]
        for word in _WORD.findall(fold(text))
        if len(word) > 1 and word not in STOP_WORDS
    ]


def weighted_words(parts: list[tuple[str, float]]) -> dict[str, float]:
    """Return each word of the weighted texts with its summed weight (a repeat counts less)."""
    weights: defaultdict[str, float] = defaultdict(float)
    for text, weight in parts:
        for word, count in Counter(words(text)).items():
            weights[word] += weight * (1 + 0.25 * (min(count, 5) - 1))
    return dict(weights)

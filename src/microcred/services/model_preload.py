"""The sentence-embedding model, loaded in the background when the server starts.

Reading the model's weights takes tens of seconds on a small machine. Without a preload the
first recognition case a server opens waits that long with nothing to show; with it the
server starts at once, the recognition page says how far the loading has come, and a case
opened meanwhile waits only for what is left (it shares the one load, see `load_model`).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from microcred.services.text_similarity import (
    ModelUnavailable,
    load_model,
    model_installed,
    model_loaded,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelState:
    """Where the model stands for a page: ``ready``, ``loading``, ``idle`` (not asked for yet),
    ``unavailable`` (not installed: comparisons use the lexical method) or ``failed``."""

    state: str
    seconds: int = 0  # since the loading started, while it runs


class ModelPreload:
    """One background load of the model per process, and its state."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "idle"
        self._started = 0.0

    def start(self) -> bool:
        """Start loading in a background thread; False when it is loaded, running or absent."""
        with self._lock:
            if self._state != "idle" or model_loaded():
                return False
            if not model_installed():
                self._state = "unavailable"
                return False
            self._state, self._started = "loading", time.monotonic()
        threading.Thread(target=self._load, name="model-preload", daemon=True).start()
        return True

    def _load(self) -> None:
        try:
            load_model()
        except (ModelUnavailable, OSError, RuntimeError, ImportError) as error:
            # Comparisons fall back to the lexical method; the class says enough for the log.
            log.warning("the sentence-embedding model did not load (%s)", type(error).__name__)
            state = "failed"
        else:
            log.info("the sentence-embedding model is loaded")
            state = "ready"
        with self._lock:
            self._state = state

    def state(self) -> ModelState:
        """Return where the model stands now."""
        if model_loaded():
            return ModelState("ready")
        with self._lock:
            if self._state == "idle" and not model_installed():
                return ModelState("unavailable")
            seconds = int(time.monotonic() - self._started) if self._state == "loading" else 0
            return ModelState(self._state, seconds)


MODEL_PRELOAD = ModelPreload()

"""Recognition's comparison model loads in the background, and the page shows how far it is."""

from __future__ import annotations

from fastapi.testclient import TestClient
from gaps_support import OFFICER, Site, sign_in

from microcred.services.model_preload import MODEL_PRELOAD, ModelPreload
from microcred.services.text_similarity import model_installed, model_loaded
from waiting import wait_for


def test_the_preload_runs_once_and_ends_ready_or_says_why_not() -> None:
    preload = ModelPreload()
    started = preload.start()
    assert preload.start() is False  # never a second load, running or done
    if not model_installed():
        assert (started, preload.state().state) == (False, "unavailable")
        return
    assert started or model_loaded()
    assert preload.state().state in ("loading", "ready")
    wait_for(lambda: preload.state().state != "loading", 300, "the model to load")
    assert preload.state().state == "ready" and model_loaded()


def test_the_recognition_page_starts_the_load_and_polls_its_progress(site: Site) -> None:
    client = sign_in(TestClient(site.app), OFFICER)
    page = client.get("/recognition")
    assert page.status_code == 200
    state = MODEL_PRELOAD.state().state
    assert state != "idle"  # the page asked for the model
    if state == "loading":
        assert 'hx-get="/recognition/model"' in page.text and "<progress" in page.text
    line = client.get("/recognition/model")
    assert line.status_code == 200 and 'id="model-state"' in line.text
    wait_for(lambda: MODEL_PRELOAD.state().state != "loading", 300, "the model to load")
    ready = client.get("/recognition/model").text
    assert "hx-trigger" not in ready  # no more polling once it is there
    if model_installed():
        assert "is ready" in ready


def test_the_progress_line_is_for_recognition_officers_only(site: Site) -> None:
    anonymous = TestClient(site.app).get("/recognition/model", follow_redirects=False)
    assert anonymous.status_code in (303, 401, 403)
    assert "model-state" not in anonymous.text

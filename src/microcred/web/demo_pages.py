"""The demo outbox in the browser: the e-mail `microcred demo` kept instead of sending.

- ``GET /demo/outbox``: the messages, newest first (to, subject, time);
- ``GET /demo/outbox/{number}``: one message, its text with clickable links;
- ``GET /demo/outbox/{number}/html``: its HTML part, as the learner's mail program shows it.
Anyone may look, in demo mode only: the demo's learners are fictional and a demo has no inbox.
Outside demo mode every one of these is 404, as if it did not exist.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from microcred.i18n import _
from microcred.services.delivery.outbox import DEMO_OUTBOX, KeptMessage
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)

# The e-mail's own styles are inline; nothing else in it may load or run.
MESSAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"
)


def _demo_only(request: Request) -> None:
    if not request.app.state.settings.demo_mode:
        raise HTTPException(404, detail=_("Not found."))


def _message_or_404(request: Request, number: int) -> KeptMessage:
    _demo_only(request)
    kept = DEMO_OUTBOX.find(number)
    if kept is None:
        raise HTTPException(404, detail=_("The demo outbox has no such message."))
    return kept


@router.get("/demo/outbox", response_class=HTMLResponse)
def outbox(request: Request) -> HTMLResponse:
    _demo_only(request)
    return render(request, "demo_outbox.html", {"messages": DEMO_OUTBOX.messages()})


@router.get("/demo/outbox/{number}", response_class=HTMLResponse)
def message(request: Request, number: int) -> HTMLResponse:
    kept = _message_or_404(request, number)
    return render(request, "demo_message.html", {"message": kept})


@router.get("/demo/outbox/{number}/html", response_class=HTMLResponse)
def message_html(request: Request, number: int) -> HTMLResponse:
    kept = _message_or_404(request, number)
    return HTMLResponse(kept.html, headers={"Content-Security-Policy": MESSAGE_POLICY})

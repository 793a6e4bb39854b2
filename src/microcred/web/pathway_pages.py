"""The pathway pages: a learner's progress on every pathway (met, missing, suggestions)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from microcred.api.auth import signed_in
from microcred.api.pathways import pathways_of
from microcred.domain.accounts import Principal
from microcred.web.templating import render

router = APIRouter()


@router.get("/pathways", response_class=HTMLResponse)
def progress_page(request: Request, principal: Principal = Depends(signed_in)) -> HTMLResponse:
    progress = pathways_of(request).learner_progress(principal.email)
    return render(request, "pathways.html", {"nav": "wallet", "progress": progress})

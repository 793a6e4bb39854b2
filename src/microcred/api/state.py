"""What a request handler reaches through the application: the catalogue and the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from microcred.domain.compliance import check
from microcred.domain.compliance.report import ComplianceReport
from microcred.domain.specification import Specification
from microcred.services.catalogue import Catalogue

T = TypeVar("T")


def made_once(request: Request, name: str, make: Callable[[], T]) -> T:
    """Return the application's ``name`` (an attribute of its state), made on first use."""
    made: T | None = getattr(request.app.state, name, None)
    if made is None:
        made = make()
        setattr(request.app.state, name, made)
    return made


def catalogue_of(request: Request) -> Catalogue:
    """Return the application's catalogue (set up by ``create_app``)."""
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def compliance_report(request: Request, spec: Specification) -> ComplianceReport:
    """Return the compliance report of ``spec`` under this installation's settings."""
    return check(spec, eslp_min_eqf=request.app.state.settings.eslp_min_eqf)

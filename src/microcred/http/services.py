"""The application's services as a request handler reaches them: one each, made on first use.

Each lives on ``app.state`` for the life of the application, so hooks, caches and the verifier
set-up are shared by every request and by both faces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI, Request

from microcred.domain.compliance import check
from microcred.domain.compliance.report import ComplianceReport
from microcred.domain.specification import Specification
from microcred.jobs.context import JobContext
from microcred.jobs.runner import JobRunner, runner_for
from microcred.services.accounts import Accounts
from microcred.services.api_tokens import ApiTokens
from microcred.services.app_awards import app_awards
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.finder import Finder
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.ob2_upgrades import Ob2Upgrades
from microcred.services.oid4vci import Oid4vciIssuer
from microcred.services.oid4vp import PresentationVerifier
from microcred.services.pathways import Pathways
from microcred.services.recognition import Recognition
from microcred.services.sessions import Sessions
from microcred.services.status import StatusLists
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet
from microcred.verify.fetch import fetch_credential

T = TypeVar("T")


def made_once(request: Request, name: str, make: Callable[[], T]) -> T:
    """Return the application's ``name`` (an attribute of its state), made on first use."""
    return _made_once(request.app, name, make)


def _made_once(app: FastAPI, name: str, make: Callable[[], T]) -> T:
    made: T | None = getattr(app.state, name, None)
    if made is None:
        made = make()
        setattr(app.state, name, made)
    return made


def catalogue_of(request: Request) -> Catalogue:
    """Return the application's catalogue (set up by ``create_app``)."""
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def compliance_report(request: Request, spec: Specification) -> ComplianceReport:
    """Return the compliance report of ``spec`` under this installation's settings."""
    return check(spec, eslp_min_eqf=request.app.state.settings.eslp_min_eqf)


def accounts_of(request: Request) -> Accounts:
    return made_once(request, "accounts", lambda: Accounts(request.app.state.database))


def sessions_of(request: Request) -> Sessions:
    return made_once(request, "sessions", lambda: Sessions(request.app.state.database))


def tokens_of(request: Request) -> ApiTokens:
    return made_once(request, "api_tokens", lambda: ApiTokens(request.app.state.database))


def issuer_keys_of(request: Request) -> IssuerKeys:
    """Return the application's issuer keys, set up on first use from its database and settings."""
    return _issuer_keys(request.app)


def _issuer_keys(app: FastAPI) -> IssuerKeys:
    return _made_once(
        app, "issuer_keys", lambda: IssuerKeys(app.state.database, app.state.settings)
    )


def credential_issuer_of(request: Request, status: StatusLists | None = None) -> CredentialIssuer:
    """Return the application's credential issuer (catalogue, keys and settings together),
    on the application's status lists when given."""
    keys = issuer_keys_of(request)
    return CredentialIssuer(catalogue_of(request), keys, keys.settings, status)


def status_lists_of(request: Request) -> StatusLists:
    """Return the application's status lists, set up on first use."""

    def make() -> StatusLists:
        keys = issuer_keys_of(request)
        return StatusLists(request.app.state.database, keys, keys.settings)

    return made_once(request, "status_lists", make)


def instance_verifier_of(request: Request) -> InstanceVerifier:
    """Return the application's verifier (see `services.verifier`), set up on first use.

    Every face of this application that verifies goes through it: the VC API, the verify and
    public credential pages, the wallet, recognition and OpenID4VP.
    """
    return made_once(
        request,
        "instance_verifier",
        lambda: InstanceVerifier(
            issuer_keys_of(request), status_lists_of(request), request.app.state.settings
        ),
    )


def ob2_upgrades_of(request: Request) -> Ob2Upgrades:
    """Return the upgrade of Open Badges 2.0 badges to 3.0, on the application's status lists
    and verifier."""
    return Ob2Upgrades(
        credential_issuer_of(request, status_lists_of(request)), instance_verifier_of(request)
    )


def presentation_verifier_of(request: Request) -> PresentationVerifier:
    """Return the application's presentation verifier (our keys, this instance's verifier)."""
    return PresentationVerifier(issuer_keys_of(request), verifier=instance_verifier_of(request))


def oid4vci_of(request: Request) -> Oid4vciIssuer:
    """Return the application's OpenID4VCI issuer."""
    return Oid4vciIssuer(credential_issuer_of(request))


def awards_of(request: Request) -> Awards:
    """Return the application's awards service (its ``on_issued`` hooks live as long as it)."""
    return app_awards_of(request.app)


def app_awards_of(app: FastAPI) -> Awards:
    """Return ``app``'s awards service, built once with the application's hooks."""

    def make() -> Awards:
        keys = _issuer_keys(app)
        issuer = CredentialIssuer(app.state.catalogue, keys, keys.settings)
        return app_awards(app.state.database, app.state.settings, issuer)

    return _made_once(app, "awards", make)


def job_runner_of(request: Request) -> JobRunner:
    """Return the application's job runner (started with the app; made here if it was not)."""
    runner: JobRunner | None = getattr(request.app.state, "job_runner", None)
    return runner or start_job_runner(request.app)


def start_job_runner(app: FastAPI) -> JobRunner:
    """Start ``app``'s job runner and queue the work a stopped or killed server left."""
    awards = app_awards_of(app)
    runner = runner_for(JobContext(db=awards.db, awards=awards))
    app.state.job_runner = runner
    runner.resume_unfinished()
    return runner


def stop_job_runner(app: FastAPI) -> None:
    """Stop ``app``'s job runner after the chunk in hand; unfinished jobs resume at next start."""
    runner: JobRunner | None = getattr(app.state, "job_runner", None)
    if runner is not None:
        runner.stop()
        app.state.job_runner = None


def finder_of(request: Request) -> Finder:
    """Return the application's finder (made on first use)."""
    return made_once(request, "finder", lambda: Finder(request.app.state.database))


def wallet_of(request: Request) -> Wallet:
    """Return the application's wallet service."""
    return made_once(
        request,
        "wallet",
        lambda: Wallet(
            request.app.state.database, instance_verifier_of(request), fetch=fetch_credential
        ),
    )


def pathways_of(request: Request) -> Pathways:
    """Return the application's pathways service (its awards run the app's hooks)."""

    def make() -> Pathways:
        awards = awards_of(request)
        return Pathways(awards.issuer.catalogue, awards, wallet_of(request))

    return made_once(request, "pathways", make)


def recognition_of(request: Request) -> Recognition:
    """Return the application's recognition service (the embedding model loads on first use)."""
    return made_once(
        request,
        "recognition",
        lambda: Recognition(
            catalogue_of(request), instance_verifier_of(request), wallet_of(request)
        ),
    )

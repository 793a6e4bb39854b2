"""The web application: the JSON API under /api and the server-rendered pages, in one app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from microcred import __version__
from microcred.api import awards as awards_api
from microcred.api import did_web, oid4vci, oid4vp, vc_derive, vc_issue
from microcred.api import errors as api_errors
from microcred.api import personal_data as personal_data_api
from microcred.api import status as status_api
from microcred.api.lean_routes import install_lean_routes
from microcred.api.router import router as api_router
from microcred.api.vc_verify import router as vc_verify_router
from microcred.api.verifier_slots import VerifierSlots
from microcred.config import Settings
from microcred.crypto.key_sealing import SealError
from microcred.domain.validation import SpecificationInvalid
from microcred.formats.jsonld import use_operator_contexts
from microcred.http import auth
from microcred.http.faces import is_api_request
from microcred.http.services import start_job_runner, stop_job_runner
from microcred.observability.checks import check_kek
from microcred.observability.installation import install_observability
from microcred.observability.log_format import configure_logging
from microcred.observability.schema import ensure_current_schema
from microcred.security import install_security
from microcred.services.bulk.signing import close_shared_pool
from microcred.services.catalogue import (
    Catalogue,
    InstitutionNotFound,
    InvalidInput,
    PublishRefused,
    SpecificationNotFound,
)
from microcred.services.model_preload import MODEL_PRELOAD
from microcred.store.database import Database
from microcred.web import errors as web_errors
from microcred.web.language import LanguageMiddleware
from microcred.web.router import router as web_router
from microcred.web.secret_key import secret_key

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "web" / "static"
SWAGGER_UI = "/static/vendor/swagger-ui"

DESCRIPTION = (
    "Describe micro-credentials with the European standard elements of Council Recommendation "
    "2022/C 243/02 and check them against the EU, E-SLP and MICROBOL profiles. Bad input gets "
    "422 with one `{element, rule, message, severity}` entry per problem and changes nothing."
)


def create_app(
    settings: Settings | None = None, database: Database | None = None, *, migrate: bool = False
) -> FastAPI:
    """Return the microcred web application on a database with the current schema.

    An out-of-date schema is migrated only when ``migrate`` (or MICROCRED_AUTO_MIGRATE) says
    so; otherwise `SchemaOutOfDate` names the command to run.
    """
    settings = settings or Settings()
    use_operator_contexts(settings.contexts_dir)
    database = database or Database(settings.database_url.get_secret_value())
    ensure_current_schema(database, migrate=migrate or settings.auto_migrate)
    # Checked once at start: a KEK that cannot open the issuer keys makes /readyz not ready
    # (and `microcred serve` refuse to start) instead of failing every signing later.
    key_check = check_kek(database, settings)
    # Every request resolves who is asking first, so a wrong or revoked token is refused (401)
    # everywhere, on public routes too, and each route reads the principal from there.
    app = FastAPI(
        title="microcred",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        dependencies=[Depends(auth.current_user)],
        lifespan=_jobs_lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.key_check = key_check
    app.state.catalogue = Catalogue(database)
    # Made here, not on first use: two first requests at once must share one set of slots.
    app.state.verifier_slots = VerifierSlots()
    app.state.secret_key = secret_key(settings)
    app.add_middleware(LanguageMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_router)
    app.include_router(vc_verify_router)
    app.include_router(vc_issue.router)
    app.include_router(vc_derive.router)
    app.include_router(did_web.router)
    app.include_router(status_api.router)
    app.include_router(oid4vci.router)
    app.include_router(oid4vp.router)
    app.include_router(awards_api.router)
    app.include_router(personal_data_api.router)
    app.include_router(web_router)
    install_lean_routes(app)  # the VC API's POSTs without dependency solving
    _add_error_handlers(app)
    auth.install(app)
    _add_api_docs(app)
    install_security(app, settings)
    install_observability(app)
    return app


def app_from_environment() -> FastAPI:
    """Return the application configured by the environment alone, with logging set up.

    Each process of `microcred serve --workers N` starts from this factory: uvicorn spawns
    the processes, so nothing built in the parent (settings, database, app) reaches them.
    The parent has migrated the schema already when asked to.
    """
    settings = Settings()
    configure_logging(settings)
    # As `access_log=False` does in one process: uvicorn's access lines name the client's
    # address, our middleware logs each request without it.
    logging.getLogger("uvicorn.access").propagate = False
    app = create_app(settings)
    app.state.preload_model = True  # a real server: recognition's model loads at start-up
    return app


@asynccontextmanager
async def _jobs_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the job runner with the app (resuming what a killed server left); stop it, and
    the signing processes, after."""
    await run_in_threadpool(start_job_runner, app)
    if getattr(app.state, "preload_model", False):
        MODEL_PRELOAD.start()  # a thread of its own: the server answers meanwhile
    yield
    recorder = getattr(app.state, "verification_recorder", None)
    if recorder is not None:  # checks answered are recorded before the process ends
        await run_in_threadpool(recorder.flush)
    await run_in_threadpool(stop_job_runner, app)
    await run_in_threadpool(close_shared_pool)


def _add_api_docs(app: FastAPI) -> None:
    """Serve the interactive API documentation at /docs with the vendored Swagger UI.

    The page starts Swagger UI from a static script, so the Content-Security-Policy needs no
    inline script (FastAPI's own docs page has one).
    """

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(API_DOCS_PAGE)


API_DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>microcred API</title>
<link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css">
<link rel="icon" href="{SWAGGER_UI}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


SIGNING_UNAVAILABLE = (
    "signing is unavailable: the server's key-encryption key does not open the issuer keys; "
    "the operator must set the right MICROCRED_KEK (see 'microcred doctor')"
)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SealError)
    def key_unusable(request: Request, error: SealError) -> Response:
        # The detail (which key, which file) is for the operator's log, not for the client.
        log.error("a sealed key cannot be opened: %s", error)
        if is_api_request(request):
            issue = api_errors.request_issue("issuer key", SIGNING_UNAVAILABLE)
            return api_errors.problem_response(503, [issue])
        return web_errors.error_page(request, 503, SIGNING_UNAVAILABLE)

    @app.exception_handler(SpecificationInvalid)
    def invalid_specification(request: Request, error: SpecificationInvalid) -> Response:
        return api_errors.problem_response(422, error.issues)

    @app.exception_handler(PublishRefused)
    def publish_refused(request: Request, error: PublishRefused) -> Response:
        return api_errors.problem_response(409, error.issues)

    @app.exception_handler(SpecificationNotFound)
    def specification_not_found(request: Request, error: SpecificationNotFound) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(InstitutionNotFound)
    def institution_not_found(request: Request, error: InstitutionNotFound) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(InvalidInput)
    def invalid_input(request: Request, error: InvalidInput) -> Response:
        return api_errors.problem_response(422, [api_errors.request_issue("body", str(error))])

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if is_api_request(request):
            return api_errors.problem_response(422, api_errors.request_issues(error))
        return web_errors.invalid_request_page(request, error)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, error: HTTPException) -> Response:
        if is_api_request(request) or request.url.path.startswith("/static/"):
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=error.headers
            )
        return web_errors.http_error_page(request, error)

"""microcred as an LTI 1.3 tool in an LMS, and the page where an institution sets it up.

Public, for platforms: ``/lti/jwks.json`` (the tool's keys), ``/lti/login`` (OIDC login
initiation, GET or POST) and ``/lti/launch`` (the redirect URI: resource-link and deep-linking
launches). A deep-linking launch shows the instructor the institution's micro-credentials and
the award rule; ``/lti/pick`` links the course and sends the signed answer back to the platform.
The pick form carries the pick's single-use token, which is what makes it safe to post (the
instructor comes from the LMS, not signed in here).

For the institution's staff: ``/institutions/{slug}/lms`` shows the values to copy into the LMS
and lists the linked courses; its administrators register a platform there; a registrar syncs a
course, which reads roster and grades and starts a bulk award job
(``/institutions/{slug}/lms/links/{id}/sync``).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcred.domain.accounts import Action, permits
from microcred.domain.course_rule import CourseRule, RuleError
from microcred.domain.display_text import display_text
from microcred.domain.specification_status import SpecificationStatus
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import awards_of, catalogue_of, job_runner_of, made_once
from microcred.i18n import _
from microcred.jobs.bulk import rows_job
from microcred.security.headers import content_security_policy
from microcred.services.catalogue import CatalogueError
from microcred.services.catalogue_query import CatalogueQuery
from microcred.services.installed_kek import installed_kek
from microcred.services.lti.course_links import CourseLinks, LinkRefused
from microcred.services.lti.launch import DEEP_LINKING_REQUEST, Launches, LaunchRefused
from microcred.services.lti.platforms import PlatformError, Platforms, Registration
from microcred.services.lti.sync import COLUMNS, SyncError, sync_rows
from microcred.services.lti.tool_key import ToolKey
from microcred.web import csrf
from microcred.web.bulk_pages import actor_of
from microcred.web.errors import error_page
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)

REGISTRATION_FIELDS = (
    "name",
    "issuer",
    "client_id",
    "deployment_ids",
    "auth_login_url",
    "token_url",
    "jwks_url",
)


def _base(request: Request) -> str:
    return str(request.app.state.settings.base_url).rstrip("/")


def tool_urls(request: Request) -> dict[str, str]:
    """Return the tool's URLs an LMS administrator copies into the registration."""
    base = _base(request)
    return {
        "login": f"{base}/lti/login",
        "launch": f"{base}/lti/launch",
        "deep_linking": f"{base}/lti/launch",
        "jwks": f"{base}/lti/jwks.json",
        "redirect": f"{base}/lti/launch",
    }


def tool_key_of(request: Request) -> ToolKey:
    db, settings = request.app.state.database, request.app.state.settings
    return made_once(
        request, "lti_tool_key", lambda: ToolKey(db, lambda: installed_kek(db, settings))
    )


def launches_of(request: Request) -> Launches:
    return Launches(request.app.state.database, tool_urls(request)["launch"])


def course_links_of(request: Request) -> CourseLinks:
    db = request.app.state.database
    return CourseLinks(
        db, catalogue_of(request), tool_key_of(request), tool_urls(request)["launch"]
    )


@router.get("/lti/jwks.json")
def tool_jwks(request: Request) -> JSONResponse:
    return JSONResponse(tool_key_of(request).jwks(), headers={"Cache-Control": "max-age=300"})


@router.api_route("/lti/login", methods=["GET", "POST"])
async def login_initiation(request: Request) -> Response:
    params = dict(request.query_params)
    if request.method == "POST":
        form = await request.form()
        params.update({name: str(value) for name, value in form.items() if isinstance(value, str)})
    try:
        where = await run_in_threadpool(launches_of(request).start_login, params)
    except LaunchRefused as refused:
        return error_page(request, 400, _("The LMS login was refused: {why}").format(why=refused))
    return RedirectResponse(where, status_code=302)


@router.post("/lti/launch", response_class=HTMLResponse)
async def launch(request: Request) -> HTMLResponse:
    form = await request.form()
    id_token, state = str(form.get("id_token") or ""), str(form.get("state") or "")
    # Fetching the platform's keys and checking a signature: not on the event loop.
    return await run_in_threadpool(_launched, request, id_token, state)


def _launched(request: Request, id_token: str, state: str) -> HTMLResponse:
    try:
        verified = launches_of(request).verify(id_token, state)
        links = course_links_of(request)
        if verified.message_type == DEEP_LINKING_REQUEST:
            return _pick_page(request, links.keep_pick(verified))
        link = links.note_launch(verified)
    except (LaunchRefused, LinkRefused) as refused:
        return error_page(request, 400, _("The LMS launch was refused: {why}").format(why=refused))
    context = {
        "launch": verified,
        "link": link,
        "title": _title(request, link.specification_id) if link else "",
    }
    return render(request, "lti_course.html", context)


def _title(request: Request, spec_id: str) -> str:
    try:
        record = catalogue_of(request).get(spec_id, status=SpecificationStatus.published)
    except CatalogueError:
        return spec_id
    return display_text(record.specification.title, request.state.lang)


def _pick_page(
    request: Request, token: str, problem: str = "", status_code: int = 200
) -> HTMLResponse:
    platform, kept = course_links_of(request).pick(token)
    query = CatalogueQuery(institution=platform.institution, status=SpecificationStatus.published)
    choices = [
        (record.id, display_text(record.specification.title, request.state.lang))
        for record in catalogue_of(request).search(query.model_copy(update={"limit": 200}))
    ]
    context = {
        "token": token,
        "course": kept["context_title"],
        "choices": choices,
        "problem": problem,
    }
    return render(request, "lti_pick.html", context, status_code=status_code)


@router.post("/lti/pick", response_class=HTMLResponse)
async def pick(request: Request) -> HTMLResponse:
    form = await request.form()
    values = {
        name: str(form.get(name) or "")
        for name in ("token", "spec_id", "rule", "threshold", "activity")
    }
    return await run_in_threadpool(_picked, request, values)


def _picked(request: Request, values: dict[str, str]) -> HTMLResponse:
    links = course_links_of(request)
    try:
        links.pick(values["token"])
    except LinkRefused as refused:
        return error_page(request, 400, str(refused))
    try:
        rule = CourseRule.of(values["rule"], values["threshold"], values["activity"])
        answer = links.link(values["token"], values["spec_id"], rule)
    except (RuleError, LinkRefused) as problem:
        return _pick_page(request, values["token"], str(problem), status_code=422)
    page = render(
        request,
        "lti_return.html",
        {"answer": answer, "title": _title(request, answer.link.specification_id)},
    )
    # The answer is posted to the platform: the page's form may go there, and nowhere else.
    parts = urlsplit(answer.return_url)
    page.headers["Content-Security-Policy"] = content_security_policy(
        (f"{parts.scheme}://{parts.netloc}",)
    )
    return page


def _administrator(
    request: Request, slug: str, action: Action = Action.manage_accounts
) -> HTMLResponse | None:
    signed_in(request)
    if not any(i.slug == slug for i in catalogue_of(request).list_institutions()):
        return error_page(request, 404, _("There is no institution with this address."))
    authorize(request, action, Target(slug))
    return None


def _setup_page(
    request: Request,
    slug: str,
    *,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    links = [
        (link, _title(request, link.specification_id), link.rule.describe())
        for link in course_links_of(request).of_institution(slug)
    ]
    context = {
        "slug": slug,
        "urls": tool_urls(request),
        "platforms": Platforms(request.app.state.database).of_institution(slug),
        "links": links,
        "values": values or {},
        "problems": problems or {},
        "message": message,
        "status_bad": status_code >= 400,
        "may_register": permits(signed_in(request), Action.manage_accounts, slug),
    }
    return render(request, "lti_setup.html", context, status_code=status_code)


@router.get("/institutions/{slug}/lms", response_class=HTMLResponse)
def setup_page(request: Request, slug: str) -> HTMLResponse:
    # Registrars see it to sync their courses; registering a platform is the administrators'.
    return _administrator(request, slug, Action.issue) or _setup_page(request, slug)


@router.post("/institutions/{slug}/lms", response_class=HTMLResponse)
def register_platform(
    request: Request, slug: str, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    refused = _administrator(request, slug)
    if refused:
        return refused
    values = {name: str(form.get(name) or "") for name in REGISTRATION_FIELDS}
    try:
        platform = Platforms(request.app.state.database).register(slug, Registration(**values))
    except PlatformError as error:
        return _setup_page(request, slug, values=values, problems=error.problems, status_code=422)
    message = _("The platform {name} is registered.").format(name=platform.name)
    return _setup_page(request, slug, message=message)


@router.post("/institutions/{slug}/lms/links/{link_id}/sync")
def sync_course(
    request: Request, slug: str, link_id: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    refused = _administrator(request, slug, Action.issue)
    if refused:
        return refused
    links = course_links_of(request)
    link = links.get(link_id)
    if link is None or link.institution != slug:
        return error_page(request, 404, _("This institution has no such course link."))
    platform = Platforms(request.app.state.database).get(link.platform_id)
    awards = awards_of(request)
    try:
        record = awards.issuable(link.specification_id, None)
    except CatalogueError:
        return _setup_page(
            request,
            slug,
            message=_("The linked micro-credential is not published."),
            status_code=409,
        )
    assert platform is not None  # a link goes with its platform (on delete cascade)
    try:
        found = sync_rows(link, platform, tool_key_of(request), date.today())
    except SyncError as error:
        return _setup_page(
            request,
            slug,
            message=_("The course could not be read: {why}").format(why=error),
            status_code=502,
        )
    awards.prepare(record)
    job = rows_job(
        awards.db,
        "bulk-award",
        found.rows,
        found.rejected,
        record,
        COLUMNS,
        actor=actor_of(request),
    )
    job_runner_of(request).submit(job.id)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)

"""Every route of the app either is on the public list or refuses an anonymous request.

A new route that nobody protected fails here until it is protected or listed as public.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from accounts.conftest import World, browser_client
from accounts.routes import routes_of

# What anyone may use without signing in (docs/roles.md).
PUBLIC = {
    ("GET", "/"),  # the catalogue of published specifications
    ("GET", "/specifications/{spec_id}"),  # published versions only
    ("GET", "/api/specifications"),
    ("GET", "/api/specifications/{spec_id}"),
    ("GET", "/api/specifications/{spec_id}/versions"),
    ("GET", "/api/specifications/{spec_id}/versions/{version}"),
    ("GET", "/api/specifications/{spec_id}/compliance"),
    ("GET", "/api/institutions"),
    ("GET", "/api/vocabularies"),
    ("GET", "/api/vocabularies/{name}"),
    ("POST", "/api/compliance/check"),  # checks a posted document, stores nothing
    ("POST", "/designer/check"),  # the same check for the designer form
    ("GET", "/verify"),
    ("POST", "/verify"),
    ("POST", "/credentials/verify"),
    ("POST", "/presentations/verify"),
    ("POST", "/credentials/derive"),  # the holder derives from their own credential, stores nothing
    # The demo's e-mail outbox: 404 unless the server runs as `microcred demo`.
    ("GET", "/demo/outbox"),
    ("GET", "/demo/outbox/{number}"),
    ("GET", "/demo/outbox/{number}/html"),
    ("GET", "/.well-known/did.json"),
    ("GET", "/did.json"),
    ("GET", "/institutions/{slug}/did.json"),
    ("GET", "/status/{institution}/{purpose}/{list_no}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/signup"),  # a learner signs up: the e-mailed code proves the address
    ("POST", "/signup"),
    ("POST", "/signup/confirm"),
    ("POST", "/logout"),
    ("GET", "/login/oidc"),
    ("GET", "/login/oidc/callback"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    ("GET", "/openapi.json"),
    # A learner's claim link is itself the credential to claim with (capability URL).
    ("GET", "/claim/{token}"),
    ("POST", "/claim/{token}/code"),
    ("POST", "/claim/{token}/confirm"),
    ("POST", "/claim/{token}/public"),
    ("GET", "/claim/{token}/{filename}"),
    ("POST", "/claim/{token}/wallet-offer"),
    # Pages a learner chose to make public.
    ("GET", "/credentials/{segment}"),
    ("GET", "/credentials/{segment}/{filename}"),
    # Institutions' branding, which their public pages and e-mails load.
    ("GET", "/institutions/{slug}/brand.css"),
    ("GET", "/institutions/{slug}/logo"),
    # OpenID4VCI: the wallet-facing protocol protects itself (pre-authorised code, access token).
    ("GET", "/.well-known/openid-credential-issuer"),
    ("GET", "/.well-known/oauth-authorization-server"),
    ("POST", "/oid4vci/token"),
    ("POST", "/oid4vci/nonce"),
    ("POST", "/oid4vci/credential"),
    # OpenID4VP: a verifier asks a wallet for a presentation; the wallet answers. Like the
    # verifier page, it stores no one's data and needs no account.
    ("POST", "/api/oid4vp/requests"),
    ("GET", "/oid4vp/requests/{request_id}"),
    ("POST", "/oid4vp/response"),
    # The mapping report: published specifications (and drafts the asker may see).
    ("GET", "/mapping"),
    ("GET", "/mapping/report.css"),
    ("GET", "/mapping/report.pdf"),
    ("GET", "/mapping/tables.xlsx"),
    ("GET", "/mapping/tables/{name}.csv"),
    ("GET", "/mapping/template.csv"),
    ("GET", "/mapping/template.xlsx"),
    # The course finder: published offers only; saving needs a signed-in learner.
    ("GET", "/courses"),
    ("GET", "/courses/guide"),
    ("GET", "/courses/{spec_id}"),
    ("GET", "/api/courses"),
    ("GET", "/api/courses/{spec_id}/elm"),
    ("GET", "/api/feed/courses.json"),
    # A pathway and its stacked credential's compliance, as GET /api/pathways/{id} shows it.
    ("GET", "/pathways/design/{pathway_id}"),
    ("GET", "/api/feed/courses.schema.json"),
    # Pathways are part of the public offer; a share link is itself the permission.
    ("GET", "/api/pathways"),
    ("GET", "/api/pathways/{pathway_id}"),
    ("GET", "/shared/{token}"),
    # LTI 1.3: an LMS's launch protects itself (a signed ID token, a single-use state and nonce);
    # a deep-linking pick is protected by its single-use token; the tool's keys are public.
    ("GET", "/lti/jwks.json"),
    ("GET", "/lti/login"),
    ("POST", "/lti/login"),
    ("POST", "/lti/launch"),
    ("POST", "/lti/pick"),
    # Probes of load balancers and Prometheus (the proxy keeps /metrics internal; README).
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
}
API_PATHS = ("/api/", "/credentials/", "/presentations/")


def _fill(path: str, world: World) -> str:
    values = {"spec_id": world.b_published, "token_id": "1", "version": "1", "list_no": "1"}
    # Any other id: a well-formed one that names nothing.
    unknown = "00000000-0000-4000-8000-000000000000"
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match.group(1), unknown), path)


def test_the_public_list_names_only_routes_that_exist(world: World) -> None:
    assert PUBLIC - set(routes_of(world.app)) == set()


def test_every_other_route_refuses_an_anonymous_request(world: World) -> None:
    protected = [route for route in routes_of(world.app) if route not in PUBLIC]
    assert protected, "expected protected routes"
    let_through = []
    with browser_client(world.app) as client:
        page = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf
        for method, path in protected:
            url = _fill(path, world)
            if path.startswith(API_PATHS):
                response = client.request(method, url, json={})
                refused = response.status_code == 401 and "www-authenticate" in response.headers
            else:
                form = {"csrf_token": csrf.group(1)} if method == "POST" else None
                response = client.request(method, url, data=form, follow_redirects=False)
                location = response.headers.get("location", "")
                refused = response.status_code == 303 and location.startswith("/login?next=")
            if not refused:
                let_through.append(f"{method} {path} -> {response.status_code}")
    assert not let_through, "routes that let an anonymous request through:\n" + "\n".join(
        let_through
    )


@pytest.mark.parametrize("path", ["/designer", "/account"])
def test_a_protected_page_sends_the_visitor_to_log_in_and_back(world: World, path: str) -> None:
    with TestClient(world.app) as client:
        response = client.get(path, follow_redirects=False)
    assert response.headers["location"] == f"/login?next=%2F{path[1:]}"

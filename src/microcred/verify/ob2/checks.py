"""The checks of one Open Badges 2.0 assertion, in the report form every verification uses.

parse → assertion (a hosted one is read from its own URL: that copy decides) → badge_class →
issuer_profile → verification (hosted: the issuer's origin policy; signed: the JWS against the
issuer's key) → recipient → status (the ``revoked`` flag, 410 Gone, the issuer's revocation
list) → validity (``issuedOn``, ``expires``) → issuer_trust → ob2_limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from microcred.crypto.jose import JoseError
from microcred.crypto.pem_jws import verify_pem_jws
from microcred.verify.document import as_list, types_of
from microcred.verify.ob2.linked import LinkedDocuments, LinkInvalid, LinkUnavailable, gone
from microcred.verify.ob2.reading import Ob2Input, is_ob2_assertion, read_ob2
from microcred.verify.ob2.rules import (
    hosted_origin_problem,
    node_id,
    recipient_matches,
    revocation_of,
    same_host,
)
from microcred.verify.parse import Unparseable
from microcred.verify.report import CheckResult, CheckStatus, failed, indeterminate, ok, skipped
from microcred.verify.shape import parse_date_time
from microcred.verify.subject import Subject

HOSTED, SIGNED = "hosted", "signed"
_VERIFICATION_TYPES = {
    "hosted": HOSTED,
    "HostedBadge": HOSTED,
    "signed": SIGNED,
    "SignedBadge": SIGNED,
}
LIMITS = (
    "Open Badges 2.0 cannot prove: who holds the badge (the recipient is only a salted hash of an"
    " e-mail address, and anyone may copy the file); that the issuer is the institution it names"
    " (the issuer is a web address, with no legal identity or accreditation behind it); that a"
    " hosted badge or its BadgeClass still say what they said when awarded (the issuer's server"
    " may change them, and a hosted badge has no signature); the EU micro-credential elements"
    " (workload in ECTS, EQF level, assessment, quality assurance), which OB 2.0 does not carry."
)
Check = tuple[str, Any, tuple[str, ...]]


@dataclass
class Ob2Checks:
    """The checks of one OB 2.0 verification, and what they found along the way."""

    linked: LinkedDocuments
    recipient: str | None = None
    given: Ob2Input | None = None
    assertion: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
    badge_class: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)

    def checks(self) -> list[Check]:
        return [
            ("parse", self.check_parse, ()),
            ("assertion", self.check_assertion, ("parse",)),
            ("badge_class", self.check_badge_class, ("assertion",)),
            ("issuer_profile", self.check_issuer_profile, ("badge_class",)),
            ("verification", self.check_verification, ("issuer_profile",)),
            ("recipient", self.check_recipient, ("verification",)),
            ("status", self.check_status, ("verification",)),
            ("validity", self.check_validity, ("assertion",)),
            ("issuer_trust", self.check_issuer_trust, ("verification",)),
            ("ob2_limits", self.check_limits, ("parse",)),
        ]

    def check_parse(self, subject: Subject) -> CheckResult:
        try:
            self.given = read_ob2(subject.given)
        except Unparseable as error:
            return failed("parse", str(error))
        if self.given.assertion is not None and not is_ob2_assertion(self.given.assertion):
            return failed("parse", "not an Open Badges 2.0 assertion (no OB context or type)")
        return ok("parse", f"an Open Badges 2.0 assertion ({self.given.form})", format="ob2")

    def check_assertion(self, subject: Subject) -> CheckResult:
        """The assertion's shape; a hosted one is replaced by the copy at its own id."""
        assert self.given is not None
        assertion = self.given.assertion or {}
        url = self.given.url
        if url is None and _verification_type(assertion) == HOSTED:
            url = node_id(assertion)
            if url is None:
                return failed("assertion", "a hosted assertion must have its URL as its id")
        if url is not None:
            hosted = self._fetched(url, "hosted assertion", "assertion")
            if isinstance(hosted, CheckResult):
                return hosted
            assertion = hosted
            if node_id(assertion) != url:
                return failed("assertion", f"the assertion at {url} gives another id")
        kind = _verification_type(assertion)
        problem = _assertion_problem(assertion, kind)
        if problem:
            return failed("assertion", problem)
        if self.given.jws is None and kind == SIGNED:
            return failed("assertion", "a signed assertion must be given as its JWS")
        self.assertion, self.kind = assertion, kind
        return ok(
            "assertion",
            f"a {kind} assertion issued on {assertion.get('issuedOn')}",
            id=node_id(assertion),
            verification_type=kind,
            issued_on=assertion.get("issuedOn"),
        )

    def check_badge_class(self, subject: Subject) -> CheckResult:
        found = self._node(self.assertion.get("badge"), "BadgeClass", "badge_class")
        if isinstance(found, CheckResult):
            return found
        if node_id(found.get("issuer")) is None:
            return failed("badge_class", "the BadgeClass names no issuer")
        self.badge_class = found
        name = found.get("name") if isinstance(found.get("name"), str) else ""
        return ok("badge_class", f"the BadgeClass {name!r}", id=node_id(found), title=name)

    def check_issuer_profile(self, subject: Subject) -> CheckResult:
        found = self._node(self.badge_class.get("issuer"), "Issuer", "issuer_profile")
        if isinstance(found, CheckResult):
            return found
        self.profile = found
        name = found.get("name") if isinstance(found.get("name"), str) else ""
        return ok("issuer_profile", f"the issuer {name!r}", id=node_id(found), title=name)

    def check_verification(self, subject: Subject) -> CheckResult:
        if self.kind == HOSTED:
            assertion_id = node_id(self.assertion) or ""
            problem = hosted_origin_problem(assertion_id, self.profile)
            if problem:
                return failed(
                    "verification", f"hosted at a place the issuer does not allow: {problem}"
                )
            return ok("verification", f"hosted at {assertion_id}, where the issuer allows")
        return self._signature()

    def check_recipient(self, subject: Subject) -> CheckResult:
        recipient = self.assertion.get("recipient")
        assert isinstance(recipient, dict)  # the assertion check saw to it
        kind = recipient.get("type", "email")
        if self.recipient is None:
            return skipped("recipient", f"not checked: give the recipient's {kind} to check it")
        if recipient_matches(recipient, self.recipient):
            return ok("recipient", f"awarded to {self.recipient}", type=kind)
        return failed("recipient", f"not awarded to {self.recipient}: the {kind} does not match")

    def check_status(self, subject: Subject) -> CheckResult:
        if self.assertion.get("revoked") is True:
            reason = self.assertion.get("revocationReason") or "no reason given"
            return failed("status", f"revoked by the issuer: {reason}")
        list_url = node_id(self.profile.get("revocationList"))
        if list_url is None:
            if self.kind == SIGNED:
                return ok("status", "the issuer publishes no revocation list to revoke it on")
            return ok("status", "the hosted assertion is not marked revoked")
        revocations = self._fetched(list_url, "revocation list", "status")
        if isinstance(revocations, CheckResult):
            return revocations
        reason = revocation_of(revocations, self.assertion)
        if reason is not None:
            return failed("status", f"revoked by the issuer: {reason or 'no reason given'}")
        return ok("status", f"not on the issuer's revocation list {list_url}")

    def check_validity(self, subject: Subject) -> CheckResult:
        bounds = {}
        for key in ("issuedOn", "expires"):
            if key in self.assertion:
                moment = parse_date_time(self.assertion[key], zone_required=False)
                if moment is None:
                    return failed("validity", f"{key} is not a date-time: {self.assertion[key]!r}")
                bounds[key] = moment
        if "issuedOn" in bounds and subject.now < bounds["issuedOn"]:
            return failed("validity", f"issued in the future ({self.assertion['issuedOn']})")
        if "expires" in bounds and subject.now > bounds["expires"]:
            return failed("validity", f"expired at {self.assertion['expires']}")
        until = f" until {self.assertion['expires']}" if "expires" in bounds else ""
        return ok("validity", f"valid from {self.assertion.get('issuedOn')}{until}")

    def check_issuer_trust(self, subject: Subject) -> CheckResult:
        issuer = node_id(self.profile) or ""
        entry = subject.trust.lookup(issuer)
        if entry is None:
            return CheckResult(
                name="issuer_trust",
                status=CheckStatus.untrusted,
                reason=f"{issuer} is not a trusted issuer here",
                details={"issuer": issuer},
            )
        return ok(
            "issuer_trust",
            f"{entry.name} ({issuer}) is a trusted issuer",
            issuer=issuer,
            trusted_name=entry.name,
        )

    def check_limits(self, subject: Subject) -> CheckResult:
        return CheckResult(name="ob2_limits", status=CheckStatus.warning, reason=LIMITS)

    # --- helpers ---

    def _fetched(self, url: str, what: str, name: str) -> dict[str, Any] | CheckResult:
        """Return the document at `url`, or check `name`'s result when it cannot be had: not
        proven (unreachable, late), or failed (not a JSON object; a hosted assertion gone)."""
        try:
            return self.linked.get(url, what)
        except LinkUnavailable as error:
            if name == "assertion" and gone(error):
                return failed(name, f"revoked: {url} answers 410 Gone")
            return indeterminate(name, str(error))
        except LinkInvalid as error:
            return failed(name, str(error))

    def _node(self, value: Any, wanted: str, name: str) -> dict[str, Any] | CheckResult:
        """Return the node a property names, or the result that says why it cannot be had.

        A node whose id is a web address is always fetched from it, even when embedded: that
        copy is the issuer's, while an embedded one is whatever the badge's maker wrote (a
        Profile claiming a university's id and listing the maker's own key, say).
        """
        url = node_id(value)
        found = value if isinstance(value, dict) else None
        if url is not None and url.startswith(("https://", "http://")):
            fetched = self._fetched(url, wanted, name)
            if isinstance(fetched, CheckResult):
                return fetched
            found = fetched
        if found is None:
            return failed(name, f"the {wanted} is neither embedded nor linked by a web address")
        accepted = {wanted, "Profile"} if wanted == "Issuer" else {wanted}
        if not accepted & set(types_of(found)):
            return failed(name, f"the document at {url} is not an Open Badges {wanted}")
        if url is not None and node_id(found) != url:
            return failed(name, f"the {wanted} at {url} gives another id")
        return found

    def _signature(self) -> CheckResult:
        """The JWS verifies with the issuer's key that `verification.creator` names."""
        assert self.given is not None and self.given.jws is not None
        policy = self.assertion.get("verification")
        creator = node_id(policy.get("creator")) if isinstance(policy, dict) else None
        listed = [node_id(k) for k in as_list(self.profile.get("publicKey"))]
        key_url = creator or next((k for k in listed if k), None)
        if key_url is None:
            return failed("verification", "neither verification.creator nor the issuer names a key")
        # A key's `owner` is only its host's say: the Profile must list it, or host it itself.
        if key_url not in listed and not same_host(key_url, node_id(self.profile) or ""):
            return failed("verification", f"the issuer does not list the key {key_url}")
        key = self._fetched(key_url, "signing key", "verification")
        if isinstance(key, CheckResult):
            return key
        if node_id(key.get("owner")) != node_id(self.profile):
            return failed("verification", f"the key {key_url} belongs to another issuer")
        pem = key.get("publicKeyPem")
        if not isinstance(pem, str):
            return failed("verification", f"the key {key_url} has no publicKeyPem")
        try:
            verify_pem_jws(self.given.jws, pem)
        except JoseError as error:
            return failed("verification", f"the signature does not verify: {error}")
        return ok("verification", f"signed with the issuer's key {key_url}", key=key_url)


def _verification_type(assertion: dict[str, Any]) -> str:
    policy = assertion.get("verification")
    stated = policy.get("type") if isinstance(policy, dict) else None
    return _VERIFICATION_TYPES.get(stated, "") if isinstance(stated, str) else ""


def _assertion_problem(assertion: dict[str, Any], kind: str) -> str | None:
    """Return what makes `assertion` no OB 2.0 Assertion, or None."""
    if not is_ob2_assertion(assertion):
        return "not an Open Badges 2.0 assertion (no OB context or type)"
    if not kind:
        return "verification.type must be hosted or signed"
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
        return "the recipient has no identity"
    if node_id(assertion.get("badge")) is None and not isinstance(assertion.get("badge"), dict):
        return "the assertion names no badge"
    if "issuedOn" not in assertion:
        return "the assertion has no issuedOn"
    return None

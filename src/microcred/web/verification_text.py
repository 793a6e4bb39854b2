"""A verification report in the viewer's language: check names, reasons, and the sentence
that comes first ("Anna Schmidt holds Urban Beekeeping (5 ECTS, EQF 5) from University of
Kaltenbach, issued 5 Dec 2026 — verified").

The report keeps each reason's English message and values apart (`CheckResult.message`,
`values`), so a page translates the message and fills the values in; a report read back from
JSON has only the English sentence, which is translated when it is a known message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date, format_datetime

from microcred.i18n import N_, current_language, gettext_
from microcred.verify.report import Verdict, VerificationReport
from microcred.verify.statement import CredentialStatement
from microcred.web.formatting import number_text

CHECK_LABELS = {
    "parse": N_("Reading the file"),
    "contexts": N_("Vocabularies (JSON-LD contexts)"),
    "data_model": N_("Credential structure"),
    "safe_mode": N_("Every term defined"),
    "proof": N_("Signature"),
    "issuer_binding": N_("Signed by the issuer"),
    "status": N_("Not revoked or suspended"),
    "validity": N_("Validity period"),
    "issuer_trust": N_("Trusted issuer"),
    "eu_profile": N_("EU micro-credential elements"),
    "seal": N_("Electronic seal"),
}


def check_label(name: str) -> str:
    """Return a check's name as a person reads it, in the current language."""
    label = CHECK_LABELS.get(name)
    return gettext_(label) if label else name


def reason_text(check: Any) -> str:
    """Return a check's reason in the current language (a result object or its JSON)."""
    read = check.get if isinstance(check, dict) else lambda key: getattr(check, key, None)
    message, values = read("message"), read("values") or {}
    if not message:
        return gettext_(str(read("reason") or ""))
    if "check" in values:  # "not checked: the proof check did not pass" names another check
        values = {**values, "check": check_label(str(values["check"]))}
    values = {name: _moment_text(value) for name, value in values.items()}
    translated = gettext_(message)
    return translated % values if values else translated


def _moment_text(value: Any) -> Any:
    """Return an ISO 8601 date-time as people read it ("6 Dec 2026, 03:47 UTC"); else `value`."""
    if not isinstance(value, str) or not _ISO_MOMENT.match(value):
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    lang = current_language()
    locale = _DATE_LOCALES.get(lang, lang)
    if moment.tzinfo is None:
        return format_datetime(moment, "medium", locale=locale)
    shown = format_datetime(moment, "medium", tzinfo=UTC, locale=locale)
    return f"{shown} UTC"


def statement_sentence(
    statement: CredentialStatement | None, report: VerificationReport, lang: str
) -> str:
    """Return the sentence a verifier reads first: what the credential says, and the verdict."""
    if statement is None:  # not a credential that names an achievement: the notice says it
        return ""
    verdict = _VERDICT_WORDS[report.verdict]
    values = {
        "holder": statement.holder or gettext_("The holder"),
        "title": statement.title + _facts(statement),
        "issuer": statement.issuer or gettext_("an unnamed issuer"),
        "date": format_date(statement.issued, format="medium", locale=_DATE_LOCALES.get(lang, lang))
        if statement.issued
        else "",
    }
    if report.verdict in (Verdict.verified, Verdict.verified_untrusted_issuer):
        claim = (
            gettext_("%(holder)s holds %(title)s from %(issuer)s, issued %(date)s")
            if statement.issued
            else gettext_("%(holder)s holds %(title)s from %(issuer)s")
        )
    else:
        claim = (
            gettext_("The file says %(holder)s holds %(title)s from %(issuer)s, issued %(date)s")
            if statement.issued
            else gettext_("The file says %(holder)s holds %(title)s from %(issuer)s")
        )
    return f"{claim % values} — {gettext_(verdict)}"


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# English dates as Europe writes them ("5 Dec 2026"), not as the US does.
_DATE_LOCALES = {"en": "en_GB"}
_VERDICT_WORDS = {
    Verdict.verified: N_("verified."),
    Verdict.verified_untrusted_issuer: N_(
        "the signature is sound, but the issuer is not one this installation knows."
    ),
    Verdict.indeterminate: N_("it could not be checked now; try again later."),
    Verdict.failed: N_("not verified: do not rely on it."),
}


def _facts(statement: CredentialStatement) -> str:
    """Return " (5 ECTS, EQF 5)", or less, or "" when the credential states neither."""
    facts = []
    if statement.ects is not None:
        facts.append(gettext_("%(ects)s ECTS") % {"ects": number_text(statement.ects)})
    if statement.eqf is not None:
        facts.append(gettext_("EQF %(level)s") % {"level": statement.eqf})
    return f" ({', '.join(facts)})" if facts else ""

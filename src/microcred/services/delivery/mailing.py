"""The e-mails of delivery: the claim link when a credential is issued, and one-time codes.

`ClaimMailer.on_issued` is registered on `Awards.on_issued`: after an award commits it opens a
claim for the credential and e-mails the link to the learner, in their language. Without an
e-mail address, or without an SMTP server configured, nothing is sent and the award stands.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from microcred.config import Settings
from microcred.formats.pdf.elements import date_text
from microcred.services.branding import Branding
from microcred.services.catalogue import Catalogue
from microcred.services.delivery.claims import CODE_LIFETIME, Claim, Claims
from microcred.services.delivery.delivered import DeliveredCredential, load_delivered
from microcred.services.delivery.email_message import compose
from microcred.services.delivery.links import claim_url, public_page_url
from microcred.services.delivery.smtp import can_send, send_message
from microcred.services.status import StatusLists

if TYPE_CHECKING:
    from microcred.services.awards import AwardRecord

log = logging.getLogger(__name__)


class ClaimMailer:
    def __init__(self, catalogue: Catalogue, status: StatusLists, settings: Settings) -> None:
        self.catalogue = catalogue
        self.status = status
        self.settings = settings
        self.claims = Claims(catalogue.db)

    def on_issued(self, award: AwardRecord) -> None:
        """Open a claim for the award's credential and e-mail its link to the learner."""
        if not award.learner_email:
            log.info("award %s has no e-mail address; no claim link sent", award.id)
            return
        if not can_send(self.settings):
            log.warning("no SMTP server configured; award %s was not e-mailed", award.id)
            return
        # A hook may run again after a crash (jobs/HOOKS.md): a link already sent is not resent.
        claim = self.claims.by_credential(award.credential_id)
        if claim is not None and claim.emailed_at is not None:
            log.info("award %s: claim link already e-mailed", award.id)
            return
        self.send_claim(award.credential_id, award.learner_email)

    def send_claim(self, credential_id: str, email: str) -> str:
        """Open (or reopen) the credential's claim, e-mail the link; return the token."""
        delivered = load_delivered(self.catalogue, self.status, credential_id)
        token = self.claims.open(credential_id, email, delivered.language)
        message = compose(
            "claim",
            to=email,
            sender=self.settings.smtp_from,
            language=delivered.language,
            context=self._context(delivered)
            | {"claim_url": claim_url(self.settings.base_url, token)},
        )
        send_message(self.settings, message)
        self.claims.mark_emailed(token)
        return token

    def send_code(self, token: str) -> Claim:
        """E-mail a new one-time code for the claim; return the claim."""
        claim, code = self.claims.new_code(token)
        delivered = load_delivered(self.catalogue, self.status, claim.credential_id)
        message = compose(
            "code",
            to=claim.email,
            sender=self.settings.smtp_from,
            language=claim.language,
            context=self._context(delivered)
            | {"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)},
        )
        send_message(self.settings, message)
        return claim

    def _context(self, delivered: DeliveredCredential) -> dict[str, object]:
        brand = Branding(self.catalogue.db).brand_of(delivered.institution.slug)
        return {
            "title": delivered.title,
            "learner_name": delivered.learner_name,
            "institution": delivered.institution_name,
            "valid_until": date_text(delivered.valid_until, delivered.language),
            "public_url": public_page_url(self.settings.base_url, delivered.credential_id),
            "colour": brand.primary_colour,
            "logo_url": self.settings.base_url.rstrip("/") + brand.logo_path
            if brand.has_logo
            else "",
        }

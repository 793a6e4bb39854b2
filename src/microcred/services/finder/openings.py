"""Telling learners when a saved course opens.

A saved course *opens* when one of its announced start dates falls within the next
``OPENING_WINDOW`` days (enrolment is then open in practice). Each learner gets one e-mail per
course and start date: the e-mail is logged in the same transaction that records it as sent,
so running ``microcred finder notify`` again (daily, from cron) sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

import sqlalchemy as sa

from microcred.config import Settings
from microcred.domain.specification import localise
from microcred.services.delivery.email_message import compose
from microcred.services.delivery.smtp import send_message
from microcred.services.finder.finder import Finder
from microcred.services.finder.search import Offer
from microcred.store.accounts_tables import UserRow
from microcred.store.finder_tables import FinderNotificationRow, SavedItemRow

OPENING_WINDOW = timedelta(days=30)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opening:
    """A saved course one learner should hear about: it starts on ``start``."""

    user_id: int
    email: str
    offer: Offer
    start: date


class Openings:
    def __init__(self, finder: Finder, settings: Settings) -> None:
        self.finder = finder
        self.settings = settings

    def due(self, today: date) -> list[Opening]:
        """Return the openings not yet announced: saved courses starting within the window."""
        offers = {offer.specification_id: offer for offer in self.finder.all_offers()}
        with self.finder.db.transaction(write=False) as session:
            saved = session.execute(
                sa.select(SavedItemRow.user_id, UserRow.email, SavedItemRow.ref)
                .join(UserRow, UserRow.id == SavedItemRow.user_id)
                .where(SavedItemRow.kind == "course", UserRow.is_active.is_(True))
            ).all()
            sent = set(
                session.execute(
                    sa.select(
                        FinderNotificationRow.user_id,
                        FinderNotificationRow.specification_id,
                        FinderNotificationRow.start_date,
                    )
                ).all()
            )
        due = []
        for user_id, email, spec_id in saved:
            offer = offers.get(spec_id)
            if offer is None:
                continue  # no longer published
            for start in offer.facts.starts:
                if (
                    today <= start <= today + OPENING_WINDOW
                    and (user_id, spec_id, start) not in sent
                ):
                    due.append(Opening(user_id, email, offer, start))
        return due

    def notify(self, today: date, language: str = "en") -> list[Opening]:
        """E-mail every due opening and log it; return those sent."""
        sent = []
        for opening in self.due(today):
            send_message(self.settings, self._message(opening, language))
            with self.finder.db.transaction() as session:
                session.add(
                    FinderNotificationRow(
                        user_id=opening.user_id,
                        specification_id=opening.offer.specification_id,
                        start_date=opening.start,
                        email=opening.email,
                    )
                )
            log.info("told %s that %s opens", opening.email, opening.offer.specification_id)
            sent.append(opening)
        return sent

    def _message(self, opening: Opening, language: str) -> EmailMessage:
        base = self.settings.base_url.rstrip("/")
        return compose(
            "course_opens",
            to=opening.email,
            sender=self.settings.smtp_from,
            language=language,
            context={
                "title": localise(opening.offer.title, language),
                "start": opening.start,
                "course_url": f"{base}/courses/{opening.offer.specification_id}",
                "saved_url": f"{base}/courses/saved",
            },
        )

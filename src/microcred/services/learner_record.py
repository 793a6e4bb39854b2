"""The learner record: one PDF listing every credential in a wallet, with its verification."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from fpdf import FPDF

from microcred.formats.pdf import fonts
from microcred.services.held_credentials import (
    awarded_on,
    described_specification,
    payload_of,
)
from microcred.services.wallet import WalletCredential

VERDICTS = {
    "verified": "verified",
    "verified_untrusted_issuer": "intact, issuer not in the trusted registry",
    "failed": "does not verify",
    "indeterminate": "could not be checked",
}


def learner_record_pdf(learner: str, entries: Sequence[WalletCredential], name: str = "") -> bytes:
    """Return the learner record of ``learner`` (A4 portrait): title, issuer, date, ECTS,
    EQF and verification of each credential, and the ECTS of the verified ones in total.

    ``name`` heads the record. Each credential is listed once (the wallet lists it once);
    one that names someone else is listed but not counted.
    """
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title("Learner record")
    pdf.add_font("Sans", "", fonts.SANS)
    pdf.add_font("Sans", "B", fonts.SANS_BOLD)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Sans", "B", 18)
    pdf.cell(0, 12, "Learner record", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 10)
    today = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if name:
        pdf.set_font("Sans", "B", 13)
        pdf.cell(0, 8, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 10)
    pdf.cell(
        0, 6, f"{learner} · {len(entries)} credentials · {today}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    total = 0.0
    for entry in entries:
        credential = payload_of(entry.document)
        spec = described_specification(credential)
        ects = spec.workload.ects
        if entry.verdict == "verified" and ects and not entry.someone_else:
            total += ects
        awarded = awarded_on(credential)
        pdf.set_font("Sans", "B", 12)
        pdf.multi_cell(0, 6, entry.title or entry.id, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 9)
        facts = [
            f"Issuer: {entry.issuer}",
            f"Awarded: {awarded.isoformat() if awarded else 'not stated'}",
            f"Workload: {f'{ects:g} ECTS' if ects is not None else 'not stated'}",
            f"Level: {spec.level.eqf.rsplit('/', 1)[-1] if spec.level.eqf else 'not stated'} (EQF)",
            f"Verification: {VERDICTS.get(entry.verdict.value, entry.verdict.value)}",
            *(["Not counted: the credential names someone else"] if entry.someone_else else []),
            f"Credential: {entry.id}",
        ]
        for fact in facts:
            pdf.multi_cell(0, 5, fact, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("Sans", "B", 11)
    pdf.cell(0, 8, f"Verified credentials total {total:g} ECTS", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

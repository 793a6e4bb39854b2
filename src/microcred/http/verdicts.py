"""The HTTP status of a verification's outcome, the same from the VC API and the verify page."""

from __future__ import annotations

from microcred.verify.report import Outcome

# A report that could not even be read is a 400; the face answering decides that.
OUTCOME_STATUS = {Outcome.verified: 200, Outcome.invalid: 422, Outcome.indeterminate: 424}

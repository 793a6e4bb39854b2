"""Open Badges 3.0: a Specification and an award as an `OpenBadgeCredential`, and back.

The EU standard elements Open Badges has no term for travel in the microcred extension
context (`EXTENSION_CONTEXT`, pinned in the package; docs/ob3-extension.md lists its terms).
"""

from microcred.formats.ob3.context import (
    CREDENTIAL_CONTEXTS,
    EXTENSION_CONTEXT,
    EXTENSION_VOCABULARY,
    extension_context,
)
from microcred.formats.ob3.errors import Ob3Error
from microcred.formats.ob3.identity import identity_hash
from microcred.formats.ob3.inputs import AwardData, Evidence, IssuerProfile
from microcred.formats.ob3.read import specification_from_ob3
from microcred.formats.ob3.render import render_achievement_credential

__all__ = [
    "CREDENTIAL_CONTEXTS",
    "EXTENSION_CONTEXT",
    "EXTENSION_VOCABULARY",
    "AwardData",
    "Evidence",
    "IssuerProfile",
    "Ob3Error",
    "extension_context",
    "identity_hash",
    "render_achievement_credential",
    "specification_from_ob3",
]

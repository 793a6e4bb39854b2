"""What a compliance finding's element is called on the designer form, and where it sits there.

Findings name elements by their path in the data (``quality_assurance.internal``); a person
reads the name of the form's section instead, and follows a link to it.
"""

from __future__ import annotations

from microcred.i18n import _

# The designer's sections: an Annex I element each, then the optional ones and the guidance.
ANNEX_SECTIONS = (
    "learner_identification",
    "title",
    "issuer_countries",
    "awarding_bodies",
    "learning_outcomes",
    "workload",
    "level",
    "assessment",
    "participation",
    "quality_assurance",
)
GUIDANCE = frozenset({"target_groups", "guidance_contact", "homepage", "start_dates", "price"})
SECTION_OF = {"nuts_regions": "issuer_countries", "description": "title"}


def _labels() -> dict[str, str]:
    return {
        "learner_identification": _("1. Identification of the learner"),
        "title": _("2. Title"),
        "description": _("Description"),
        "issuer_countries": _("3. Country and region of the issuer"),
        "nuts_regions": _("3. Country and region of the issuer"),
        "awarding_bodies": _("4. Awarding bodies"),
        "learning_outcomes": _("6. Learning outcomes"),
        "workload": _("7. Notional workload"),
        "level": _("8. Level"),
        "assessment": _("9. Type of assessment"),
        "participation": _("10. Form of participation"),
        "quality_assurance": _("11. Quality assurance"),
        "grading_scheme": _("Grading scheme"),
        "stackability": _("Integration and stackability"),
        "guidance_contact": _("Guidance for learners"),
        "target_groups": _("Guidance for learners"),
    }


def top_level(element: str) -> str:
    """Return the first name of a path: ``awarding_bodies[0].country`` -> ``awarding_bodies``."""
    return element.split(".")[0].split("[")[0]


def element_label(element: str) -> str:
    """Return the name of the form section holding ``element``, in the viewer's language."""
    name = top_level(element)
    if not name:
        return ""
    return _labels().get(name) or _("Optional elements")


def element_anchor(element: str) -> str:
    """Return the fragment of the designer form's section holding ``element`` (``#section-…``)."""
    name = SECTION_OF.get(top_level(element), top_level(element))
    if name in ANNEX_SECTIONS:
        return f"#section-{name}"
    return "#section-guidance" if name in GUIDANCE else "#section-optional"

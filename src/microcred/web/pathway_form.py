"""The pathway designer's form ⇄ a pathway's requirement.

The form holds the shape most pathways take: a group (all of, or n of) of rows, each row a
component (one of our specifications), "any credential matching" a criterion, or another
pathway (nesting), wrapped in optional conditions on the whole group: a minimum total of
ECTS, a minimum EQF level, and a time window. They wrap in that order, inside out::

    within(min_eqf(min_ects(all_of | n_of(rows))))

A requirement of another shape (groups inside groups, say) is edited as JSON in the form's
advanced field, which, when filled in, replaces everything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.i18n import _

ROW_KINDS = ("component", "matching", "pathway")
BLANK_ROWS = 2  # empty rows offered below the filled ones
MIN_ROWS = 3


@dataclass
class PathwayForm:
    """What the form shows: its field values, the rows, and each problem by field name."""

    values: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def with_blank_rows(self, extra: int = BLANK_ROWS) -> PathwayForm:
        """Return the form with ``extra`` empty rows below, and at least MIN_ROWS in all."""
        wanted = max(MIN_ROWS, len(self.rows) + extra)
        blanks = [{"kind": ""} for _ in range(wanted - len(self.rows))]
        return PathwayForm(self.values, [*self.rows, *blanks], self.errors)


def form_from_post(posted: Mapping[str, Any]) -> PathwayForm:
    """Return the form as posted: plain fields, and the filled rows (``items.N.field``)."""
    values: dict[str, str] = {}
    by_index: dict[int, dict[str, str]] = {}
    for name, raw in posted.items():
        if not isinstance(raw, str):
            continue
        if name.startswith("items."):
            index, _dot, key = name[len("items.") :].partition(".")
            if index.isdigit() and key:
                by_index.setdefault(int(index), {})[key] = raw.strip()
        else:
            values[name] = raw.strip()
    rows = [by_index[i] for i in sorted(by_index) if by_index[i].get("kind")]
    for row in rows:  # an unticked checkbox is not posted at all
        row.setdefault("trusted_issuer", "")
    values.setdefault("auto_award", "")
    return PathwayForm(values, rows)


def requirement_from_form(form: PathwayForm) -> dict[str, Any] | None:
    """Return the requirement the form describes, or None with ``form.errors`` filled in."""
    advanced = form.values.get("requirement_json", "")
    if advanced:
        return _from_json(form, advanced)
    items = [_row_rule(form, index, row) for index, row in enumerate(form.rows)]
    if not items:
        form.errors["items"] = _("Add at least one row: a component, a criterion or a pathway.")
    rule: dict[str, Any] = {"kind": "all_of", "items": items}
    if form.values.get("combine") == "n_of":
        rule = {"kind": "n_of", "n": _number(form, "n", whole=True, low=1), "items": items}
    ects = _number(form, "min_ects", low=0, optional=True)
    if ects:
        rule = {"kind": "min_ects", "ects": ects, "of": rule}
    level = _number(form, "min_eqf", whole=True, low=1, high=8, optional=True)
    if level is not None:
        rule = {"kind": "min_eqf", "level": level, "of": rule}
    window = {
        "start": form.values.get("start") or None,
        "end": form.values.get("end") or None,
        "days": _number(form, "days", whole=True, low=1, optional=True),
    }
    if any(value is not None for value in window.values()):
        rule = {"kind": "within", "of": rule, **window}
    return None if form.errors else rule


def form_from_requirement(requirement: Mapping[str, Any]) -> PathwayForm:
    """Return the form showing ``requirement``; one of another shape goes to the JSON field."""
    values: dict[str, str] = {}
    node: Mapping[str, Any] = requirement
    for kind, keys in (("within", ("start", "end", "days")), ("min_eqf", ("level",))):
        if node.get("kind") == kind:
            for key in keys:
                if node.get(key) is not None:
                    values["min_eqf" if key == "level" else key] = _text(node[key])
            node = node["of"]
    if node.get("kind") == "min_ects":
        values["min_ects"] = _text(node["ects"])
        node = node["of"]
    if node.get("kind") in ROW_KINDS:
        node = {"kind": "all_of", "items": [node]}
    items = node.get("items", [])
    if node.get("kind") not in ("all_of", "n_of") or any(
        item.get("kind") not in ROW_KINDS for item in items
    ):
        return PathwayForm({"requirement_json": json.dumps(requirement, indent=2)}, [])
    values["combine"] = str(node["kind"])
    if node["kind"] == "n_of":
        values["n"] = str(node["n"])
    return PathwayForm(values, [_row_values(item) for item in items])


def _row_rule(form: PathwayForm, index: int, row: dict[str, str]) -> dict[str, Any]:
    where = f"items.{index}"
    kind = row.get("kind", "")
    title = row.get("title", "")
    if kind == "component":
        if not row.get("specification_id"):
            form.errors[f"{where}.specification_id"] = _("Choose the specification.")
        return {"kind": kind, "specification_id": row.get("specification_id", ""), "title": title}
    if kind == "pathway":
        if not row.get("pathway_id"):
            form.errors[f"{where}.pathway_id"] = _("Choose the pathway.")
        return {"kind": kind, "pathway_id": row.get("pathway_id", "")}
    if kind == "matching":
        fields = {f"{where}.{key}": value for key, value in row.items()}
        row_form = PathwayForm(fields, errors=form.errors)
        criterion = {
            "trusted_issuer": row.get("trusted_issuer") == "on",
            "esco_skills": row.get("esco_skills", "").split(),
            "isced_f": [code.strip() for code in row.get("isced_f", "").split(",") if code.strip()],
            "min_ects": _number(row_form, f"{where}.min_ects", low=0, optional=True),
            "badge_classes": row.get("badge_classes", "").split(),
        }
        count = _number(row_form, f"{where}.count", whole=True, low=1, optional=True) or 1
        return {"kind": kind, "criterion": criterion, "count": count, "title": title}
    form.errors[f"{where}.kind"] = _("Choose what this row asks for.")
    return {}


def _row_values(item: Mapping[str, Any]) -> dict[str, str]:
    row = {"kind": str(item["kind"]), "title": str(item.get("title", ""))}
    if item["kind"] == "component":
        row["specification_id"] = str(item["specification_id"])
    elif item["kind"] == "pathway":
        row["pathway_id"] = str(item["pathway_id"])
    else:
        criterion = item.get("criterion", {})
        row["trusted_issuer"] = "on" if criterion.get("trusted_issuer", True) else ""
        row["esco_skills"] = "\n".join(criterion.get("esco_skills", []))
        row["isced_f"] = ", ".join(criterion.get("isced_f", []))
        row["badge_classes"] = "\n".join(criterion.get("badge_classes", []))
        if criterion.get("min_ects") is not None:
            row["min_ects"] = _text(criterion["min_ects"])
        row["count"] = str(item.get("count", 1))
    return row


def _from_json(form: PathwayForm, text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        form.errors["requirement_json"] = _("Not valid JSON: %(error)s (line %(line)d).") % {
            "error": error.msg,
            "line": error.lineno,
        }
        return None
    if not isinstance(value, dict):
        form.errors["requirement_json"] = _("The requirement must be a JSON object.")
        return None
    return value


def _number(
    form: PathwayForm,
    name: str,
    *,
    whole: bool = False,
    low: float | None = None,
    high: float | None = None,
    optional: bool = False,
) -> Any:
    """Return the form's number ``name`` (None when optional and blank); errors go to the form."""
    raw = form.values.get(name, "").replace(",", ".")
    if not raw:
        if not optional:
            form.errors[name] = _("Give a number.")
        return None
    try:
        number: float = int(raw) if whole else float(raw)
    except ValueError:
        form.errors[name] = _("Not a number: %(value)s.") % {"value": raw}
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        form.errors[name] = _("Give a number from %(low)s to %(high)s.") % {
            "low": _text(low if low is not None else "…"),
            "high": _text(high if high is not None else "…"),
        }
        return None
    return number


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

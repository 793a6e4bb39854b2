"""An institution's activity as tables for CSV and for the page: per specification and month,
per month, per specification. Headers are stable English names for scripts; no cell names or
identifies a learner."""

from __future__ import annotations

from microcred.reports.mapping_tables import Cell, Table
from microcred.services.analytics import MEASURES, InstitutionActivity


def activity_table(activity: InstitutionActivity) -> Table:
    """Return one row per specification and month in which anything happened (the CSV)."""
    rows: list[list[Cell]] = []
    for item in activity.specifications:
        for month in sorted(item.by_month):
            rows.append([item.specification_id, item.title, month, *item.by_month[month].values()])
    return Table("activity", ["specification_id", "specification", "month", *MEASURES], rows)


def month_table(activity: InstitutionActivity) -> Table:
    """Return one row per month of the span, months without activity included."""
    rows: list[list[Cell]] = [
        [month, *activity.by_month[month].values()] for month in activity.months
    ]
    return Table("months", ["month", *MEASURES], rows)


def specification_table(activity: InstitutionActivity) -> Table:
    """Return one row per specification with its totals over the span."""
    rows: list[list[Cell]] = [
        [item.title, *item.totals.values()] for item in activity.specifications
    ]
    return Table("specifications", ["specification", *MEASURES], rows)

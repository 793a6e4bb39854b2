"""Every table of the store on one metadata: what the migrations and backups are compared with.

Importing a table module puts its tables on ``Base.metadata``; a module that needs the whole
schema (Alembic's environment, the backup, the migration test) takes ``metadata`` from here
rather than hoping the right modules were imported already.
"""

from __future__ import annotations

from importlib import import_module

from microcred.store.base import Base

TABLE_MODULES = tuple(
    import_module(f"microcred.store.{name}_tables")
    for name in (
        "accounts",
        "analytics",
        "audit",
        "awards",
        "branding",
        "catalogue",
        "delivery",
        "finder",
        "jobs",
        "keys",
        "learner_wallet",
        "lti",
        "pathway",
        "recognition",
        "seal",
        "status",
        "wallet",
    )
)

metadata = Base.metadata

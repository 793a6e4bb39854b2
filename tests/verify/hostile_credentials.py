"""Credentials built to keep a verifier busy: a clique of tied blank profiles (an RDFC-1.0 poison
dataset once canonicalised) and thousands of blank profiles under one property."""

from __future__ import annotations

import copy
from typing import Any


def with_parent_orgs(signed: dict[str, Any], parent_orgs: list[Any]) -> dict[str, Any]:
    """Return `signed` (its proof kept) whose issuer names `parent_orgs` as parents."""
    hostile = copy.deepcopy(signed)
    issuer = hostile["issuer"]
    if isinstance(issuer, str):
        issuer = hostile["issuer"] = {"id": issuer, "type": "Profile"}
    issuer["parentOrg"] = parent_orgs
    return hostile


def blank_profile_clique(size: int) -> list[dict[str, Any]]:
    """`size` alike blank profiles, each naming every other as its parent."""
    return [
        {
            "id": f"_:org{node}",
            "type": "Profile",
            "name": "Org",
            "parentOrg": [f"_:org{other}" for other in range(size) if other != node],
        }
        for node in range(size)
    ]


def many_blank_profiles(count: int) -> list[dict[str, Any]]:
    """`count` alike blank profiles."""
    return [{"type": "Profile", "name": "Org"} for _ in range(count)]

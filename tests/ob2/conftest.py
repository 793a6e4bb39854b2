"""Fixtures for Open Badges 2.0 in: an OB 2.0 issuer served on 127.0.0.1 and the fetch policy
that lets a verifier reach it (plain http to loopback, short deadlines)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from microcred.net import FetchPolicy
from support.ob2_host import Ob2Host, serving


@pytest.fixture
def host() -> Iterator[Ob2Host]:
    with serving() as running:
        running.publish_issuer()
        yield running


@pytest.fixture
def loopback() -> FetchPolicy:
    return FetchPolicy(allow_private=True, deadline=2.0, connect_timeout=1.0)

"""A real server and a real browser: uvicorn on a free loopback port, Debian's chromium.

The app runs in a thread of the test process, on a temporary SQLite file. Chromium is the
system one (/usr/bin/chromium); nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app_fixtures import app_on_sqlite
from served import served


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """Serve the app on a free loopback port for one test; yield its base URL."""
    with served(app_on_sqlite(tmp_path / "browser.db")) as url:
        yield url

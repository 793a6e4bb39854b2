"""An app served on loopback for tests that need a real HTTP server (a browser, a peer).

uvicorn runs in a thread of the test process. The port is the one the OS chooses unless the
test needs to know it before it builds the app (a base URL in the settings): then it takes
``free_port()`` first. Every test gets a port of its own, so pytest-xdist workers never meet.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from waiting import scaled, wait_for


def free_port() -> int:
    """Return a loopback port the OS has just handed out and nobody holds now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(app: Any, port: int = 0) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:``port`` (0: chosen by the OS); yield its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started or not thread.is_alive(), 60, "uvicorn to start")
    assert server.started, f"uvicorn did not start on 127.0.0.1:{port}"
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=scaled(30))

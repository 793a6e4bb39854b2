"""A host name's addresses from the system resolver, given up on when the fetch's time is out."""

from __future__ import annotations

import queue
import socket
import threading


class ResolutionFailed(OSError):
    """The name has no address, or the resolver did not answer in time."""


def resolve(host: str, port: int, seconds: float) -> list[str]:
    """Return the addresses of `host` (itself when it is an address), waiting at most `seconds`.

    `getaddrinfo` has no timeout of its own, so it runs in a daemon thread: a name whose DNS
    server answers slowly cannot hold a fetch past its deadline (the thread ends when the
    system resolver gives up).
    """
    answers: queue.SimpleQueue[list[str] | OSError] = queue.SimpleQueue()

    def look_up() -> None:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            answers.put([str(info[4][0]) for info in found])
        except OSError as error:
            answers.put(error)

    threading.Thread(target=look_up, name="microcred-resolve", daemon=True).start()
    try:
        answer = answers.get(timeout=max(seconds, 0.0))
    except queue.Empty:
        raise ResolutionFailed(f"no address for {host} within {seconds:.1f} s") from None
    if isinstance(answer, OSError):
        raise ResolutionFailed(f"no address for {host}") from answer
    return list(dict.fromkeys(answer))

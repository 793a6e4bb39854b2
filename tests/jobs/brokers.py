"""The job brokers the README promises, Redis and RabbitMQ, each test on a queue of its own.

``broker`` is a fixture parametrised over both servers. A test gets a queue name nobody else
uses and, on Redis, the database number of its pytest-xdist worker, so tests running at the same
time in other workers never see each other's tasks; afterwards only that queue is removed (no
FLUSHDB: other tests may be using the same server). An unreachable server fails the test with
the command that starts it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from kombu import Connection

REDIS_HOST = "redis://127.0.0.1:6379"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
STARTS = {
    "redis": "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' "
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log",
    "rabbitmq": "rabbitmq-server -detached",
}
REDIS_DATABASES = range(1, 15)  # 0 is Redis's default, 15 holds the rate-limit tests' keys


def xdist_worker_index() -> int:
    """Return this pytest-xdist worker's number (gw3 is 3), or 0 without xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw") or 0)


@dataclass(frozen=True)
class Broker:
    """One broker server, and the queue of one test on it."""

    kind: str
    url: str
    queue: str

    def env(self) -> dict[str, str]:
        """Return the variables that point ``microcred`` processes at this broker and queue."""
        return {"MICROCRED_BROKER_URL": self.url, "MICROCRED_JOB_QUEUE": self.queue}

    def check_reachable(self) -> None:
        try:
            with Connection(self.url, connect_timeout=5) as connection:
                connection.ensure_connection(max_retries=1, timeout=5)
        except Exception as error:  # noqa: BLE001 - each transport fails in its own way
            pytest.fail(
                f"{self.kind} is not reachable at {self.url} ({error}); start it with "
                f"'{STARTS[self.kind]}'",
                pytrace=False,
            )

    def remove_queue(self) -> None:
        """Delete this test's queue and the messages left on it (a killed worker's, say)."""
        if self.kind == "rabbitmq":
            with Connection(self.url, connect_timeout=5) as connection:
                connection.default_channel.queue_delete(self.queue)
            return
        _remove_redis_queue(self.url, self.queue)


def _remove_redis_queue(url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(f"{queue}*")) + list(client.scan_iter(f"*{queue}"))
        if keys:
            client.delete(*keys)
        # Unacknowledged messages of every queue share one hash: take out this queue's only.
        for tag, raw in client.hgetall("unacked").items():
            entry = json.loads(raw)
            if isinstance(entry, list) and entry[-1] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


def broker_for(kind: str) -> Broker:
    """Return a fresh queue on the ``kind`` server ("redis" or "rabbitmq")."""
    queue = f"microcred-test-{uuid.uuid4().hex[:12]}"
    if kind == "rabbitmq":
        return Broker(kind, RABBITMQ, queue)
    number = REDIS_DATABASES[xdist_worker_index() % len(REDIS_DATABASES)]
    return Broker(kind, f"{REDIS_HOST}/{number}", queue)


@pytest.fixture(params=["redis", "rabbitmq"])
def broker(request: pytest.FixtureRequest) -> Iterator[Broker]:
    made = broker_for(request.param)
    made.check_reachable()
    yield made
    made.remove_queue()

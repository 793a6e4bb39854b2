"""The multi-node topology on loopback: nginx in front of `microcred serve` processes, Celery
workers (`microcred worker`) on a broker (Redis or RabbitMQ), one PostgreSQL database, one KEK.

Every process is real and started as the README's operations section says; nginx runs as the
test user with its configuration, pid file, logs and temporary files in a temporary folder.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from waiting import kill, stop_all

DEPLOY = Path(__file__).parents[2] / "deploy"
MICROCRED = str(Path(sys.executable).parent / "microcred")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        pytest.fail("nginx is not installed: 'make test' installs Debian's nginx", pytrace=False)
    return found


def nginx_config(folder: Path, listen_port: int, api_ports: list[int]) -> Path:
    """Write nginx.conf for a user-run nginx in ``folder``, including deploy/nginx/microcred.conf
    with its placeholders filled in; return its path."""
    servers = "\n    ".join(
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;" for port in api_ports
    )
    site = (DEPLOY / "nginx" / "microcred.conf").read_text(encoding="utf-8")
    site = site.replace("@API_SERVERS@", servers).replace("@LISTEN@", f"127.0.0.1:{listen_port}")
    (folder / "microcred.conf").write_text(site.replace("@SERVER_NAME@", "localhost"))
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    main = f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {folder}/microcred.conf;
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main)
    return path


@dataclass
class Cluster:
    """The processes of one topology, stopped (if still running) when the test ends."""

    folder: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            args, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_api(self, name: str, port: int) -> None:
        self.start(name, MICROCRED, "serve", "--host", "127.0.0.1", "--port", str(port))

    def start_worker(self, name: str) -> None:
        self.start(name, MICROCRED, "worker", "--concurrency", "1")

    def start_nginx(self, listen_port: int, api_ports: list[int]) -> None:
        config = nginx_config(self.folder, listen_port, api_ports)
        self.start("nginx", nginx_binary(), "-p", str(self.folder), "-c", str(config))

    def kill(self, name: str) -> None:
        """SIGKILL a process (and its children: a Celery worker's pool) without warning."""
        kill(self.processes[name], group=True)

    def log_of(self, name: str, tail: int | None) -> str:
        """Return what a process wrote (its last ``tail`` characters, or all of it)."""
        text = (self.folder / f"{name}.log").read_text(errors="replace")
        return text[-tail:] if tail else text

    def running(self, name: str) -> bool:
        return self.processes[name].poll() is None

    def require_running(self, *names: str) -> None:
        """Fail at once, naming the process, when one of ``names`` has exited."""
        for name in names:
            if not self.running(name):
                code = self.processes[name].returncode
                raise AssertionError(f"{name} exited (code {code}) while the test needed it")

    def worker_ready(self, name: str) -> bool:
        """True once the Celery worker ``name`` has said it is ready (fails if it exited)."""
        self.require_running(name)
        return " ready." in self.log_of(name, tail=None)

    def stop_all(self) -> None:
        stop_all(self.processes.values(), grace=20, group=True)

"""The outbound fetcher: which addresses it reaches, redirects, one generic error, the deadline."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fetch_servers import NAME, Served, start_server

from microcred.config import ConfigError, Settings
from microcred.net import FetchPolicy, FetchRefused, fetch
from microcred.net.addresses import is_public
from microcred.net.policy import parse_networks

LOOPBACK = parse_networks("127.0.0.1/32")


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Served]:
    served, stop = start_server(tmp_path)
    yield served
    stop()


def trusting(tmp_path: Path) -> ssl.SSLContext:
    """Return a client context that trusts the test server's self-signed certificate."""
    context = ssl.create_default_context(cafile=str(tmp_path / "server.pem"))
    return context


def names(table: dict[str, str]):
    """Return a resolver answering from `table` (no real DNS in tests)."""

    def resolve(host: str, port: int, seconds: float) -> list[str]:
        if host not in table:
            raise OSError(f"no address for {host}")
        return [table[host]]

    return resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "::127.0.0.1",  # IPv4-compatible
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    ],
)
def test_local_and_special_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))
    policy = FetchPolicy()
    assert not policy.may_connect(ipaddress.ip_address(address), plain_http=False)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "64:ff9b::808:808"])
def test_public_addresses_are_public(address):
    assert is_public(ipaddress.ip_address(address))
    assert FetchPolicy().may_connect(ipaddress.ip_address(address), plain_http=False)
    assert not FetchPolicy(allow_private=True).may_connect(
        ipaddress.ip_address(address), plain_http=True
    ), "plain http never goes to the public internet"


def test_allowed_networks_admit_only_themselves():
    policy = FetchPolicy.from_settings(Settings(fetch_allowed_networks="10.20.0.0/16, fd00::/8"))
    assert policy.may_connect(ipaddress.ip_address("10.20.3.4"), plain_http=True)
    assert policy.may_connect(ipaddress.ip_address("::ffff:10.20.3.4"), plain_http=False)
    assert not policy.may_connect(ipaddress.ip_address("10.21.0.1"), plain_http=False)
    assert not policy.may_connect(ipaddress.ip_address("127.0.0.1"), plain_http=False)
    with pytest.raises(ConfigError, match="FETCH_ALLOWED_NETWORKS"):
        Settings(fetch_allowed_networks="10.20.0.0/16, intranet")


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "169.254.169.254", "[::1]", "[::ffff:127.0.0.1]"]
)
def test_local_hosts_are_refused_without_connecting(tls_server, host):
    with pytest.raises(FetchRefused, match="address not allowed") as refused:
        fetch(f"https://{host}:{tls_server.port}/", policy=FetchPolicy())
    assert refused.value.reason == "address"
    assert tls_server.hosts == []


def test_a_public_looking_name_that_resolves_to_loopback_is_refused(tls_server, tmp_path):
    policy = FetchPolicy(resolver=names({NAME: "127.0.0.1"}), ssl_context=trusting(tmp_path))
    with pytest.raises(FetchRefused, match="address not allowed"):
        fetch(f"https://{NAME}:{tls_server.port}/doc", policy=policy)
    assert tls_server.hosts == []


def test_the_checked_address_is_connected_to_with_the_name_for_tls_and_host(tls_server, tmp_path):
    tls_server.pages["/doc"] = b'{"ok": true}'
    resolver = names({NAME: "127.0.0.1"})
    policy = FetchPolicy(networks=LOOPBACK, resolver=resolver, ssl_context=trusting(tmp_path))
    fetched = fetch(f"https://{NAME}:{tls_server.port}/doc", json_only=True, policy=policy)
    assert fetched.body == b'{"ok": true}'
    assert tls_server.hosts == [f"{NAME}:{tls_server.port}"]


def test_the_ca_file_setting_makes_a_certificate_trusted(tls_server, tmp_path):
    tls_server.pages["/doc"] = b"{}"
    settings = Settings(fetch_allow_private=True, fetch_ca_file=str(tmp_path / "server.pem"))
    policy = FetchPolicy.from_settings(settings)
    assert fetch(f"https://127.0.0.1:{tls_server.port}/doc", policy=policy).body == b"{}"
    with pytest.raises(FetchRefused, match="could not fetch"):  # not trusted without it
        fetch(f"https://127.0.0.1:{tls_server.port}/doc", policy=FetchPolicy(allow_private=True))


def test_a_redirect_to_a_refused_address_is_refused_at_that_hop(tls_server, tmp_path):
    tls_server.redirects["/moved"] = "https://metadata.example/latest/meta-data/"
    resolver = names({NAME: "127.0.0.1", "metadata.example": "169.254.169.254"})
    policy = FetchPolicy(networks=LOOPBACK, resolver=resolver, ssl_context=trusting(tmp_path))
    with pytest.raises(FetchRefused) as refused:
        fetch(f"https://{NAME}:{tls_server.port}/moved", policy=policy)
    assert refused.value.reason == "address"
    assert str(refused.value) == "https://metadata.example/latest/meta-data/: address not allowed"
    assert len(tls_server.hosts) == 1


def test_redirects_are_followed_up_to_the_limit(tls_server, tmp_path):
    tls_server.pages["/end"] = b"{}"
    for step in range(4):
        tls_server.redirects[f"/r{step}"] = f"/r{step + 1}" if step < 3 else "/end"
    policy = FetchPolicy(networks=LOOPBACK, ssl_context=trusting(tmp_path))
    base = f"https://127.0.0.1:{tls_server.port}"
    assert fetch(f"{base}/r1", policy=policy).url == f"{base}/end"  # three redirects
    with pytest.raises(FetchRefused, match="redirected more than 3 times"):
        fetch(f"{base}/r0", policy=policy)


def test_a_header_given_goes_to_the_url_and_never_where_it_redirects(tls_server, tmp_path):
    tls_server.pages["/end"] = b"{}"
    tls_server.redirects["/service"] = "/end"
    policy = FetchPolicy(networks=LOOPBACK, ssl_context=trusting(tmp_path))
    base = f"https://127.0.0.1:{tls_server.port}"
    sent = (("Authorization", "Bearer a-token"),)
    assert fetch(f"{base}/service", policy=policy, headers=sent).body == b"{}"
    assert tls_server.authorizations == ["Bearer a-token", ""]


def test_closed_and_open_ports_give_the_same_answer(tls_server):
    closed = _closed_port()
    open_url = f"https://127.0.0.1:{tls_server.port}/"
    closed_url = f"https://127.0.0.1:{closed}/"
    answers = []
    for url in (open_url, closed_url):
        with pytest.raises(FetchRefused) as refused:
            fetch(url, policy=FetchPolicy())
        answers.append(str(refused.value).replace(url, "URL"))
    assert answers == ["URL: address not allowed", "URL: address not allowed"]
    # With the setting on, a closed port and a port that does not speak our TLS say one thing.
    plain, stop = start_server(Path("/nonexistent"), tls=False)
    try:
        answers = []
        for port in (closed, plain.port):
            url = f"https://127.0.0.1:{port}/"
            with pytest.raises(FetchRefused) as refused:
                fetch(url, policy=FetchPolicy(allow_private=True))
            assert refused.value.reason == "unreachable"
            answers.append(str(refused.value).replace(url, "URL"))
        assert answers == ["could not fetch URL", "could not fetch URL"]
    finally:
        stop()


def test_plain_http_only_when_the_setting_admits_the_address(tmp_path):
    plain, stop = start_server(tmp_path, tls=False)
    plain.pages["/doc"] = b"{}"
    url = f"http://127.0.0.1:{plain.port}/doc"
    try:
        with pytest.raises(FetchRefused, match="only https URLs are fetched"):
            fetch(url, policy=FetchPolicy())
        assert fetch(url, policy=FetchPolicy(allow_private=True)).body == b"{}"
    finally:
        stop()


def test_the_allow_setting_is_read_from_the_environment(tls_server, monkeypatch, tmp_path):
    tls_server.pages["/doc"] = b"{}"
    monkeypatch.setenv("MICROCRED_FETCH_CA_FILE", str(tmp_path / "server.pem"))
    url = f"https://127.0.0.1:{tls_server.port}/doc"
    with pytest.raises(FetchRefused, match="address not allowed"):
        fetch(url)
    monkeypatch.setenv("MICROCRED_FETCH_ALLOW_PRIVATE", "true")
    assert fetch(url).body == b"{}"


def test_size_and_media_type_limits(tls_server, tmp_path):
    tls_server.pages["/big"] = b" " * 2000
    policy = FetchPolicy(networks=LOOPBACK, ssl_context=trusting(tmp_path))
    base = f"https://127.0.0.1:{tls_server.port}"
    with pytest.raises(FetchRefused, match="more than 1,000 bytes") as refused:
        fetch(f"{base}/big", max_bytes=1000, policy=policy)
    assert refused.value.reason == "too_large"
    assert len(fetch(f"{base}/big", max_bytes=2000, policy=policy).body) == 2000
    with pytest.raises(FetchRefused, match="answered HTTP 404"):
        fetch(f"{base}/missing", policy=policy)


def test_a_slow_drip_body_ends_at_the_deadline(tls_server, tmp_path):
    tls_server.drip.add("/slow")
    policy = FetchPolicy(networks=LOOPBACK, ssl_context=trusting(tmp_path), deadline=2.0)
    started = time.monotonic()
    with pytest.raises(FetchRefused, match="no complete answer within 2 s") as refused:
        fetch(f"https://127.0.0.1:{tls_server.port}/slow", policy=policy)
    elapsed = time.monotonic() - started
    assert refused.value.reason == "deadline"
    assert elapsed < 2.0 + 5.0, f"the fetch took {elapsed:.1f} s"


def test_a_callers_overall_deadline_cuts_the_fetch_shorter(tls_server, tmp_path):
    tls_server.drip.add("/slow")
    policy = FetchPolicy(networks=LOOPBACK, ssl_context=trusting(tmp_path), deadline=60.0)
    started = time.monotonic()
    with pytest.raises(FetchRefused) as refused:
        fetch(f"https://127.0.0.1:{tls_server.port}/slow", until=started + 1.0, policy=policy)
    assert refused.value.reason == "deadline"
    assert time.monotonic() - started < 1.0 + 5.0


def _closed_port() -> int:
    """Return a loopback port nothing listens on (bound by the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

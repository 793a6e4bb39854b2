"""Status lists whose proofs verified are kept by content and key: the same list is not verified
again, while a list changed in any way (re-signed after a revocation, or altered without its
issuer) is verified afresh, so a revocation shows at once and a forged list never passes."""

from __future__ import annotations

import copy
from typing import Any

from microcred.services.status import StatusLists
from microcred.status.check import StatusState, VerifiedLists, check_credential_status
from microcred.status.entry import status_entries_of

WHO = "registrar@uni.example"


def revocation_list(credential: dict[str, Any], local_fetch: Any) -> dict[str, Any]:
    entry = next(e for e in status_entries_of(credential) if e["statusPurpose"] == "revocation")
    document: dict[str, Any] = local_fetch(entry["statusListCredential"])
    return document


def test_the_same_list_is_verified_once(issue, local_fetch, resolve_key) -> None:
    lists = VerifiedLists()
    document = revocation_list(issue(), local_fetch)
    first = lists.verify(document, resolve_key)
    assert [proof.ok for proof in first] == [True]
    again = lists.verify(copy.deepcopy(document), resolve_key)
    assert again is first
    assert len(lists) == 1


def test_a_list_altered_after_its_signature_fails_and_is_not_kept(
    issue, local_fetch, resolve_key
) -> None:
    lists = VerifiedLists()
    document = revocation_list(issue(), local_fetch)
    lists.verify(document, resolve_key)
    altered = copy.deepcopy(document)
    altered["validUntil"] = "2099-01-01T00:00:00Z"
    assert [proof.ok for proof in lists.verify(altered, resolve_key)] == [False]
    assert len(lists) == 1


def test_a_revocation_shows_at_once_though_the_list_was_verified_before(
    issue, status: StatusLists, local_fetch, resolve_key
) -> None:
    credential = issue()
    valid = check_credential_status(credential, fetch=local_fetch, resolve_key=resolve_key)
    assert valid.state == StatusState.valid
    status.revoke(credential["id"], reason="plagiarism confirmed", actor=WHO)
    revoked = check_credential_status(credential, fetch=local_fetch, resolve_key=resolve_key)
    assert revoked.state == StatusState.revoked


def test_only_the_most_recent_lists_are_kept(issue, local_fetch, resolve_key, status) -> None:
    lists = VerifiedLists(size=1)
    credential = issue()
    first = revocation_list(credential, local_fetch)
    lists.verify(first, resolve_key)
    status.revoke(credential["id"], reason="plagiarism confirmed", actor=WHO)
    second = revocation_list(credential, local_fetch)
    assert second != first
    lists.verify(second, resolve_key)
    assert len(lists) == 1
    assert lists.verify(second, resolve_key) is lists.verify(second, resolve_key)


def test_an_unchanged_list_is_not_read_again_but_a_change_elsewhere_shows_at_once(
    issue, status: StatusLists, database, keys, settings, resolve_key
) -> None:
    """The published list is kept in memory while the database says the same version is
    signed; a revocation made by another process (another `StatusLists`) is seen at once."""
    credential = issue()
    fetch = status.published.fetcher(lambda url: {})
    entry = next(e for e in status_entries_of(credential) if e["statusPurpose"] == "revocation")
    url = entry["statusListCredential"]
    assert fetch(url) is fetch(url)  # kept, not read again
    elsewhere = StatusLists(database, keys, settings)

    def state() -> StatusState:
        return check_credential_status(credential, fetch=fetch, resolve_key=resolve_key).state

    assert state() == StatusState.valid
    elsewhere.suspend(credential["id"], reason="under investigation", actor=WHO)
    assert state() == StatusState.suspended
    elsewhere.reinstate(credential["id"], reason="cleared", actor=WHO)
    assert state() == StatusState.valid
    elsewhere.revoke(credential["id"], reason="plagiarism confirmed", actor=WHO)
    assert state() == StatusState.revoked


def test_decoded_lists_are_kept_up_to_a_size() -> None:
    from microcred.status.bitstring import encode_list
    from microcred.status.list_credential import DecodedLists

    lists = DecodedLists(size=2, max_bytes=16 * 1024)
    small = [encode_list(bytes([n]) + bytes(16 * 1024 - 1)) for n in range(3)]
    first = lists.decode(small[0])
    assert lists.decode(small[0]) is first and first[0] == 0
    assert lists.decode(small[1])[0] == 1 and lists.decode(small[2])[0] == 2
    assert lists.decode(small[0]) is not first  # the oldest went when the third came
    large = encode_list(bytes(32 * 1024))
    assert lists.decode(large) is not lists.decode(large)  # larger than max_bytes: not kept

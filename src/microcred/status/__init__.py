"""W3C Bitstring Status List v1.0: revocation and suspension without asking the issuer.

Pure code, no I/O apart from the fetcher:

- ``bitstring``: the bits, and ``encodedList`` (GZIP, then multibase base64url, prefix ``u``).
- ``entry``: the ``BitstringStatusListEntry`` a credential carries, written and read.
- ``list_credential``: the ``BitstringStatusListCredential`` an issuer publishes, built and read.
- ``allocation``: where a new credential's entry goes (a random free index).
- ``check``: ``check_credential_status(credential, fetch=..., resolve_key=...)``: valid, revoked,
  suspended or unknown, with the reason.
- ``fetching``: fetching other issuers' lists over HTTPS with a cache, timeout and size cap.
"""

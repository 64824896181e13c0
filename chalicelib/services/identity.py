"""Who is calling: session tokens (ours) and OpenID Connect tokens (campus SSO, Cognito) to a Principal."""

from __future__ import annotations

import functools
import json
import time
import urllib.request
from typing import TYPE_CHECKING, Any, NamedTuple

from chalicelib.caching import TtlCache
from chalicelib.domain.access import ANONYMOUS, UNION_ADMIN_ROLE, Principal
from chalicelib.domain.records import Member, MemberStatus
from chalicelib.domain.tokens import (
    OidcConfig,
    TokenInvalid,
    session_entry,
    verify_oidc_token,
    verify_session_token,
)
from chalicelib.services import cached_reads
from chalicelib.settings import Settings
from chalicelib.storage import Store

if TYPE_CHECKING:  # types only
    from typing_extensions import TypeIs

# How long a fetched JWKS is trusted before it is fetched again (providers rotate keys with overlap).
JWKS_CACHE_SECONDS = 3600
# How long a container trusts what it read about a session (the member and their account) without reading again.
# A sign-out, a password change, a member leaving or losing a role takes effect at once in the container that made
# it (its writes forget the member's entries, chalicelib.caching) and within this bound everywhere else
# (docs/security.md, "Per-container caches"). Only identifications that succeeded are kept.
IDENTITY_TTL_SECONDS = 60


class Identification(NamedTuple):
    principal: Principal
    # Why a presented token was not accepted ("expired", "bad_signature", ...); None if none was presented.
    rejected: str | None = None


def principal_for(member: Member) -> Principal:
    return Principal(
        staff_no=member.staff_no,
        unit_id=member.unit_id,
        admin_of=member.admin_units,
        union_admin=UNION_ADMIN_ROLE in member.roles,
        name=member.name,
    )


def may_sign_in(member: Member | None) -> TypeIs[Member]:
    return member is not None and member.status is not MemberStatus.LEFT


@functools.cache
def _fetched_jwks(url: str, period: int) -> dict[str, Any]:
    # ``period`` is part of the cache key only, so that a new hour fetches the keys again.
    with urllib.request.urlopen(url, timeout=3) as response:
        keys: dict[str, Any] = json.load(response)
        return keys


def _jwks(settings: Settings) -> dict[str, Any]:
    if settings.oidc_jwks_json:
        keys: dict[str, Any] = json.loads(settings.oidc_jwks_json)
        return keys
    return _fetched_jwks(settings.oidc_jwks_url, int(time.time()) // JWKS_CACHE_SECONDS)


# By (工号, session version, session entry): what the member's token was found to be, for a minute at most.
identities: TtlCache[Identification] = TtlCache(IDENTITY_TTL_SECONDS, 4096, follows=("members", "accounts"))


def identify(
    store: Store,
    settings: Settings,
    session_token: str | None,
    bearer_token: str | None,
    cache: TtlCache[Identification] = identities,
) -> Identification:
    """The principal behind the request's token (Bearer first, then the session cookie), or anonymous. The token's
    signature and expiry are checked every time; what the store says about it is read at most once a minute per
    container (``cache``; another one only to stand for another container)."""
    token = bearer_token or session_token
    if not token:
        return Identification(ANONYMOUS)
    at = int(time.time())
    session = None
    try:
        claims = verify_session_token(token, settings.session_key.encode(), at)
        staff_no, session_version = claims.staff_no, claims.session_version
        session = session_entry(claims.session_id, claims.expires_at) if claims.session_id else None
    except TokenInvalid as invalid:
        provider = settings.oidc_provider
        if not (bearer_token and provider and invalid.reason == "wrong_algorithm"):
            return Identification(ANONYMOUS, invalid.reason)
        # Not one of ours (RS256): try the configured OpenID Connect provider.
        config = OidcConfig(*provider, settings.oidc_staff_no_claim)
        try:
            staff_no, session_version = verify_oidc_token(token, _jwks(settings), config, at), None
        except TokenInvalid as oidc_invalid:
            return Identification(ANONYMOUS, oidc_invalid.reason)
    return cache.get(
        (staff_no, session_version, session),
        lambda: _identified(store, staff_no, session_version, session),
        keep=lambda found: found.principal.signed_in,
    )


def _identified(store: Store, staff_no: str, session_version: int | None, session: str | None) -> Identification:
    """What the store says about a valid token: its member, and for one of ours its session (two reads)."""
    member = cached_reads.fresh_member(store, staff_no)
    if not may_sign_in(member):
        return Identification(ANONYMOUS, "unknown_member")
    if session_version is not None:
        # Our token is honoured only while its session is live on the account: signing out removes the entry,
        # "sign out everywhere" and a password change remove them all (and bump the version).
        account = store.accounts.get(staff_no)
        if account is None or account.session_version != session_version or session not in account.sessions:
            return Identification(ANONYMOUS, "revoked")
    return Identification(principal_for(member))

"""Signed tokens: our own short-lived session tokens (HS256) and ID/access tokens from an OpenID Connect provider.

Our HS256 tokens are signed and checked here with the standard library (an HMAC is a few lines). A provider's RS256
tokens have their signature checked by PyJWT on ``cryptography`` (OpenSSL), imported only when such a token arrives,
so a cold start that never meets one never pays for them (docs/architecture.md, "Libraries"). The rules that matter
stay spelled out here rather than left to a library's defaults: each verifier accepts exactly one algorithm and
checks it before anything else, so ``alg: none`` and algorithm confusion (an RSA public key used as an HMAC secret)
cannot work; headers and payloads are parsed strictly (canonical base64url, no duplicate JSON members); every
claim is checked by our own rules and each refusal has its own ``TokenInvalid.reason``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from jwt import PyJWK

SESSION_ISSUER = "union-events"
# Known-device tokens are signed the same way under their own issuer, so one can never pass for the other.
DEVICE_ISSUER = "union-events/device"
# A device remembers this many accounts (a shared office computer); the oldest is forgotten first.
MAX_DEVICE_ACCOUNTS = 5

# A shorter HMAC key would be guessable offline from any one token; refusing it makes a weak key a crash, not a hole.
MIN_KEY_BYTES = 32
# RSA keys under 2048 bits are within reach of well-funded factoring; no current provider publishes them.
MIN_RSA_BITS = 2048
# Cookies cap out near 4 KB and provider tokens stay well under this; the bound keeps parsing cheap on garbage input.
_MAX_TOKEN_CHARS = 16 * 1024

_B64URL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

Reason = Literal[
    "malformed",
    "wrong_algorithm",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "wrong_issuer",
    "wrong_audience",
    "missing_claim",
    "unknown_key",
]


class TokenInvalid(Exception):
    """Do not trust the token. ``reason`` is for logs and metrics, not for telling a client which check failed."""

    def __init__(self, reason: Reason):
        super().__init__(reason)
        self.reason = reason


class SessionClaims(NamedTuple):
    staff_no: str  # "sub"
    # "sv": bumped when the password changes or an admin signs the member out everywhere, so old tokens die.
    session_version: int
    issued_at: int  # "iat"
    expires_at: int  # "exp"
    # "sid": names this session in the account's list of live sessions (``session_entry``); signing out removes it.
    session_id: str | None = None


class DeviceClaims(NamedTuple):
    device_id: str  # "sub": random, names the device in the sign-in throttle's counters
    staff_nos: tuple[str, ...]  # "acc": accounts that signed in successfully on this device, newest last
    expires_at: int


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    audience: str  # the client id registered with the provider
    staff_no_claim: str = "preferred_username"  # the claim that carries 工号 (e.g. "custom:staff_no" on Cognito)

    def __post_init__(self) -> None:
        # An empty value from a missing environment variable would quietly match tokens that lack the claim.
        if not (self.issuer and self.audience and self.staff_no_claim):
            raise ValueError("OIDC issuer, audience and staff_no_claim must all be set")


def new_session_id() -> str:
    return secrets.token_urlsafe(12)  # 96 random bits


def session_entry(session_id: str, expires_at: int) -> str:
    """How a live session is listed on its account: expiry first, so the list sorts oldest first."""
    return f"{expires_at:012d}:{session_id}"


def sessions_to_drop(entries: frozenset[str] | set[str], now: int, keep: int) -> set[str]:
    """Entries of an account's session list that have expired, and the oldest beyond ``keep`` live ones."""
    live = sorted(entry for entry in entries if _entry_expiry(entry) > now)
    return set(entries) - set(live[-keep:] if keep > 0 else [])


def _entry_expiry(entry: str) -> int:
    head, _, _ = entry.partition(":")
    return int(head) if head.isdigit() else 0


def issue_session_token(
    staff_no: str, session_version: int, key: bytes, now: int, ttl_seconds: int, session_id: str | None = None
) -> str:
    _check_key(key)
    if not isinstance(staff_no, str) or not staff_no:
        raise ValueError("staff_no must be a non-empty string")
    if type(session_version) is not int or ttl_seconds <= 0:
        raise ValueError("session_version must be an int and ttl_seconds positive")
    claims = {"iss": SESSION_ISSUER, "sub": staff_no, "sv": session_version, "iat": now, "exp": now + ttl_seconds}
    if session_id is not None:
        claims["sid"] = session_id
    return _sign(claims, key)


def _sign(claims: dict[str, Any], key: bytes) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = f"{_b64url_encode(_json_bytes(header))}.{_b64url_encode(_json_bytes(claims))}"
    signature = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url_encode(signature)}"


def _verified_claims(token: str, key: bytes, issuer: str) -> dict[str, Any]:
    _check_key(key)
    header, payload, signature, signing_input = _split(token)
    if header.get("alg") != "HS256":
        raise TokenInvalid("wrong_algorithm")
    expected = hmac.new(key, signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise TokenInvalid("bad_signature")
    claims = _json_object(payload)
    if claims.get("iss") != issuer:
        raise TokenInvalid("wrong_issuer")
    return claims


def issue_device_token(device_id: str, staff_nos: tuple[str, ...], key: bytes, now: int, ttl_seconds: int) -> str:
    """The known-device cookie: which accounts signed in successfully on this browser (see domain/throttle.py)."""
    _check_key(key)
    if not device_id or not all(isinstance(s, str) and s for s in staff_nos) or ttl_seconds <= 0:
        raise ValueError("device_id and staff_nos must be non-empty strings and ttl_seconds positive")
    claims = {"iss": DEVICE_ISSUER, "sub": device_id, "acc": list(staff_nos[-MAX_DEVICE_ACCOUNTS:])}
    return _sign({**claims, "iat": now, "exp": now + ttl_seconds}, key)


def verify_device_token(token: str, key: bytes, now: int) -> DeviceClaims:
    claims = _verified_claims(token, key, DEVICE_ISSUER)
    expires_at = _int_claim(claims, "exp")
    if now >= expires_at:
        raise TokenInvalid("expired")
    device_id, staff_nos = claims.get("sub"), claims.get("acc")
    if not isinstance(device_id, str) or not device_id or not isinstance(staff_nos, list):
        raise TokenInvalid("missing_claim")
    if not all(isinstance(s, str) and s for s in staff_nos):
        raise TokenInvalid("missing_claim")
    return DeviceClaims(device_id, tuple(staff_nos), expires_at)


def verify_session_token(token: str, key: bytes, now: int, leeway: int = 30) -> SessionClaims:
    """Check signature and lifetime; the caller still checks the session against the account (identity.py)."""
    claims = _verified_claims(token, key, SESSION_ISSUER)
    expires_at = _int_claim(claims, "exp")
    issued_at = _int_claim(claims, "iat")
    if now >= expires_at + leeway:
        raise TokenInvalid("expired")
    if issued_at > now + leeway:
        raise TokenInvalid("not_yet_valid")
    staff_no = claims.get("sub")
    if not isinstance(staff_no, str) or not staff_no:
        raise TokenInvalid("missing_claim")
    session_id = claims.get("sid")
    if session_id is not None and (not isinstance(session_id, str) or not session_id):
        raise TokenInvalid("missing_claim")
    return SessionClaims(
        staff_no=staff_no,
        session_version=_int_claim(claims, "sv"),
        issued_at=issued_at,
        expires_at=expires_at,
        session_id=session_id,
    )


def verify_oidc_token(token: str, jwks: Mapping[str, Any], config: OidcConfig, now: int, leeway: int = 60) -> str:
    """Verify a provider's RS256 token against its JWKS and return the 工号 it carries, normalised."""
    header, payload, _, _ = _split(token)
    if header.get("alg") != "RS256":
        raise TokenInvalid("wrong_algorithm")
    _check_rs256_signature(token, _find_rsa_key(jwks, header.get("kid")))
    claims = _json_object(payload)
    if claims.get("iss") != config.issuer:
        raise TokenInvalid("wrong_issuer")
    if "aud" in claims:
        aud = claims["aud"]
        audience_ok = (
            aud == config.audience if isinstance(aud, str) else isinstance(aud, list) and config.audience in aud
        )
    else:
        # Cognito access tokens name the app client in "client_id" and carry no "aud".
        audience_ok = claims.get("client_id") == config.audience
    # Cognito marks what a token is for; anything but an ID or access token was not meant to sign a member in.
    if not audience_ok or claims.get("token_use", "id") not in ("id", "access"):
        raise TokenInvalid("wrong_audience")
    if now >= _numeric_date(claims, "exp") + leeway:
        raise TokenInvalid("expired")
    for optional in ("nbf", "iat"):
        if optional in claims and _numeric_date(claims, optional) > now + leeway:
            raise TokenInvalid("not_yet_valid")
    raw = claims.get(config.staff_no_claim)
    # Directory exports mix full-width characters, stray spaces and lower case into 工号.
    staff_no = unicodedata.normalize("NFKC", raw).strip().upper() if isinstance(raw, str) else ""
    if not staff_no:
        raise TokenInvalid("missing_claim")
    return staff_no


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"signing key must be at least {MIN_KEY_BYTES} bytes")


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not set(text) <= _B64URL_ALPHABET:
        raise TokenInvalid("malformed")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        raise TokenInvalid("malformed") from None
    # Only the canonical spelling is accepted, so one signed token has exactly one string form.
    if _b64url_encode(data) != text:
        raise TokenInvalid("malformed")
    return data


def _split(token: str) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """Header (parsed), payload bytes (parsed only once the signature holds), signature, and the signed bytes."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS:
        raise TokenInvalid("malformed")
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenInvalid("malformed")
    header_b64, payload_b64, signature_b64 = parts
    header = _json_object(_b64url_decode(header_b64))
    payload = _b64url_decode(payload_b64)
    signature = _b64url_decode(signature_b64)
    return header, payload, signature, f"{header_b64}.{payload_b64}".encode("ascii")


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Parsers disagree on which duplicate wins ({"alg":"none","alg":"HS256"}); refusing them removes the ambiguity.
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member")
    return result


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise TokenInvalid("malformed") from None
    if not isinstance(value, dict):
        raise TokenInvalid("malformed")
    return value


def _int_claim(claims: Mapping[str, Any], name: str) -> int:
    value = claims.get(name)
    if type(value) is not int:  # not isinstance: True must not pass for 1
        raise TokenInvalid("missing_claim")
    return value


def _numeric_date(claims: Mapping[str, Any], name: str) -> float:
    # RFC 7519 allows fractional seconds; "1e999" parses to infinity, which would make a token immortal.
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TokenInvalid("missing_claim")
    return value


def _find_rsa_key(jwks: Mapping[str, Any], kid: object) -> PyJWK:
    """The JWKS key named by ``kid`` that may verify RS256 signatures; unusable keys count as absent."""
    from jwt import PyJWK
    from jwt.exceptions import PyJWTError

    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(kid, str) or not isinstance(keys, list):
        raise TokenInvalid("unknown_key")
    for jwk in keys:
        if not isinstance(jwk, Mapping) or jwk.get("kid") != kid or jwk.get("kty") != "RSA":
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", "RS256") != "RS256":
            continue
        try:
            # The public half only: a provider that leaks "d" into its JWKS must not turn this into a private key.
            # ``cryptography`` refuses e < 3 and even e (RFC 8017 3.1; e = 1 makes every s its own signature).
            key = PyJWK({"kty": "RSA", "n": jwk.get("n"), "e": jwk.get("e")}, algorithm="RS256")
        except PyJWTError:  # InvalidKeyError: not a usable RSA public key
            continue
        if key.key.key_size < MIN_RSA_BITS:
            continue
        return key
    raise TokenInvalid("unknown_key")


def _check_rs256_signature(token: str, key: PyJWK) -> None:
    """RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 3.3), checked by PyJWT and OpenSSL; RS256 and nothing else."""
    from jwt import PyJWS
    from jwt.exceptions import InvalidAlgorithmError, InvalidKeyError, InvalidSignatureError, InvalidTokenError

    try:
        PyJWS(algorithms=["RS256"]).decode_complete(
            token, key, algorithms=["RS256"], options={"enforce_minimum_key_length": True}
        )
    except InvalidSignatureError:
        raise TokenInvalid("bad_signature") from None
    except InvalidAlgorithmError:
        raise TokenInvalid("wrong_algorithm") from None
    except InvalidKeyError:
        raise TokenInvalid("unknown_key") from None
    except InvalidTokenError:  # e.g. a "crit" header naming an extension nobody here understands (RFC 7515 4.1.11)
        raise TokenInvalid("malformed") from None

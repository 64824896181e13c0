"""Session tokens and OpenID Connect tokens, including the attacks each verifier must turn away.

The OIDC tests sign with RSA keys generated here by ``cryptography``; the app checks RS256 signatures with PyJWT on
the same library, so these tests are about our rules around it (which algorithm, which key, which claims, which
reason), and that neither library is loaded until a provider's token arrives.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from chalicelib.domain.tokens import (
    SESSION_ISSUER,
    OidcConfig,
    SessionClaims,
    TokenInvalid,
    issue_session_token,
    verify_oidc_token,
    verify_session_token,
)

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
NOW = 1_790_000_000
TTL = 8 * 3600


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def json_b64(value: Any) -> str:
    return b64(json.dumps(value).encode())


def hs256_token(header: dict[str, Any], claims: dict[str, Any], key: bytes = KEY) -> str:
    signing_input = f"{json_b64(header)}.{json_b64(claims)}"
    return f"{signing_input}.{b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())}"


def session_claims(**changes: Any) -> dict[str, Any]:
    claims = {"iss": SESSION_ISSUER, "sub": "T2001", "sv": 3, "iat": NOW, "exp": NOW + TTL}
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def session_reason(token: str, now: int = NOW) -> str:
    with pytest.raises(TokenInvalid) as caught:
        verify_session_token(token, KEY, now)
    return caught.value.reason


# --- session tokens -------------------------------------------------------------------------------------------------


def test_round_trip():
    token = issue_session_token("T2001", 3, KEY, NOW, TTL)
    assert verify_session_token(token, KEY, NOW + 60) == SessionClaims(
        staff_no="T2001", session_version=3, issued_at=NOW, expires_at=NOW + TTL
    )
    header = json.loads(unb64(token.split(".")[0]))
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert "=" not in token


def test_expired_but_within_leeway_is_accepted():
    token = issue_session_token("T2001", 3, KEY, NOW, TTL)
    assert verify_session_token(token, KEY, NOW + TTL + 29).staff_no == "T2001"
    assert session_reason(token, now=NOW + TTL + 30) == "expired"
    assert session_reason(token, now=NOW + 10 * TTL) == "expired"


def test_issued_in_the_future_is_not_yet_valid():
    assert session_reason(hs256_token({"alg": "HS256"}, session_claims(iat=NOW + 300))) == "not_yet_valid"
    # A clock a few seconds behind the issuer's is what the leeway is for.
    token = hs256_token({"alg": "HS256"}, session_claims(iat=NOW + 20))
    assert verify_session_token(token, KEY, NOW).issued_at == NOW + 20


def test_tampered_payload_keeps_old_signature():
    header, payload, signature = issue_session_token("T2001", 3, KEY, NOW, TTL).split(".")
    claims = json.loads(unb64(payload))
    claims["sub"] = "T0001"  # someone else's 工号
    assert session_reason(f"{header}.{json_b64(claims)}.{signature}") == "bad_signature"


def test_tampered_signature():
    header, payload, signature = issue_session_token("T2001", 3, KEY, NOW, TTL).split(".")
    flipped = bytearray(unb64(signature))
    flipped[0] ^= 1
    assert session_reason(f"{header}.{payload}.{b64(bytes(flipped))}") == "bad_signature"
    assert session_reason(f"{header}.{payload}.") == "bad_signature"


def test_signed_with_another_key():
    assert session_reason(issue_session_token("T2001", 3, OTHER_KEY, NOW, TTL)) == "bad_signature"


def test_alg_none_with_empty_signature():
    token = f"{json_b64({'alg': 'none', 'typ': 'JWT'})}.{json_b64(session_claims())}."
    assert session_reason(token) == "wrong_algorithm"


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "HS512", "RS256", "hs256", "HS256 ", "", None, ["HS256"]])
def test_any_other_algorithm_is_refused_even_when_correctly_signed(alg):
    header = {"typ": "JWT"} if alg is None else {"alg": alg, "typ": "JWT"}
    assert session_reason(hs256_token(header, session_claims())) == "wrong_algorithm"


def test_duplicate_header_members_are_malformed():
    # Some parsers keep the first "alg", others the last; a token that reads differently to each is refused.
    header = b64(b'{"alg":"none","alg":"HS256"}')
    payload = json_b64(session_claims())
    signature = b64(hmac.new(KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert session_reason(f"{header}.{payload}.{signature}") == "malformed"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.e30.",  # not base64url
        "eyJhbGciOiJIUzI1NiJ9==.e30.",  # padding is not part of the compact form
        "eyJhbGciOiJIUzI1NiJ9.e30.A",  # impossible base64 length
        f"{b64(b'not json')}.e30.",
        f"{b64(b'[1, 2]')}.e30.",  # JSON, but not an object
        f"{b64(b'{"alg": NaN}')}.e30.",  # not JSON either
        f"{b64(bytes([0xFF, 0xFE]))}.e30.",  # not UTF-8
        "x" * 20_000,
    ],
)
def test_malformed(token):
    assert session_reason(token) == "malformed"


def test_non_canonical_base64_is_malformed():
    # A 32-byte signature leaves two spare bits in its last character; setting them spells the same bytes differently.
    header, payload, signature = issue_session_token("T2001", 3, KEY, NOW, TTL).split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = signature[:-1] + alphabet[alphabet.index(signature[-1]) + 1]
    assert unb64(respelled) == unb64(signature)
    assert session_reason(f"{header}.{payload}.{respelled}") == "malformed"


def test_correctly_signed_but_not_json_payload_is_malformed():
    header = json_b64({"alg": "HS256"})
    payload = b64(b"not json")
    signature = b64(hmac.new(KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert session_reason(f"{header}.{payload}.{signature}") == "malformed"


def test_wrong_issuer():
    assert session_reason(hs256_token({"alg": "HS256"}, session_claims(iss="someone-else"))) == "wrong_issuer"
    assert session_reason(hs256_token({"alg": "HS256"}, session_claims(iss=None))) == "wrong_issuer"


@pytest.mark.parametrize(
    "changes",
    [{"sub": None}, {"sub": ""}, {"sub": 2001}, {"sv": None}, {"sv": "3"}, {"sv": True}, {"exp": None}, {"iat": None}],
    ids=str,
)
def test_missing_or_mistyped_claims(changes):
    assert session_reason(hs256_token({"alg": "HS256"}, session_claims(**changes))) == "missing_claim"


@pytest.mark.parametrize("key", [b"", b"short", b"k" * 31, "k" * 32])
def test_weak_keys_are_a_programming_error(key):
    with pytest.raises(ValueError):
        issue_session_token("T2001", 3, key, NOW, TTL)
    with pytest.raises(ValueError):
        verify_session_token(issue_session_token("T2001", 3, KEY, NOW, TTL), key, NOW)


@pytest.mark.parametrize(
    ("staff_no", "version", "ttl"), [("", 1, TTL), ("T2001", "1", TTL), ("T2001", 1, 0), ("T2001", True, TTL)]
)
def test_issue_refuses_nonsense(staff_no, version, ttl):
    with pytest.raises(ValueError):
        issue_session_token(staff_no, version, KEY, NOW, ttl)


# --- OpenID Connect ------------------------------------------------------------------------------------------------

ISSUER = "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Example"
CLIENT_ID = "4example0client0id"
CONFIG = OidcConfig(issuer=ISSUER, audience=CLIENT_ID)
KID = "key-2026"


def int_b64(value: int) -> str:
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def jwk(key: rsa.RSAPrivateKey, kid: str = KID, **extra: str) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    fields = {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": int_b64(numbers.n), "e": int_b64(numbers.e)}
    return fields | extra


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks(rsa_key: rsa.RSAPrivateKey) -> dict[str, Any]:
    return {"keys": [jwk(rsa_key)]}


def rs256_token(key: rsa.RSAPrivateKey, claims: dict[str, Any], **header: Any) -> str:
    signing_input = f"{json_b64({'alg': 'RS256', 'typ': 'JWT', 'kid': KID} | header)}.{json_b64(claims)}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}"


def id_claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "token_use": "id",
        "iat": NOW - 10,
        "exp": NOW + 3600,
        "preferred_username": "T2001",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def oidc_reason(token: str, jwks: dict[str, Any], config: OidcConfig = CONFIG, now: int = NOW) -> str:
    with pytest.raises(TokenInvalid) as caught:
        verify_oidc_token(token, jwks, config, now)
    return caught.value.reason


def test_oidc_valid_token_returns_normalised_staff_no(rsa_key, jwks):
    assert verify_oidc_token(rs256_token(rsa_key, id_claims()), jwks, CONFIG, NOW) == "T2001"
    # Full-width characters, lower case and stray spaces, as directory exports sometimes have them.
    token = rs256_token(rsa_key, id_claims(preferred_username=" ｔ２００１ "))
    assert verify_oidc_token(token, jwks, CONFIG, NOW) == "T2001"


def test_oidc_key_found_among_several(rsa_key, jwks):
    other = {"kty": "RSA", "kid": "retired", "n": jwks["keys"][0]["n"], "e": "AQAB"}
    rotated = {"keys": [{"kty": "EC", "kid": "ec", "crv": "P-256"}, other, jwks["keys"][0]]}
    assert verify_oidc_token(rs256_token(rsa_key, id_claims()), rotated, CONFIG, NOW) == "T2001"


def test_oidc_audience_list(rsa_key, jwks):
    token = rs256_token(rsa_key, id_claims(aud=["other-app", CLIENT_ID]))
    assert verify_oidc_token(token, jwks, CONFIG, NOW) == "T2001"


def test_oidc_cognito_access_token_with_client_id(rsa_key, jwks):
    config = OidcConfig(issuer=ISSUER, audience=CLIENT_ID, staff_no_claim="custom:staff_no")
    claims = id_claims(aud=None, preferred_username=None, token_use="access", client_id=CLIENT_ID)
    claims["custom:staff_no"] = "t2001"
    assert verify_oidc_token(rs256_token(rsa_key, claims), jwks, config, NOW) == "T2001"
    claims["client_id"] = "another-client"
    assert oidc_reason(rs256_token(rsa_key, claims), jwks, config) == "wrong_audience"


def test_oidc_signed_by_another_key_with_the_same_kid(jwks):
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert oidc_reason(rs256_token(impostor, id_claims()), jwks) == "bad_signature"


def test_oidc_tampered_claims(rsa_key, jwks):
    header, _, signature = rs256_token(rsa_key, id_claims()).split(".")
    assert oidc_reason(f"{header}.{json_b64(id_claims(preferred_username='T0001'))}.{signature}", jwks) == (
        "bad_signature"
    )


def test_oidc_signature_out_of_range(rsa_key, jwks):
    header, payload, _ = rs256_token(rsa_key, id_claims()).split(".")
    n = rsa_key.public_key().public_numbers().n
    assert oidc_reason(f"{header}.{payload}.{b64(n.to_bytes(256, 'big'))}", jwks) == "bad_signature"
    one_byte_short = b64(bytes(255))
    assert oidc_reason(f"{header}.{payload}.{one_byte_short}", jwks) == "bad_signature"


def _cube_root_ceil(value: int) -> int:
    root = 1 << ((value.bit_length() + 2) // 3)  # above the root; Newton's method then descends to it
    while True:
        smaller = (2 * root + value // (root * root)) // 3
        if smaller >= root:
            break
        root = smaller
    while root**3 < value:
        root += 1
    return root


def test_oidc_bleichenbacher_forgery_against_e3_is_refused(rsa_key):
    # With e = 3, a cube root gives a "signature" whose cube starts with valid-looking padding, DigestInfo and hash
    # and ends in garbage. A verifier that parses the padding instead of comparing the whole block accepts it.
    n = rsa_key.public_key().public_numbers().n
    jwks_e3 = {"keys": [{"kty": "RSA", "kid": KID, "n": int_b64(n), "e": int_b64(3)}]}
    header = json_b64({"alg": "RS256", "kid": KID})
    payload = json_b64(id_claims(preferred_username="T0001"))
    digest = hashlib.sha256(f"{header}.{payload}".encode()).digest()
    prefix = b"\x00\x01" + b"\xff" * 8 + b"\x00" + bytes.fromhex("3031300d060960864801650304020105000420") + digest
    garbage_bits = 8 * (256 - len(prefix))
    forged = _cube_root_ceil(int.from_bytes(prefix, "big") << garbage_bits)
    assert (forged**3 >> garbage_bits) == int.from_bytes(prefix, "big")  # the forgery is real
    assert forged**3 < n
    assert oidc_reason(f"{header}.{payload}.{b64(forged.to_bytes(256, 'big'))}", jwks_e3) == "bad_signature"


def test_oidc_unknown_kid(rsa_key, jwks):
    assert oidc_reason(rs256_token(rsa_key, id_claims(), kid="someone-elses"), jwks) == "unknown_key"
    assert oidc_reason(rs256_token(rsa_key, id_claims(), kid=None), jwks) == "unknown_key"
    assert oidc_reason(rs256_token(rsa_key, id_claims()), {"keys": []}) == "unknown_key"
    assert oidc_reason(rs256_token(rsa_key, id_claims()), {}) == "unknown_key"


@pytest.mark.parametrize(
    "extra", [{"use": "enc"}, {"alg": "RS512"}, {"kty": "EC"}, {"e": "AQ"}, {"e": "Ag"}, {"n": "!!"}], ids=str
)
def test_oidc_unusable_jwks_entries_are_ignored(rsa_key, extra):
    assert oidc_reason(rs256_token(rsa_key, id_claims()), {"keys": [jwk(rsa_key, **extra)]}) == "unknown_key"


def test_oidc_small_rsa_key_is_refused():
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert oidc_reason(rs256_token(weak, id_claims()), {"keys": [jwk(weak)]}) == "unknown_key"


def test_oidc_hs256_with_public_modulus_as_secret(rsa_key, jwks):
    # The classic confusion: anyone can HMAC with the public key, so RS256 verifiers must never run HMAC.
    modulus = unb64(jwks["keys"][0]["n"])
    assert oidc_reason(hs256_token({"alg": "HS256", "kid": KID}, id_claims(), key=modulus), jwks) == "wrong_algorithm"


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512", "PS256", "ES256", "rs256"])
def test_oidc_other_algorithms(rsa_key, jwks, alg):
    assert oidc_reason(rs256_token(rsa_key, id_claims(), alg=alg), jwks) == "wrong_algorithm"


def test_oidc_alg_none_unsigned(jwks):
    token = f"{json_b64({'alg': 'none', 'kid': KID})}.{json_b64(id_claims())}."
    assert oidc_reason(token, jwks) == "wrong_algorithm"


@pytest.mark.parametrize("aud", ["other-app", ["other-app"], [], None, ""])
def test_oidc_wrong_audience(rsa_key, jwks, aud):
    claims = id_claims()
    claims["aud"] = aud
    assert oidc_reason(rs256_token(rsa_key, claims), jwks) == "wrong_audience"


def test_oidc_missing_audience_and_client_id(rsa_key, jwks):
    assert oidc_reason(rs256_token(rsa_key, id_claims(aud=None)), jwks) == "wrong_audience"


def test_oidc_wrong_token_use(rsa_key, jwks):
    assert oidc_reason(rs256_token(rsa_key, id_claims(token_use="refresh")), jwks) == "wrong_audience"


@pytest.mark.parametrize("iss", ["https://evil.example", ISSUER + "/", None])
def test_oidc_wrong_issuer(rsa_key, jwks, iss):
    assert oidc_reason(rs256_token(rsa_key, id_claims(iss=iss)), jwks) == "wrong_issuer"


def test_oidc_expired(rsa_key, jwks):
    token = rs256_token(rsa_key, id_claims(exp=NOW - 61))
    assert oidc_reason(token, jwks) == "expired"
    assert verify_oidc_token(token, jwks, CONFIG, NOW - 2) == "T2001"  # inside the 60 s leeway


@pytest.mark.parametrize("changes", [{"nbf": NOW + 120}, {"iat": NOW + 120}], ids=str)
def test_oidc_not_yet_valid(rsa_key, jwks, changes):
    assert oidc_reason(rs256_token(rsa_key, id_claims(**changes)), jwks) == "not_yet_valid"


@pytest.mark.parametrize(
    "changes",
    [
        {"preferred_username": None},
        {"preferred_username": ""},
        {"preferred_username": "\u3000 "},  # ideographic space only
        {"preferred_username": 2001},
        {"exp": None},
        {"exp": "tomorrow"},
        {"nbf": True},
    ],
    ids=str,
)
def test_oidc_missing_claims(rsa_key, jwks, changes):
    assert oidc_reason(rs256_token(rsa_key, id_claims(**changes)), jwks) == "missing_claim"


def test_oidc_infinite_expiry_is_missing(rsa_key, jwks):
    # json.dumps cannot write this; a provider's JSON can, and it parses to float("inf").
    header = json_b64({"alg": "RS256", "kid": KID})
    payload = b64(json.dumps(id_claims(exp=None)).replace("}", ', "exp": 1e999}').encode())
    signature = rsa_key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    assert oidc_reason(f"{header}.{payload}.{b64(signature)}", jwks) == "missing_claim"


@pytest.mark.parametrize("field", ["issuer", "audience", "staff_no_claim"])
def test_oidc_config_refuses_empty_values(field):
    values = {"issuer": ISSUER, "audience": CLIENT_ID, "staff_no_claim": "preferred_username"} | {field: ""}
    with pytest.raises(ValueError):
        OidcConfig(**values)


def test_rsa_libraries_load_only_when_a_provider_token_arrives(rsa_key, jwks):
    # A cold start pays for PyJWT and cryptography (about 0.1 s) only on its first RS256 token, never at import.
    code = (
        "import sys, app\n"
        "from chalicelib.domain.tokens import issue_session_token, verify_session_token\n"
        f"verify_session_token(issue_session_token('T2001', 3, {KEY!r}, {NOW}, {TTL}), {KEY!r}, {NOW})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'jwt', 'cryptography', 'cffi'}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_oidc_private_parts_in_a_jwks_entry_are_ignored(rsa_key):
    # A provider that publishes "d" by mistake: only the public half is used, and the token still verifies.
    private = rsa_key.private_numbers()
    leaked = jwk(rsa_key, d=int_b64(private.d), p=int_b64(private.p), q=int_b64(private.q))
    assert verify_oidc_token(rs256_token(rsa_key, id_claims()), {"keys": [leaked]}, CONFIG, NOW) == "T2001"


def test_oidc_unusable_key_is_skipped_for_a_usable_one_with_the_same_kid(rsa_key):
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    keys = {"keys": [jwk(weak), jwk(rsa_key, n=123), jwk(rsa_key)]}
    assert verify_oidc_token(rs256_token(rsa_key, id_claims()), keys, CONFIG, NOW) == "T2001"


def test_oidc_unknown_critical_header_is_malformed(rsa_key, jwks):
    # RFC 7515 4.1.11: a recipient that does not understand an extension listed in "crit" must refuse the token.
    assert oidc_reason(rs256_token(rsa_key, id_claims(), crit=["exp"], exp=NOW), jwks) == "malformed"

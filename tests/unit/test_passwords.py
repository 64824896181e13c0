"""Password hashing and policy, and the one-time activation codes handed out on paper."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from chalicelib.domain.passwords import (
    ACTIVATION_CODE_ALPHABET,
    activation_code_digest,
    hash_password,
    needs_rehash,
    new_activation_code,
    normalise_activation_code,
    password_problems,
    verify_password,
)

CODE_KEY = b"a" * 32


def b64(data: bytes) -> str:
    return base64.b64encode(data).rstrip(b"=").decode("ascii")


def scrypt_hash(password: str, log2_n: int, r: int, p: int, salt: bytes = bytes(16), length: int = 32) -> str:
    """A hash in the module's format made with chosen parameters, as an older release would have stored it."""
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**log2_n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=length)
    return f"scrypt$ln={log2_n},r={r},p={p}${b64(salt)}${b64(digest)}"


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password("红旗渠2026!")


def test_round_trip(stored):
    assert re.fullmatch(r"scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}", stored)
    assert verify_password("红旗渠2026!", stored)


def test_wrong_password(stored):
    assert not verify_password("红旗渠2026", stored)
    assert not verify_password("", stored)


def test_full_width_input_matches_half_width(stored):
    # The same keys typed with a Chinese input method in full-width mode.
    assert verify_password("红旗渠２０２６！", stored)


def test_same_password_hashes_differently(stored):
    again = hash_password("红旗渠2026!")
    assert again != stored
    assert verify_password("红旗渠2026!", again)


def test_hash_made_with_other_parameters_still_verifies():
    assert verify_password("correct horse", scrypt_hash("correct horse", 10, 8, 1))
    assert not verify_password("wrong horse", scrypt_hash("correct horse", 10, 8, 1))


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "scrypt",
        "correct horse",
        "bcrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=14,r=8$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$r=8,ln=14,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=14,r=8,p=1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$",
        "scrypt$ln=14,r=8,p=1$A$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  # impossible base64 length
        "scrypt$ln=14,r=8,p=1$AAAA!AAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=0,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=14,r=0,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        # Parameters that would take gigabytes or minutes are refused, not attempted.
        "scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=99,r=99,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=14,r=8,p=99$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        # Full-width digits.
        "scrypt$ln=１４,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        None,
    ],
)
def test_malformed_encodings_are_false_not_errors(encoded):
    assert verify_password("correct horse", encoded) is False


def test_needs_rehash():
    assert not needs_rehash(hash_password("correct horse"))
    assert needs_rehash(scrypt_hash("correct horse", 12, 8, 1))
    assert needs_rehash(scrypt_hash("correct horse", 14, 4, 1))
    assert needs_rehash(scrypt_hash("correct horse", 14, 8, 1, salt=bytes(8)))
    assert needs_rehash(scrypt_hash("correct horse", 14, 8, 1, length=16))
    assert not needs_rehash(scrypt_hash("correct horse", 15, 8, 2))  # stronger than today's
    assert needs_rehash("not a hash")


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("红旗渠2026!", []),
        ("correct horse battery", []),
        ("123456789012", []),  # twelve digits are long enough
        ("Ab3$", ["too_short"]),
        ("", ["too_short"]),
        ("x" * 129, ["too_long", "too_simple"]),
        ("y" + "x" * 128, ["too_long"]),
        ("t2001abc", ["same_as_staff_no"]),
        ("ｔ２００１ａｂｃ", ["same_as_staff_no"]),  # full-width
        ("aaaaaaaa", ["too_simple"]),
        ("12345678", ["too_simple"]),
        ("11111111", ["too_simple"]),
        ("88888888", ["too_simple"]),
        ("123456789", ["too_simple"]),
        ("20260101205", ["too_simple"]),  # a date plus a few digits
        ("password", ["too_simple"]),
        ("PassWord", ["too_simple"]),
        ("qwerty123", ["too_simple"]),
        ("abc12345", ["too_simple"]),
        ("a123456789", ["too_simple"]),
        ("1234", ["too_short", "too_simple"]),
    ],
)
def test_password_problems(password, problems):
    assert password_problems(password, "T2001ABC") == problems


def test_activation_code_format():
    codes = {new_activation_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[^-]{4}-[^-]{4}-[^-]{2}", code)
        assert set(code.replace("-", "")) <= set(ACTIVATION_CODE_ALPHABET)
    assert not set("01OIL") & set(ACTIVATION_CODE_ALPHABET)
    # Over 200 codes every character of the alphabet should have turned up (odds of a miss are about 1e-27).
    assert set("".join(codes).replace("-", "")) == set(ACTIVATION_CODE_ALPHABET)


def test_normalise_activation_code():
    assert normalise_activation_code("k7qm 3xwp-9a") == "K7QM3XWP9A"
    assert normalise_activation_code(" K7QM－3XWP—9A\t") == "K7QM3XWP9A"  # full-width dash, em dash, tab
    assert normalise_activation_code("ｋ７ｑｍ３ｘｗｐ９ａ") == "K7QM3XWP9A"
    code = new_activation_code()
    assert normalise_activation_code(code) == code.replace("-", "")


def test_activation_code_digest():
    digest = activation_code_digest("K7QM-3XWP-9A", CODE_KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert activation_code_digest("k7qm 3xwp 9a", CODE_KEY) == digest
    assert activation_code_digest("K7QM-3XWP-9B", CODE_KEY) != digest
    assert activation_code_digest("K7QM-3XWP-9A", b"b" * 32) != digest
    assert "K7QM3XWP9A" not in digest


@pytest.mark.parametrize("key", [b"", b"a" * 31, "a" * 32])
def test_activation_code_digest_refuses_weak_keys(key):
    with pytest.raises(ValueError):
        activation_code_digest("K7QM-3XWP-9A", key)

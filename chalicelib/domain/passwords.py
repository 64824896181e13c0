"""Member passwords (scrypt, memory-hard) and the one-time activation codes new members use to set one."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import unicodedata

# scrypt needs 128 * r * N bytes (16 MiB here) per hash, which is what makes GPU and ASIC guessing expensive.
# One hash_password call takes about 38 ms on the development machine (AMD EPYC, 2 vCPUs; median of 20 runs).
SCRYPT_LOG2_N = 14
SCRYPT_R = 8
SCRYPT_P = 1
# Explicit, because OpenSSL's default limit (32 MiB) sits too close to what the parameters above need.
SCRYPT_MAXMEM = 64 * 1024 * 1024
SALT_BYTES = 16
HASH_BYTES = 32

MIN_PASSWORD_CHARS = 8
# Room for any passphrase; the cap keeps a form post from feeding megabytes into the hash.
MAX_PASSWORD_CHARS = 128
# Digit-only passwords shorter than 12 fall to the "only digits" rule, so none are listed here.
_COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "passw0rd",
        "p@ssw0rd",
        "qwerty123",
        "qwer1234",
        "qwertyuiop",
        "1qaz2wsx",
        "abc12345",
        "abcd1234",
        "abc123456",
        "a12345678",
        "a123456789",
        "aa123456",
        "asdf1234",
        "admin123",
        "iloveyou",
        "woaini1314",
        "zxcvbnm123",
    }
)

ACTIVATION_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O/1/I/L: codes are read off paper
ACTIVATION_CODE_LENGTH = 10  # 31**10, about 2**49.5 codes
ACTIVATION_KEY_MIN_BYTES = 32

_ENCODED = re.compile(r"scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)", re.ASCII)


def _normalise_password(password: str) -> str:
    # Chinese input methods in full-width mode type "ｐａｓｓ１２３"; the same keys must give the same password.
    return unicodedata.normalize("NFKC", password)


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        _normalise_password(password).encode("utf-8"),
        salt=salt,
        n=2**log2_n,
        r=r,
        p=p,
        maxmem=SCRYPT_MAXMEM,
        dklen=length,
    )


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def hash_password(password: str) -> str:
    """``scrypt$ln=14,r=8,p=1$<salt>$<hash>``, base64 without padding (the PHC string layout, minus the leading $)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt$ln={SCRYPT_LOG2_N},r={SCRYPT_R},p={SCRYPT_P}${_b64encode(salt)}${_b64encode(digest)}"


def _parse(encoded: str) -> tuple[int, int, int, bytes, bytes] | None:
    match = _ENCODED.fullmatch(encoded) if isinstance(encoded, str) else None
    if match is None:
        return None
    log2_n, r, p = (int(group) for group in match.group(1, 2, 3))
    # maxmem bounds N * r (scrypt refuses before doing any work) once n fits a machine word; p multiplies the time
    # without using more memory, so it needs a bound of its own.
    if not (1 <= log2_n <= 32 and r >= 1 and 1 <= p <= 16):
        return None
    try:
        return log2_n, r, p, _b64decode(match[4]), _b64decode(match[5])
    except binascii.Error:
        return None


def verify_password(password: str, encoded: str) -> bool:
    """False for a wrong password and for anything that is not a hash this module wrote (never an exception)."""
    parsed = _parse(encoded)
    if parsed is None:
        return False
    log2_n, r, p, salt, expected = parsed
    try:
        actual = _scrypt(password, salt, log2_n, r, p, len(expected))
    except ValueError:  # parameters that need more than SCRYPT_MAXMEM
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(encoded: str) -> bool:
    """Whether a hash that just verified should be replaced by one made with today's parameters."""
    parsed = _parse(encoded)
    if parsed is None:
        return True
    log2_n, r, p, salt, digest = parsed
    return log2_n < SCRYPT_LOG2_N or r < SCRYPT_R or p < SCRYPT_P or len(salt) < SALT_BYTES or len(digest) < HASH_BYTES


def password_problems(password: str, staff_no: str) -> list[str]:
    """Codes for what is wrong with a new password; empty when it is acceptable."""
    text = _normalise_password(password)
    problems = []
    if len(text) < MIN_PASSWORD_CHARS:
        problems.append("too_short")
    if len(text) > MAX_PASSWORD_CHARS:
        problems.append("too_long")
    if text.casefold() == unicodedata.normalize("NFKC", staff_no).strip().casefold():
        problems.append("same_as_staff_no")
    if len(set(text)) == 1 or (text.isdigit() and len(text) < 12) or text.casefold() in _COMMON_PASSWORDS:
        problems.append("too_simple")
    return problems


def new_activation_code() -> str:
    """Ten random characters shown as ``XXXX-XXXX-XX``, short enough to copy from a printed sheet."""
    code = "".join(secrets.choice(ACTIVATION_CODE_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_activation_code(text: str) -> str:
    """Upper case without spaces or dashes of any width, so "k7qm 3xwp－9a" matches "K7QM-3XWP-9A"."""
    upper = unicodedata.normalize("NFKC", text).upper()
    return "".join(ch for ch in upper if not ch.isspace() and unicodedata.category(ch) != "Pd")


def activation_code_digest(code: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the normalised code: the database stores only this, so a leaked table yields no codes.

    A keyed hash rather than scrypt: the codes carry about 49 bits of randomness, and without the key there is
    nothing to guess against, so lookups can stay a cheap exact match on the digest.
    """
    if not isinstance(key, bytes) or len(key) < ACTIVATION_KEY_MIN_BYTES:
        raise ValueError(f"activation key must be at least {ACTIVATION_KEY_MIN_BYTES} bytes")
    return hmac.new(key, normalise_activation_code(code).encode("utf-8"), hashlib.sha256).hexdigest()

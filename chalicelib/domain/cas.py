"""Campus CAS (统一身份认证, CAS protocol 3.0) as pure rules: the addresses of the login and validation steps, what a
service ticket may look like, and reading the server's ``/p3/serviceValidate`` answer safely.

The answer is XML from another host: it is read only when it is small, has no DOCTYPE (so no entity can expand or
reach outside) and is the CAS namespace's ``serviceResponse``; anything else is ``CasAnswerInvalid``."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlencode

CAS_NAMESPACE = "http://www.yale.edu/tp/cas"
MAX_ANSWER_BYTES = 64 * 1024
# CAS 3.0 §3.1.1: a service ticket begins with "ST-"; servers keep them to 256 characters, of URL-safe characters.
_SERVICE_TICKET = re.compile(r"ST-[A-Za-z0-9._~:-]{1,253}")
_STAFF_NO = re.compile(r"[0-9A-Za-z_.@-]{1,64}")


class CasAnswerInvalid(ValueError):
    """The server's answer is not a CAS 3.0 serviceResponse this app can read."""


class CasAnswer(NamedTuple):
    """A validation's outcome: the 工号 (``staff_no``) on success, else the failure ``code`` CAS named."""

    staff_no: str | None = None
    code: str | None = None


def login_url(base_url: str, service: str) -> str:
    return f"{base_url}/login?{urlencode({'service': service})}"


def validate_url(base_url: str, service: str, ticket: str) -> str:
    return f"{base_url}/p3/serviceValidate?{urlencode({'service': service, 'ticket': ticket})}"


def is_service_ticket(ticket: str) -> bool:
    return bool(_SERVICE_TICKET.fullmatch(ticket))


def _local(tag: str) -> str:
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if namespace != CAS_NAMESPACE:
        raise CasAnswerInvalid(f"element outside the CAS namespace: {name[:40]}")
    return name


def parse_service_response(raw: bytes, staff_no_attribute: str | None = None) -> CasAnswer:
    """The outcome of ``/p3/serviceValidate``: ``<cas:authenticationSuccess>`` gives the 工号 (``cas:user``, or
    the attribute ``staff_no_attribute`` under ``cas:attributes``); ``<cas:authenticationFailure code="...">``
    the failure code. Raises ``CasAnswerInvalid`` for anything else, too large, or with a DOCTYPE."""
    import xml.etree.ElementTree as ElementTree  # only the CAS callback parses XML

    if len(raw) > MAX_ANSWER_BYTES:
        raise CasAnswerInvalid("answer too large")
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise CasAnswerInvalid("a DOCTYPE or entity declaration")
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        raise CasAnswerInvalid("not well-formed XML") from error
    if _local(root.tag) != "serviceResponse" or len(root) != 1:
        raise CasAnswerInvalid("not a serviceResponse with one outcome")
    outcome = root[0]
    kind = _local(outcome.tag)
    if kind == "authenticationFailure":
        code = (outcome.get("code") or "UNKNOWN").strip()[:40]
        return CasAnswer(code=code if re.fullmatch(r"[A-Z_]{1,40}", code) else "UNKNOWN")
    if kind != "authenticationSuccess":
        raise CasAnswerInvalid(f"unexpected outcome {kind[:40]}")
    path = f"{{{CAS_NAMESPACE}}}attributes/{{{CAS_NAMESPACE}}}{staff_no_attribute}"
    found = outcome.find(path if staff_no_attribute else f"{{{CAS_NAMESPACE}}}user")
    staff_no = (found.text or "").strip() if found is not None else ""
    if not _STAFF_NO.fullmatch(staff_no):
        raise CasAnswerInvalid("no usable 工号 in the answer")
    return CasAnswer(staff_no=staff_no)

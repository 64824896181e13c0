"""Reading a CAS 3.0 serviceValidate answer safely (chalicelib.domain.cas), and the protocol's addresses."""

import pytest

from chalicelib.domain.cas import (
    CasAnswer,
    CasAnswerInvalid,
    is_service_ticket,
    login_url,
    parse_service_response,
    validate_url,
)

NS = 'xmlns:cas="http://www.yale.edu/tp/cas"'
SUCCESS = f"""<cas:serviceResponse {NS}>
  <cas:authenticationSuccess>
    <cas:user>2014001</cas:user>
    <cas:attributes><cas:employeeNumber>T2014001</cas:employeeNumber><cas:cn>张三</cas:cn></cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>""".encode()


def test_success_gives_the_user_or_the_named_attribute():
    assert parse_service_response(SUCCESS) == CasAnswer(staff_no="2014001")
    assert parse_service_response(SUCCESS, "employeeNumber") == CasAnswer(staff_no="T2014001")
    with pytest.raises(CasAnswerInvalid, match="no usable"):
        parse_service_response(SUCCESS, "mail")  # the attribute the deployment named is not there


def test_failure_gives_its_code():
    raw = (
        f'<cas:serviceResponse {NS}><cas:authenticationFailure code="INVALID_TICKET">Ticket ST-1 not recognized'
        "</cas:authenticationFailure></cas:serviceResponse>"
    )
    assert parse_service_response(raw.encode()) == CasAnswer(code="INVALID_TICKET")
    odd = f'<cas:serviceResponse {NS}><cas:authenticationFailure code="&lt;b&gt;"/></cas:serviceResponse>'
    assert parse_service_response(odd.encode()) == CasAnswer(code="UNKNOWN")


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><body>502</body></html>",
        b"not xml at all",
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"/>',
        b'<!doctype x SYSTEM "file:///etc/passwd"><x/>',
        b"<serviceResponse><authenticationSuccess><user>2014001</user></authenticationSuccess></serviceResponse>",
        f"<cas:serviceResponse {NS}><cas:proxySuccess/></cas:serviceResponse>".encode(),
        f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>a b</cas:user>"
        "</cas:authenticationSuccess></cas:serviceResponse>".encode(),
        f"<cas:serviceResponse {NS}><cas:authenticationSuccess><cas:user>{'1' * 65}</cas:user>"
        "</cas:authenticationSuccess></cas:serviceResponse>".encode(),
        SUCCESS + b" " * 70_000,
    ],
)
def test_anything_else_is_refused(raw: bytes):
    with pytest.raises(CasAnswerInvalid):
        parse_service_response(raw)


def test_addresses_and_tickets():
    service = "https://union.example.edu.cn/signin/cas?next=%2Fme"
    assert login_url("https://cas.example.edu.cn/cas", service) == (
        "https://cas.example.edu.cn/cas/login?service=https%3A%2F%2Funion.example.edu.cn%2Fsignin%2Fcas%3Fnext%3D%252Fme"
    )
    assert validate_url("https://cas.example.edu.cn/cas", service, "ST-1-abc").endswith("&ticket=ST-1-abc")
    assert is_service_ticket("ST-1-Ab_c.d-e~f:cas")
    for bad in ("", "PT-1-abc", "ST-", "ST-a b", "ST-<x>", "ST-" + "a" * 254):
        assert not is_service_ticket(bad)

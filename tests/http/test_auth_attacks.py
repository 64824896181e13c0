"""Sign-in and tokens under attack, through the real app: every forged or stale credential is refused."""

import base64
import csv
import io
import json
import os
import time

import pytest

from chalicelib.domain.tokens import issue_session_token
from chalicelib.settings import get_settings


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _me(client, token):
    return client.http.get("/api/me", headers={"Authorization": f"Bearer {token}"})


def _sign_in(client, staff_no, password):
    body = json.dumps({"staff_no": staff_no, "password": password}).encode()
    return client.http.post("/api/auth/sign-in", headers={"Content-Type": "application/json"}, body=body)


def _account(demo_union, fragment):
    return next(a for a in demo_union.accounts if fragment in a.role)


def test_sign_in_returns_a_working_bearer_token_and_an_httponly_cookie(client, demo_union):
    account = _account(demo_union, "member")
    response = _sign_in(client, account.staff_no, account.password)
    assert response.status_code == 200
    cookies = {k.lower(): v for k, v in response.headers.items()}["set-cookie"]
    cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The known-device cookie lets this browser through delays that strangers' wrong passwords cause.
    device = next(c for c in cookies if c.startswith("known_device="))
    assert "HttpOnly" in device and "SameSite=Lax" in device
    token = response.json_body["token"]
    assert _me(client, token).json_body["staff_no"] == account.staff_no
    by_cookie = client.http.get("/api/me", headers={"Cookie": cookie.split(";")[0]})
    assert by_cookie.status_code == 200


def test_unknown_staff_no_and_wrong_password_get_the_same_answer(client, demo_union):
    account = _account(demo_union, "member")
    unknown = _sign_in(client, "9999999", "whatever-password")
    wrong = _sign_in(client, account.staff_no, "not-the-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json_body["error"]["code"] == wrong.json_body["error"]["code"] == "invalid_credentials"


def test_expired_token_is_refused_as_expired(client, callers):
    key = get_settings().session_key.encode()
    stale = issue_session_token(callers["member"].staff_no, 1, key, int(time.time()) - 10 * 3600, 3600)
    response = _me(client, stale)
    assert response.status_code == 401 and response.json_body["error"]["code"] == "session_expired"


def test_tampered_token_is_refused(client, callers):
    header, payload, signature = callers["member"].token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = callers["union_admin"].staff_no
    forged = ".".join([header, _b64(json.dumps(claims).encode()), signature])
    assert _me(client, forged).status_code == 401


def test_token_signed_with_another_key_is_refused(client, callers):
    token = issue_session_token(callers["union_admin"].staff_no, 1, b"k" * 40, int(time.time()), 3600)
    assert _me(client, token).status_code == 401


def test_alg_none_token_is_refused(client, callers):
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    claims = {
        "iss": "union-events",
        "sub": callers["union_admin"].staff_no,
        "sv": 1,
        "iat": int(time.time()),
        "exp": int(time.time()) + 3600,
    }
    token = f"{header}.{_b64(json.dumps(claims).encode())}."
    assert _me(client, token).status_code == 401


def test_a_member_cannot_read_another_units_member_nor_an_admin_route(client, callers, demo_union):
    hospital_member = next(m for m in demo_union.members if m.unit_id == "hospital")
    response = client.http.get(f"/api/members/{hospital_member.staff_no}", headers=callers["unit_admin"].headers())
    assert response.status_code == 403
    response = client.http.get("/api/units/cs/members", headers=callers["member"].headers())
    assert response.status_code == 403


def test_private_details_are_shown_only_to_the_member_and_their_admins(client, callers, demo_union):
    member = callers["member"]
    own = client.http.get(f"/api/members/{member.staff_no}", headers=member.headers()).json_body
    assert own["phone"] and own["birth_date"]
    by_admin = client.http.get(f"/api/members/{member.staff_no}", headers=callers["unit_admin"].headers()).json_body
    assert by_admin["phone"] == own["phone"]
    # Another unit's admin sees the unit list of members only of their own unit, and no one else's phones.
    listing = client.http.get("/api/units/hospital/members?limit=5", headers=callers["other_unit_admin"].headers())
    assert listing.status_code == 200 and all(m["unit_id"] == "hospital" for m in listing.json_body["members"])


def test_member_search_pages_through_a_unit(client, callers, demo_union):
    in_cs = sorted(m.staff_no for m in demo_union.members if m.unit_id == "cs")
    seen, cursor = [], None
    while True:
        url = "/api/units/cs/members?limit=4" + (f"&cursor={cursor}" if cursor else "")
        page = client.http.get(url, headers=callers["unit_admin"].headers()).json_body
        seen += [m["staff_no"] for m in page["members"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == in_cs
    name = demo_union.members[[m.staff_no for m in demo_union.members].index(in_cs[0])].name
    found = client.http.get(f"/api/units/cs/members?q={name}", headers=callers["unit_admin"].headers()).json_body
    assert in_cs[0] in [m["staff_no"] for m in found["members"]]
    bad = client.http.get("/api/units/cs/members?cursor=@@@", headers=callers["unit_admin"].headers())
    assert bad.status_code == 400 and bad.json_body["error"]["code"] == "bad_cursor"


def test_member_change_is_audited_with_before_and_after(client, callers, demo_union):
    subject = next(m for m in demo_union.members if m.unit_id == "cs" and not m.roles and not m.admin_units)
    response = client.http.request(
        "PATCH",
        f"/api/members/{subject.staff_no}",
        headers=callers["unit_admin"].headers(**{"Content-Type": "application/json"}),
        body=json.dumps({"phone": "13912345678"}).encode(),
    )
    assert response.status_code == 200 and response.json_body["phone"] == "13912345678"
    entries = client.http.get("/api/audit?unit_id=cs", headers=callers["unit_admin"].headers()).json_body["entries"]
    entry = next(e for e in entries if e["target"] == subject.staff_no)
    assert entry["action"] == "member.update" and entry["actor"] == callers["unit_admin"].staff_no
    assert entry["before"] == {"phone": subject.phone} and entry["after"] == {"phone": "13912345678"}


def _roster(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["工号", "姓名", "性别", "出生日期", "二级工会", "手机号"])
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def _import(client, caller, data):
    return client.http.post(
        "/api/roster/imports?filename=roster.csv", headers=caller.headers(**{"Content-Type": "text/csv"}), body=data
    )


def test_roster_import_upserts_once_and_a_unit_admin_cannot_import_into_another_unit(client, callers):
    file = _roster(
        [
            ["T900001", "欧阳·娜娜", "女", "1990/4/17", "计算机学院", "13800000001"],
            ["T900002", "王　强", "男", "1985年3月9日", "cs", ""],
        ]
    )
    first = _import(client, callers["unit_admin"], file).json_body
    assert (first["accepted"], first["created"], first["updated"]) == (True, 2, 0)
    again = _import(client, callers["unit_admin"], file).json_body
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    member = client.http.get("/api/members/T900002", headers=callers["unit_admin"].headers()).json_body
    assert member["name"] == "王强"

    foreign = _roster([["T900003", "李四", "男", "1980-01-01", "计算机学院", ""]])
    refused = _import(client, callers["other_unit_admin"], foreign)
    assert refused.status_code == 200 and refused.json_body["accepted"] is False
    assert [(p["row"], p["code"]) for p in refused.json_body["problems"]] == [(2, "member_change.target_unit")]
    assert client.http.get("/api/members/T900003", headers=callers["union_admin"].headers()).status_code == 404


def test_an_invalid_roster_is_reported_row_by_row_and_nothing_is_written(client, callers):
    file = _roster(
        [
            ["T900010", "张三", "男", "1980-01-01", "计算机学院", ""],
            ["T900010", "张三", "男", "2023-02-30", "不存在学院", ""],
        ]
    )
    report = _import(client, callers["union_admin"], file).json_body
    assert report["accepted"] is False
    assert {(p["row"], p["code"]) for p in report["problems"]} >= {
        (3, "duplicate_staff_no"),
        (3, "bad_date"),
        (3, "unknown_unit"),
    }
    assert all(p["message_zh"] and p["message_en"] for p in report["problems"])
    assert client.http.get("/api/members/T900010", headers=callers["union_admin"].headers()).status_code == 404
    not_a_sheet = _import(client, callers["union_admin"], b"\x89PNG\r\n\x1a\n" + b"\0" * 100).json_body
    assert not_a_sheet["problems"][0]["code"] == "not_a_spreadsheet"


def test_activation_codes_work_once_and_need_a_decent_password(client, callers, demo_union):
    sheet = client.http.post("/api/units/cs/activation-codes", headers=callers["unit_admin"].headers())
    assert sheet.status_code == 200
    rows = list(csv.reader(io.StringIO(sheet.body.decode("utf-8-sig"))))
    assert rows[0][0].startswith("工号")
    demo_staff = {a.staff_no for a in demo_union.accounts}
    staff_no, _, code, _ = next(r for r in rows[1:] if r[0] not in demo_staff)

    def activate(password, code=code):
        body = json.dumps({"staff_no": staff_no, "code": code, "password": password}).encode()
        return client.http.post("/api/auth/activate", headers={"Content-Type": "application/json"}, body=body)

    weak = activate("12345678")
    assert weak.status_code == 400 and weak.json_body["error"]["details"][0]["field"] == "password"
    done = activate("Blossom-2026", code=code.lower().replace("-", " "))
    assert done.status_code == 200 and _me(client, done.json_body["token"]).status_code == 200
    again = activate("Another-2026")
    assert again.status_code == 400 and again.json_body["error"]["code"] == "activation_invalid"


def test_password_change_ends_other_sessions(client, demo_union):
    account = _account(demo_union, "附属医院")
    old = _sign_in(client, account.staff_no, account.password).json_body["token"]
    body = json.dumps({"current_password": account.password, "new_password": "Changed-2026!"}).encode()
    changed = client.http.post(
        "/api/me/password", headers={"Authorization": f"Bearer {old}", "Content-Type": "application/json"}, body=body
    )
    assert changed.status_code == 200
    assert _me(client, old).status_code == 401
    assert _me(client, changed.json_body["token"]).status_code == 200


@pytest.fixture
def oidc_provider(monkeypatch):
    """A provider whose keys the test generates; the app is configured to trust its JWKS."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()

    def b64int(value: int) -> str:
        return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    jwks = {
        "keys": [
            {
                "kty": "RSA",
                "kid": "campus-1",
                "use": "sig",
                "alg": "RS256",
                "n": b64int(numbers.n),
                "e": b64int(numbers.e),
            }
        ]
    }
    monkeypatch.setenv("OIDC_ISSUER", "https://sso.demo.edu.cn")
    monkeypatch.setenv("OIDC_AUDIENCE", "union-events")
    monkeypatch.setenv("OIDC_JWKS_JSON", json.dumps(jwks))
    get_settings.cache_clear()

    def sign(claims: dict) -> str:
        header = _b64(json.dumps({"alg": "RS256", "kid": "campus-1", "typ": "JWT"}).encode())
        body = _b64(json.dumps(claims).encode())
        signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{header}.{body}.{_b64(signature)}"

    yield sign
    for name in ("OIDC_ISSUER", "OIDC_AUDIENCE", "OIDC_JWKS_JSON"):
        os.environ.pop(name, None)
    get_settings.cache_clear()


def test_campus_sso_token_maps_its_claim_to_the_member(client, callers, oidc_provider):
    staff_no = callers["member"].staff_no
    now = int(time.time())
    claims = {
        "iss": "https://sso.demo.edu.cn",
        "aud": "union-events",
        "iat": now,
        "exp": now + 600,
        "preferred_username": staff_no.lower(),
    }
    assert _me(client, oidc_provider(claims)).json_body["staff_no"] == staff_no
    assert _me(client, oidc_provider({**claims, "aud": "another-app"})).status_code == 401
    assert _me(client, oidc_provider({**claims, "preferred_username": "0000000"})).status_code == 401

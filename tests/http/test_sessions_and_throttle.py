"""Sessions end at sign-out (one, or all of a member's), and wrong passwords slow strangers without locking out the
owner: growing delays with Retry-After, audited, and the owner is told. Real DynamoDB Local, the real app."""

import json
import time

import pytest

from chalicelib.domain.throttle import PAIR, UNFAMILIAR
from chalicelib.errors import RateLimited, Unauthenticated
from chalicelib.services import accounts
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
# The Chalice test client presents every request as coming from this address.
TEST_CLIENT_ADDRESS = "127.0.0.1"


def _account(demo_union, fragment):
    return next(a for a in demo_union.accounts if fragment in a.role)


def _headers(response):
    return {k.lower(): v for k, v in response.headers.items()}


def _cookies(response) -> dict[str, str]:
    values = _headers(response).get("set-cookie") or []
    values = [values] if isinstance(values, str) else values
    return {v.split("=", 1)[0]: v.split(";")[0] for v in values}


def _sign_in(client, staff_no, password, cookie=None):
    headers = {**JSON, **({"Cookie": cookie} if cookie else {})}
    body = json.dumps({"staff_no": staff_no, "password": password}).encode()
    return client.http.post("/api/auth/sign-in", headers=headers, body=body)


def _me(client, token):
    return client.http.get("/api/me", headers={"Authorization": f"Bearer {token}"})


def _service_sign_in(account, address, device=None, password=None, at=None):
    return accounts.sign_in(
        get_store(), get_settings(), account.staff_no, password or account.password, address, device, at=at
    )


# ---- sessions -----------------------------------------------------------------------------------------------


def test_api_sign_out_ends_the_bearer_token_and_only_that_session(client, demo_union):
    account = _account(demo_union, "member")
    first = _sign_in(client, account.staff_no, account.password).json_body["token"]
    second = _sign_in(client, account.staff_no, account.password).json_body["token"]
    assert _me(client, first).status_code == _me(client, second).status_code == 200
    out = client.http.post("/api/auth/sign-out", headers={"Authorization": f"Bearer {first}"})
    assert out.status_code == 200 and out.json_body == {"signed_out": True}
    refused = _me(client, first)
    assert refused.status_code == 401 and refused.json_body["error"]["code"] == "unauthenticated"
    assert _me(client, second).status_code == 200  # another device stays signed in


def test_api_sign_out_by_cookie_ends_the_cookies_session(client, demo_union):
    account = _account(demo_union, "member")
    cookie = _cookies(_sign_in(client, account.staff_no, account.password))["session"]
    assert client.http.get("/api/me", headers={"Cookie": cookie}).status_code == 200
    same_site = {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}  # cookie-authenticated: a same-origin call
    assert client.http.post("/api/auth/sign-out", headers=same_site).status_code == 200
    assert client.http.get("/api/me", headers={"Cookie": cookie}).status_code == 401


def test_sign_out_everywhere_ends_every_session_of_the_member(client, demo_union):
    account = _account(demo_union, "计算机学院)")
    phone = _sign_in(client, account.staff_no, account.password).json_body["token"]
    laptop = _sign_in(client, account.staff_no, account.password).json_body["token"]
    other_member = _service_sign_in(_account(demo_union, "附属医院"), "10.0.0.9").token
    everywhere = client.http.post("/api/auth/sign-out-everywhere", headers={"Authorization": f"Bearer {laptop}"})
    assert everywhere.status_code == 200
    assert _me(client, phone).status_code == 401 and _me(client, laptop).status_code == 401
    assert _me(client, other_member).status_code == 200  # nobody else's sessions
    # Signing in again works as before.
    assert _me(client, _sign_in(client, account.staff_no, account.password).json_body["token"]).status_code == 200
    assert client.http.post("/api/auth/sign-out-everywhere").status_code == 401


def test_the_profile_page_signs_out_everywhere(client, demo_union):
    account = _account(demo_union, "附属医院")
    phone = _cookies(_sign_in(client, account.staff_no, account.password))["session"]
    laptop = _cookies(_sign_in(client, account.staff_no, account.password))["session"]
    page = client.http.get("/me", headers={"Cookie": laptop}).body.decode()
    assert 'action="/signout/everywhere"' in page and "退出所有设备" in page
    done = client.http.post("/signout/everywhere", headers={**FORM, "Cookie": laptop}, body="")
    assert done.status_code == 303 and _headers(done)["location"] == "/signin?signed_out=everywhere"
    assert client.http.get("/me", headers={"Cookie": phone}).status_code == 303  # sent to sign in
    assert "已在所有设备上退出登录" in client.http.get("/signin?signed_out=everywhere").body.decode()
    english = client.http.get("/me?lang=en", headers={"Cookie": _service_cookie(account)}).body.decode()
    assert "Sign out everywhere" in english


def _service_cookie(account):
    return f"session={_service_sign_in(account, '10.0.0.1').token}"


def test_sessions_do_not_pile_up_on_the_account(client, demo_union):
    account = _account(demo_union, "member")
    for _ in range(accounts.MAX_SESSIONS_PER_ACCOUNT + 3):
        latest = _service_sign_in(account, "10.0.0.1").token
    assert len(get_store().accounts.get(account.staff_no).sessions) == accounts.MAX_SESSIONS_PER_ACCOUNT
    assert _me(client, latest).status_code == 200


# ---- throttling ---------------------------------------------------------------------------------------------


def test_growing_delays_with_retry_after(client, demo_union):
    """From one place, each wrong password past the free ones doubles the wait; the API says how long."""
    account = _account(demo_union, "member")
    now = int(time.time())
    for _ in range(PAIR.free):
        with pytest.raises(Unauthenticated):
            _service_sign_in(account, TEST_CLIENT_ADDRESS, password="wrong-guess", at=now)
    waits, at = [], now
    for _ in range(3):
        with pytest.raises(RateLimited) as too_soon:
            _service_sign_in(account, TEST_CLIENT_ADDRESS, at=at)  # even the right password waits
        waits.append(too_soon.value.params["retry_after"])
        at += waits[-1]
        with pytest.raises(Unauthenticated):
            _service_sign_in(account, TEST_CLIENT_ADDRESS, password="wrong-guess", at=at)
    assert waits == [PAIR.base_seconds, 2 * PAIR.base_seconds, 4 * PAIR.base_seconds]

    # The last failure was "at" (ahead of the clock): the API answers 429 with Retry-After and a message.
    refused = _sign_in(client, account.staff_no, account.password)
    assert refused.status_code == 429
    retry_after = int(_headers(refused)["retry-after"])
    assert at - now < retry_after <= at - now + 8 * PAIR.base_seconds
    error = refused.json_body["error"]
    assert error["code"] == "sign_in_throttled" and f"请 {retry_after} 秒后" in error["message"]
    english = client.http.post(
        "/api/auth/sign-in?lang=en",
        headers=JSON,
        body=json.dumps({"staff_no": account.staff_no, "password": account.password}).encode(),
    )
    assert "try again in" in english.json_body["error"]["message"]
    page = client.http.post(
        "/signin", headers=FORM, body=f"staff_no={account.staff_no}&password={account.password}".encode()
    )
    assert page.status_code == 429 and int(_headers(page)["retry-after"]) > 0
    assert "登录尝试过多" in page.body.decode()

    # Another place is not slowed by this one's failures.
    assert _me(client, _service_sign_in(account, "10.0.0.1").token).status_code == 200


# ``callers`` signs the demo accounts in from an address of its own: it must do so before the stranger makes every
# unfamiliar address wait for the union admin, whatever order the tests run in.
def test_a_stranger_failing_50_times_cannot_keep_the_union_admin_out(client, callers, demo_union):
    owner = _account(demo_union, "union admin")
    # The owner signed in before from their office (an address) and on their phone (a known-device cookie).
    office = _sign_in(client, owner.staff_no, owner.password)
    assert office.status_code == 200, office.body
    phone_device = _service_sign_in(owner, "100.64.8.8").device_token

    now = int(time.time())  # the stranger is quick: all 50 attempts within the same second
    outcomes = [_stranger(owner, "203.0.113.5", now) for _ in range(25)]  # one stranger's address ...
    outcomes += [_stranger(owner, f"198.51.100.{n}", now) for n in range(1, 26)]  # ... and a botnet of many
    # Five wrong passwords from the first address, five more from the botnet; then everyone unfamiliar waits.
    assert outcomes.count("wrong") == UNFAMILIAR.free and outcomes.count("wait") == 40

    # Unfamiliar places are slowed down for the account as a whole ...
    with pytest.raises(RateLimited):
        _service_sign_in(owner, "192.0.2.77", at=now)
    # ... but the owner gets in from the office address they used before, at once,
    again = _sign_in(client, owner.staff_no, owner.password)
    assert again.status_code == 200 and _me(client, again.json_body["token"]).status_code == 200
    # and with their phone's known-device cookie from a brand-new address too.
    phone = _service_sign_in(owner, "192.0.2.78", device=phone_device, at=now)
    assert _me(client, phone.token).status_code == 200


def _stranger(owner, address, at):
    try:
        _service_sign_in(owner, address, password="Guess#0000", at=at)
    except Unauthenticated:
        return "wrong"
    except RateLimited:
        return "wait"
    return "in"


def test_throttling_is_audited_and_the_owner_is_notified(client, callers, demo_union):
    owner = _account(demo_union, "unit admin (附属医院)")
    store = get_store()
    member = store.members.get(owner.staff_no)
    for attempt in range(UNFAMILIAR.free):
        with pytest.raises(Unauthenticated):
            _service_sign_in(owner, f"203.0.113.{100 + attempt}", password="Guess#1111")
    entries = [e for e in store.audit.for_unit(member.unit_id) if e.action == "signin.throttled"]
    assert entries and entries[0].target == owner.staff_no
    assert entries[0].after["counter"] == UNFAMILIAR.scope and entries[0].after["failures"] == UNFAMILIAR.free

    token = _service_sign_in(owner, "10.0.0.1").token  # the owner, from a familiar place
    notices = client.http.get("/api/me/notifications", headers={"Authorization": f"Bearer {token}"}).json_body
    notice = next(n for n in notices["notifications"] if n["kind"] == "sign_in_throttled")
    assert f"{UNFAMILIAR.free} 次" in notice["message"] and "203.0.113." in notice["message"]
    page = client.http.get("/me/notifications", headers={"Cookie": f"session={token}"})
    assert page.status_code == 200 and "不熟悉的地址" in page.body.decode()
    # The unit's admins read it in the audit log too.
    audit = client.http.get(f"/api/audit?unit_id={member.unit_id}", headers=callers["union_admin"].headers())
    assert any(e["action"] == "signin.throttled" for e in audit.json_body["entries"])

"""Sign-in, activation, sign-out and "my profile" pages, through Chalice's test client with the session cookie."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib.domain.records import MemberStatus
from chalicelib.domain.throttle import PAIR
from chalicelib.services import accounts
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

FORM = "application/x-www-form-urlencoded"
# A browser posting a form from this site names the site in Origin (chalicelib.http.edge).
SAME_SITE = {"Origin": "https://union.example.edu.cn", "Host": "union.example.edu.cn"}


def _header(response, name):
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower())


def _post(client, path, fields, cookie=None, **headers):
    headers = {"Content-Type": FORM, **SAME_SITE, **headers}
    if cookie:
        headers["Cookie"] = cookie
    return client.http.post(path, headers=headers, body=urlencode(fields))


def _session(response):
    """The session cookie a response sets, as a Cookie header for the next request."""
    cookies = _header(response, "Set-Cookie")
    cookies = [cookies] if isinstance(cookies, str) else cookies
    return next(c for c in cookies if c.startswith("session=")).split(";")[0]


def _account(demo_union, fragment):
    return next(a for a in demo_union.accounts if fragment in a.role)


def _spare_members(demo_union, unit_id="cs"):
    """Active members of a unit without a demo account: nobody else in these tests signs in as them."""
    taken = {account.staff_no for account in demo_union.accounts}
    return [
        m
        for m in demo_union.members
        if m.unit_id == unit_id and m.status is MemberStatus.ACTIVE and m.staff_no not in taken
    ]


def test_sign_in_page_is_a_chinese_form_that_keeps_next(client, demo_union):
    response = client.http.get("/signin?next=/admin")
    html = response.body.decode()
    assert response.status_code == 200
    assert "工号" in html and "密码" in html and 'action="/signin"' in html
    assert '<input type="hidden" name="next" value="/admin">' in html
    assert 'href="/activate"' in html
    assert 'href="?lang=en&amp;next=/admin"' in html  # switching language keeps where to go after signing in


def test_sign_in_sets_an_http_only_same_site_cookie_and_goes_to_next(client, demo_union):
    account = _account(demo_union, "member")
    response = _post(
        client, "/signin", {"staff_no": account.staff_no.lower(), "password": account.password, "next": "/admin?x=1"}
    )
    assert response.status_code == 303
    assert _header(response, "Location") == "/admin?x=1"
    cookie, device = _header(response, "Set-Cookie")
    assert cookie.startswith("session=") and device.startswith("known_device=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "HttpOnly" in device and "SameSite=Lax" in device
    assert f"Max-Age={get_settings().session_ttl_seconds}" in cookie
    me = client.http.get("/me", headers={"Cookie": _session(response)})
    assert me.status_code == 200 and account.name in me.body.decode()


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example", "", "me"])
def test_sign_in_never_sends_people_to_another_site(client, demo_union, target):
    account = _account(demo_union, "member")
    response = _post(client, "/signin", {"staff_no": account.staff_no, "password": account.password, "next": target})
    assert response.status_code == 303
    assert _header(response, "Location") == "/me"


def test_wrong_password_shows_the_form_again_with_the_message(client, demo_union):
    account = _account(demo_union, "unit admin (附属医院)")
    response = _post(client, "/signin", {"staff_no": account.staff_no, "password": "not-the-password"})
    html = response.body.decode()
    assert response.status_code == 401
    assert "工号或密码不正确" in html
    assert f'value="{account.staff_no}"' in html  # the 工号 is kept ...
    assert "not-the-password" not in html  # ... the password never is
    assert _header(response, "Set-Cookie") is None


def test_missing_fields_are_shown_next_to_the_fields(client, demo_union):
    response = _post(client, "/signin", {"staff_no": "", "password": ""})
    html = response.body.decode()
    assert response.status_code == 400
    assert 'id="e-staff_no"' in html and 'id="e-password"' in html


def test_too_many_failures_are_refused_with_429(client, demo_union):
    target = _spare_members(demo_union)[-1]
    for _ in range(PAIR.free):
        assert _post(client, "/signin", {"staff_no": target.staff_no, "password": "wrong-guess"}).status_code == 401
    # The wait doubles with each failure, so a slow machine that outlasts one wait meets the next.
    for _ in range(4):
        response = _post(client, "/signin", {"staff_no": target.staff_no, "password": "wrong-guess"})
        if response.status_code != 401:
            break
    assert response.status_code == 429
    retry_after = _header(response, "Retry-After")
    assert retry_after and f"请 {retry_after} 秒后" in response.body.decode()


def test_my_profile_needs_sign_in(client, demo_union):
    response = client.http.get("/me")
    assert response.status_code == 303
    assert urlsplit(_header(response, "Location")).path == "/signin"


def test_sign_in_redirect_remembers_the_page(client, demo_union):
    location = urlsplit(_header(client.http.get("/me"), "Location"))
    assert parse_qs(location.query) == {"next": ["/me"]}


def test_a_member_sees_their_own_profile(client, demo_union, callers):
    caller = callers["member"]
    member = get_store().members.get(caller.staff_no)
    response = client.http.get("/me", headers={"Cookie": f"session={caller.token}"})
    html = response.body.decode()
    assert response.status_code == 200
    assert member.name in html and member.staff_no in html and member.phone in html
    assert "计算机科学与技术学院分工会" in html and member.birth_date.isoformat() in html
    assert "会员" in html and 'action="/me/password"' in html and 'action="/signout"' in html
    assert 'href="/admin"' not in html  # no admin link for a plain member
    assert 'href="/me"' in html and 'href="/signin"' not in html


def test_the_header_offers_admin_pages_to_admins_and_sign_in_to_visitors(client, demo_union, callers):
    admin = client.http.get("/me", headers={"Cookie": f"session={callers['unit_admin'].token}"}).body.decode()
    assert 'href="/admin"' in admin
    visitor = client.http.get("/activate").body.decode()
    assert 'href="/signin"' in visitor and 'href="/me"' not in visitor


def test_activation_then_password_change(client, demo_union):
    member = _spare_members(demo_union)[0]
    (issued,) = accounts.issue_activation_codes(get_store(), get_settings(), [member])

    page = client.http.get("/activate").body.decode()
    assert "激活码" in page and "管理员" in page  # where the code comes from

    mismatch = {"staff_no": member.staff_no, "code": issued.code, "password": "Lantern#2048", "password_confirm": "x"}
    response = _post(client, "/activate", mismatch)
    assert response.status_code == 400 and "两次输入的密码不一致" in response.body.decode()

    weak = {"staff_no": member.staff_no, "code": issued.code, "password": "short", "password_confirm": "short"}
    response = _post(client, "/activate", weak)
    assert response.status_code == 400 and "密码至少 8 个字符" in response.body.decode()
    assert f'value="{issued.code}"' in response.body.decode()  # the code is kept for the next try

    good = {**weak, "password": "Lantern#2048", "password_confirm": "Lantern#2048"}
    response = _post(client, "/activate", good)
    assert response.status_code == 303 and _header(response, "Location") == "/me"
    first = _session(response)
    assert client.http.get("/me", headers={"Cookie": first}).status_code == 200

    change = {"current_password": "wrong", "new_password": "Harbour#4096", "new_password_confirm": "Harbour#4096"}
    response = _post(client, "/me/password", change, cookie=first)
    assert response.status_code == 400 and "当前密码不正确" in response.body.decode()

    response = _post(client, "/me/password", {**change, "current_password": "Lantern#2048"}, cookie=first)
    assert response.status_code == 303 and _header(response, "Location") == "/me?saved=password"
    second = _session(response)
    assert "密码已修改" in client.http.get("/me?saved=password", headers={"Cookie": second}).body.decode()
    # The old session ended with the change: that browser is sent to sign in again.
    assert client.http.get("/me", headers={"Cookie": first}).status_code == 303

    response = _post(client, "/signin", {"staff_no": member.staff_no, "password": "Harbour#4096"})
    assert response.status_code == 303


def test_a_used_or_wrong_code_is_refused_with_the_message(client, demo_union):
    member = _spare_members(demo_union)[1]
    fields = {"staff_no": member.staff_no, "code": "ABCD-EFGH", "password": "Lantern#2048"}
    response = _post(client, "/activate", {**fields, "password_confirm": "Lantern#2048"})
    assert response.status_code == 400
    assert "激活码无效" in response.body.decode()


def test_sign_out_clears_the_cookie_and_ends_the_session(client, demo_union):
    account = _account(demo_union, "member")
    signed_in = _session(_post(client, "/signin", {"staff_no": account.staff_no, "password": account.password}))
    assert client.http.get("/me", headers={"Cookie": signed_in}).status_code == 200
    response = _post(client, "/signout", {}, cookie=signed_in)
    assert response.status_code == 303 and _header(response, "Location") == "/"
    assert _header(response, "Set-Cookie").startswith("session=; Path=/; Max-Age=0")
    # The cookie a browser (or anyone who copied it) still holds no longer works.
    assert client.http.get("/me", headers={"Cookie": signed_in}).status_code == 303


def test_form_posts_from_other_sites_are_refused(client, demo_union):
    account = _account(demo_union, "member")
    fields = {"staff_no": account.staff_no, "password": account.password}
    refused = _post(client, "/signin", fields, Origin="https://evil.example", Host="union.example.edu.cn")
    assert refused.status_code == 403 and _header(refused, "Set-Cookie") is None
    assert "本站" in refused.body.decode()
    assert _post(client, "/signout", {}, Origin="null", Host="union.example.edu.cn").status_code == 403
    same = _post(client, "/signin", fields, Origin="https://union.example.edu.cn", Host="union.example.edu.cn")
    assert same.status_code == 303


def test_sign_in_page_in_english(client, demo_union):
    html = client.http.get("/signin?lang=en").body.decode()
    assert '<html lang="en">' in html and "Staff number" in html and "Sign in" in html

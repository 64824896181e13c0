"""Limits at the edge (issue 15, items 3, 7 and 10): path ids, body size, JSON nesting and duplicate keys, and
the same-origin rule for requests made with the session cookie. Through the real app on the demo union."""

import json
import re
import time
from urllib.parse import urlencode

import pytest

from chalicelib.domain.records import MemberStatus
from chalicelib.http.edge import MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_UPLOAD_BYTES, PATH_IDS, valid_path_id
from chalicelib.route_table import ROUTES
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

HOST = "union.example.edu.cn"
SITE = f"https://{HOST}"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PARAM = re.compile(r"{(\w+)}")


def _cookie(caller):
    return {"Cookie": f"session={caller.token}"}


def _error(response):
    return response.json_body["error"]


def _spare(demo_union, index):
    """An active member of the computer science unit without a demo account."""
    taken = {account.staff_no for account in demo_union.accounts}
    members = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE]
    return [m for m in members if m.staff_no not in taken][index]


# ---- path ids --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["x" * 1100, "bad~id"], ids=["over-the-key-limit", "outside-the-pattern"])
def test_every_path_id_that_cannot_exist_is_a_404_before_anything_is_read(client, callers, bad):
    """Every route with a path parameter, API and pages, every method, signed in as the union admin."""
    admin = callers["union_admin"]
    wrong = []
    checked = 0
    for entry in ROUTES:
        names = _PARAM.findall(entry.route)
        if not names:
            continue
        # One parameter at a time is bad, the others valid-looking, so each parameter's own check is exercised.
        for name in names:
            path = entry.path
            for other in names:
                path = path.replace("{" + other + "}", bad if other == name else _plausible(other))
            if entry.prefix == "/api":
                headers = {**admin.headers(), "Content-Type": JSON}
            else:
                headers = {**_cookie(admin), "Content-Type": FORM, "Origin": SITE, "Host": HOST}
            response = client.http.request(entry.method, path, headers=headers, body=b"")
            checked += 1
            ok = response.status_code == 404 and (
                _error(response)["code"] == "not_found"
                if entry.prefix == "/api"
                else response.headers["Content-Type"].startswith("text/html")
            )
            if not ok:
                wrong.append((entry.method, entry.path, name, response.status_code))
    assert checked > 100 and wrong == []


def _plausible(name):
    return {"scope": "series", "stage_id": "main", "ticket": "a" * 26, "code": "ev-x.s01.1.abc"}.get(name, "abc")


def test_ids_the_app_makes_fit_their_kinds(demo_union):
    from chalicelib.domain.calendar import now
    from chalicelib.domain.checkin import new_ticket, venue_code
    from chalicelib.domain.ids import sortable_id

    made = {
        "event_id": [sortable_id("ev-"), *(event.event_id for event in demo_union.events)],
        "team_id": [sortable_id("tm-"), *(team.team_id for team in demo_union.teams)],
        "unit_id": ["school", *(unit.unit_id for unit in demo_union.units)],
        "staff_no": [member.staff_no for member in demo_union.members] + ["ABCDEFGHIJ-0123456789"],
        "ticket": [new_ticket(), *(r.ticket for r in demo_union.registrations if r.ticket)],
        "code": [venue_code(b"k" * 32, sortable_id("ev-"), "finish_line-2", now())],
        "scope": ["series", "s01", "s60"],
        "match_id": ["W1-2", "3P1-1", "GF2-1", "A3-1", "L12-4"]
        + [match.match_id for competition in demo_union.competitions for _, _, match in competition.matches],
        "stage_id": [stage.stage_id for competition in demo_union.competitions for stage in competition.setup.stages],
        "entry_id": [entry for competition in demo_union.competitions for _, entry, _, _ in competition.marks]
        + [entry for competition in demo_union.competitions for _, _, entry, _ in competition.performances],
        "discipline": [d for competition in demo_union.competitions for _, d, _, _ in competition.performances],
        "role": ["checkin@entry"]
        + [role for staff in (*demo_union.event_roles, *demo_union.officials) for role in staff.roles],
    }
    assert all(made.values())
    wrong = [(name, value) for name, values in made.items() for value in values if not valid_path_id(name, value)]
    assert wrong == []
    assert set(made) <= set(PATH_IDS)


def test_a_route_with_an_unknown_path_parameter_cannot_be_declared():
    from chalicelib.domain.access import Access
    from chalicelib.http.routing import ApiRoutes, PageRoutes

    with pytest.raises(ValueError, match="thing_id"):
        ApiRoutes("sample", tag="t").route("/things/{thing_id}", access=Access.PUBLIC, summary="s")(lambda: None)
    with pytest.raises(ValueError, match="whatever"):
        PageRoutes("sample").route("/p/{whatever}", access=Access.PUBLIC)(lambda: None)


def test_a_well_formed_unknown_id_still_reaches_the_normal_404(client, callers):
    response = client.http.get("/api/events/ev-01NOSUCHEVENT", headers=callers["member"].headers())
    assert response.status_code == 404 and _error(response)["code"] == "not_found"


# ---- JSON bodies -----------------------------------------------------------------------------------------------


def _sign_in(client, body: bytes, **headers):
    return client.http.post("/api/auth/sign-in", headers={"Content-Type": JSON, **headers}, body=body)


@pytest.mark.parametrize("opening", [b"[", b'{"a":'], ids=["arrays", "objects"])
def test_deeply_nested_json_is_a_400_before_the_parser_recurses(client, demo_union, opening):
    started = time.perf_counter()
    response = _sign_in(client, opening * 50_000)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "json_too_deep" and f"{MAX_JSON_DEPTH} 层" in error["message"]
    english = _sign_in(client, opening * 50_000, **{"Accept-Language": "en"})
    assert f"at most {MAX_JSON_DEPTH} levels" in _error(english)["message"]
    assert elapsed < 1.0


def test_nesting_up_to_the_limit_is_parsed(client, demo_union):
    deepest = (
        b'{"staff_no": "1", "password": "x", "extra": '
        + b"[" * (MAX_JSON_DEPTH - 1)
        + b"]" * (MAX_JSON_DEPTH - 1)
        + b"}"
    )
    response = _sign_in(client, deepest)
    assert response.status_code in (400, 401) and _error(response)["code"] != "json_too_deep"
    too_deep = deepest.replace(b"[", b"[[", 1).replace(b"]", b"]]", 1)
    assert _error(_sign_in(client, too_deep))["code"] == "json_too_deep"


def test_brackets_inside_strings_do_not_count_as_nesting(client, demo_union):
    body = json.dumps({"staff_no": "9999999", "password": '[{\\"' * 60}).encode()
    response = _sign_in(client, body)
    assert response.status_code == 401 and _error(response)["code"] == "invalid_credentials"


def test_duplicate_keys_are_refused_with_the_key_named(client, demo_union):
    body = b'{"staff_no": "9999999", "password": "a", "password": "b"}'
    response = _sign_in(client, body)
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "duplicate_json_key" and error["details"] == {"key": "password"}
    assert "“password”" in error["message"]
    english = _error(_sign_in(client, body, **{"Accept-Language": "en"}))
    assert english["message"] == 'The key "password" appears more than once in a JSON object.'
    nested = b'{"staff_no": "9", "password": "a", "x": [{"k": 1, "k": 2}]}'
    assert _error(_sign_in(client, nested))["code"] == "duplicate_json_key"


@pytest.mark.parametrize(
    "body",
    [b'{"staff_no": NaN, "password": "x"}', b'{"staff_no": Infinity}', b'{"staff_no": ' + b"9" * 5000 + b"}"],
    ids=["nan", "infinity", "5000-digit-integer"],
)
def test_what_is_not_plain_json_is_invalid_json(client, demo_union, body):
    response = _sign_in(client, body)
    assert response.status_code == 400 and _error(response)["code"] == "invalid_json"


# ---- body size -------------------------------------------------------------------------------------------------


def test_a_json_body_over_the_limit_is_a_413(client, demo_union):
    body = json.dumps({"staff_no": "9999999", "password": "x" * MAX_BODY_BYTES}).encode()
    response = _sign_in(client, body)
    assert response.status_code == 413
    error = _error(response)
    assert error["code"] == "body_too_large" and error["details"] == {"limit_bytes": MAX_BODY_BYTES}
    assert "上限为 1.0 MB" in error["message"]
    english = _error(_sign_in(client, body, **{"Accept-Language": "en"}))["message"]
    assert english == "The request body is too large (1.0 MB); the limit is 1.0 MB."


def test_a_page_form_over_the_limit_is_a_413_page(client, demo_union, callers):
    body = urlencode({"staff_no": "9999999", "password": "x" * MAX_BODY_BYTES})
    headers = {"Content-Type": FORM, "Origin": SITE, "Host": HOST}
    response = client.http.post("/signin", headers=headers, body=body)
    assert response.status_code == 413 and response.headers["Content-Type"].startswith("text/html")
    assert "提交的内容过大" in response.body.decode()
    english = client.http.post("/signin?lang=en", headers=headers, body=body)
    assert english.status_code == 413 and "The request body is too large" in english.body.decode()


def test_a_roster_file_up_to_the_import_limit_passes_the_edge_and_a_larger_one_does_not(client, demo_union, callers):
    from chalicelib.domain.roster import MAX_ROSTER_BYTES

    assert MAX_UPLOAD_BYTES >= MAX_ROSTER_BYTES + 512 * 1024
    admin = callers["unit_admin"].headers(**{"Content-Type": XLSX})
    just_over_import_limit = b"PK" + b"\0" * MAX_ROSTER_BYTES
    passed = client.http.post("/api/roster/imports?filename=big.xlsx", headers=admin, body=just_over_import_limit)
    assert passed.status_code != 413  # the import's own answer, with its own advice
    assert "5.0 MB" in passed.body.decode()
    huge = b"PK" + b"\0" * MAX_UPLOAD_BYTES
    refused = client.http.post("/api/roster/imports?filename=big.xlsx", headers=admin, body=huge)
    assert refused.status_code == 413 and _error(refused)["code"] == "body_too_large"


# ---- no content type, wrong content type -------------------------------------------------------------------------


def test_a_post_without_content_type_or_body_works_on_a_route_without_a_body(client, demo_union):
    from chalicelib.services.accounts import sign_in

    account = next(a for a in demo_union.accounts if "member" in a.role)
    session = sign_in(get_store(), get_settings(), account.staff_no, account.password, "10.0.0.9")
    response = client.http.post("/api/auth/sign-out", headers={"Authorization": f"Bearer {session.token}"})
    assert response.status_code == 200 and response.json_body == {"signed_out": True}


def test_a_json_route_refuses_another_content_type(client, demo_union):
    response = client.http.post("/api/auth/sign-in", headers={"Content-Type": "text/plain"}, body=b"{}")
    assert response.status_code == 415 and _error(response)["code"] == "unsupported_media_type"


# ---- same origin (CSRF) ------------------------------------------------------------------------------------------


def _rename(client, member, name, **headers):
    return client.http.request(
        "PATCH",
        f"/api/members/{member.staff_no}",
        headers={"Content-Type": JSON, **headers},
        body=json.dumps({"name": name}).encode(),
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example.edu.cn", "Host": HOST},
        {"Origin": "null", "Host": HOST},
        {"Sec-Fetch-Site": "same-site", "Host": HOST},
        {"Sec-Fetch-Site": "cross-site", "Host": HOST},
        {"Referer": "https://evil.example.edu.cn/page", "Host": HOST},
        {"Host": HOST},  # a POST with no Origin, no Referer, no Sec-Fetch-Site
        {"Origin": f"http://{HOST}:8443", "Host": HOST},
    ],
    ids=["other-subdomain", "null-origin", "same-site", "cross-site", "other-referer", "nothing", "other-port"],
)
def test_the_api_refuses_a_cookie_request_from_another_site(client, demo_union, callers, headers):
    member = _spare(demo_union, 0)
    response = _rename(client, member, "跨站改名", **_cookie(callers["unit_admin"]), **headers)
    assert response.status_code == 403
    error = _error(response)
    assert error["code"] == "cross_site_request" and "其他网站不能代您提交" in error["message"]
    assert get_store().members.get(member.staff_no).name == member.name


def test_the_refusal_is_in_english_too(client, demo_union, callers):
    member = _spare(demo_union, 0)
    headers = {**_cookie(callers["unit_admin"]), "Origin": "https://evil.example", "Accept-Language": "en"}
    message = _error(_rename(client, member, "x", **headers))["message"]
    assert message.startswith("This must be sent from this site's own pages")


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": SITE, "Host": HOST},
        {"Origin": "http://127.0.0.1:8000", "Host": "127.0.0.1:8000"},
        {"Origin": SITE, "Host": f"{HOST}:443"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Referer": f"{SITE}/admin/members/x", "Host": HOST},
    ],
    ids=["origin", "dev-server", "explicit-default-port", "sec-fetch-site", "referer"],
)
def test_the_api_accepts_a_cookie_request_from_its_own_pages(client, demo_union, callers, headers):
    member = _spare(demo_union, 1)
    new_name = f"同源{len(headers)}{sorted(headers)[0][:3]}"
    response = _rename(client, member, new_name, **_cookie(callers["unit_admin"]), **headers)
    assert response.status_code == 200, response.body
    assert get_store().members.get(member.staff_no).name == new_name


def test_bearer_requests_stay_as_they_are(client, demo_union, callers):
    member = _spare(demo_union, 2)
    headers = {**callers["unit_admin"].headers(), "Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"}
    response = _rename(client, member, "持令牌改名", **headers)
    assert response.status_code == 200 and get_store().members.get(member.staff_no).name == "持令牌改名"


def test_a_bodiless_cross_site_post_with_the_cookie_changes_nothing(client, demo_union, callers):
    """The attack of the issue: no body, no content type, the cookie sent because the attacker is same-site."""
    before = get_store().members.get(callers["unit_admin"].staff_no)
    headers = {**_cookie(callers["unit_admin"]), "Origin": "https://clubs.example.edu.cn", "Host": HOST}
    response = client.http.post("/api/units/cs/activation-codes", headers=headers)
    assert response.status_code == 403 and _error(response)["code"] == "cross_site_request"
    assert get_store().members.get(callers["unit_admin"].staff_no) == before


def test_safe_methods_with_the_cookie_need_no_origin(client, demo_union, callers):
    response = client.http.get("/api/me", headers={**_cookie(callers["member"]), "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200


def test_pages_refuse_a_cookie_form_post_without_proof_of_origin(client, demo_union, callers):
    member = _spare(demo_union, 3)
    headers = {"Content-Type": FORM, **_cookie(callers["unit_admin"]), "Host": HOST}
    fields = urlencode({"name": "无来源改名", "unit_id": member.unit_id})
    response = client.http.post(f"/admin/members/{member.staff_no}", headers=headers, body=fields)
    assert response.status_code == 403 and "其他网站不能代您提交" in response.body.decode()
    english = client.http.post(f"/admin/members/{member.staff_no}?lang=en", headers=headers, body=fields)
    assert english.status_code == 403 and "other sites cannot act for you" in english.body.decode()
    assert get_store().members.get(member.staff_no).name == member.name


def test_a_sign_in_form_from_another_site_is_refused_even_without_a_cookie(client, demo_union):
    account = next(a for a in demo_union.accounts if "member" in a.role)
    fields = urlencode({"staff_no": account.staff_no, "password": account.password})
    headers = {"Content-Type": FORM, "Sec-Fetch-Site": "cross-site"}
    response = client.http.post("/signin", headers=headers, body=fields)
    assert response.status_code == 403 and "set-cookie" not in {k.lower() for k in response.headers}


@pytest.fixture
def public_base_url(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", SITE)
    get_settings.cache_clear()
    yield SITE
    monkeypatch.delenv("PUBLIC_BASE_URL")
    get_settings.cache_clear()


def test_a_configured_public_base_url_is_the_origin_whatever_the_host(client, demo_union, callers, public_base_url):
    member = _spare(demo_union, 4)
    cookie = _cookie(callers["unit_admin"])
    # Behind a CDN the Host is the gateway's own name; the browser names the public site.
    gateway = "abc123.execute-api.cn-north-1.amazonaws.com.cn"
    accepted = _rename(client, member, "公开地址改名", **cookie, Origin=public_base_url, Host=gateway)
    assert accepted.status_code == 200
    refused = _rename(client, member, "网关地址改名", **cookie, Origin=f"https://{gateway}", Host=gateway)
    assert refused.status_code == 403 and _error(refused)["code"] == "cross_site_request"
    http_scheme = _rename(client, member, "明文改名", **cookie, Origin=f"http://{HOST}", Host=HOST)
    assert http_scheme.status_code == 403
    assert get_store().members.get(member.staff_no).name == "公开地址改名"

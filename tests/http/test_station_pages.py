"""The check-in station page and the page a ticket's QR code opens, through the test client on the demo union.

Events are made through the services, each test its own; the demo union's accounts sign in."""

import json
import re

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import ticket_digest
from chalicelib.domain.records import (
    SERIES,
    CheckinMethod,
    CheckinSettings,
    Checkpoint,
    MemberStatus,
)
from chalicelib.services import checkin as checkin_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from chalicelib.web.assets import asset_url
from tests.factories import published_event
from tests.http.browsing import get_page, header, post_form

_SCAN_ID = re.compile(r'name="scan_id" value="([0-9a-f]{32})"')


def _html(response):
    return response.body.decode()


def _event(organiser, title, **extra):
    # Starts in a quarter of an hour: the door is open (check-in opens 30 minutes before the start).
    return published_event(organiser, days=0.01, owner_unit_id="cs", title_zh=title, capacity=20, **extra)


def _spare(demo_union, count, skip=0):
    """Active members of computer science without a demo account."""
    taken = {account.staff_no for account in demo_union.accounts}
    found = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE]
    found = [m for m in found if m.staff_no not in taken]
    return found[skip : skip + count]


def _register(event, staff_no, unit_id="cs"):
    principal = Principal(staff_no=staff_no, unit_id=unit_id)
    registration_service.register(get_store(), principal, event.event_id, SERIES, {}, now())
    return get_store().registrations.get(event.event_id, SERIES, staff_no).ticket


def _config(html):
    blob = html.split('<script type="application/json" id="station-config">', 1)[1].split("</script>", 1)[0]
    return json.loads(blob)


# ---- the station page ----------------------------------------------------------------------------------------------


def test_station_page_is_for_the_organisers_and_is_self_contained(client, callers, organiser):
    event = _event(organiser, "签到页讲座")
    path = f"/events/{event.event_id}/checkin"

    page = get_page(client, path, callers["unit_admin"])
    html = _html(page)
    assert page.status_code == 200
    assert 'id="scan-input"' in html and "autofocus" in html.split('id="scan-input"', 1)[1].split(">", 1)[0]
    for element in ('id="sync-state" data-state="online"', 'id="queue-count"', 'id="count-in"', 'id="verdict"'):
        assert element in html
    assert "签到页讲座" in html and "扫码签到" in html
    config = _config(html)
    assert (config["event_id"], config["point"]) == (event.event_id, "entry")
    assert config["text"]["offline_admitted"] == "签到成功（离线）" and "{count}" in config["text"]["offline"]
    # No script, style or font from anywhere else: only the app's own files under /static/.
    assert "http://" not in html and "https://" not in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts[0] == asset_url("app.js") and all(src.startswith("/static/") for src in scripts)
    assert all(href.startswith("/static/") for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    # The camera runs after the station (it hands codes to it); its worker and decoder are the app's files too.
    assert scripts.index(asset_url("checkin_camera.js")) > scripts.index(asset_url("checkin_station.js"))
    worker, decoder = asset_url("checkin_qr_worker.js"), asset_url("vendor/jsqr.js")
    assert f'data-worker-src="{worker}" data-decoder-src="{decoder}"' in html and decoder.startswith("/static/jsqr.")

    assert get_page(client, path, callers["union_admin"]).status_code == 200
    refused = get_page(client, path, callers["member"])
    assert refused.status_code == 403 and "您没有权限" in _html(refused) and 'id="scan-input"' not in _html(refused)
    assert get_page(client, path, callers["other_unit_admin"]).status_code == 403
    anonymous = get_page(client, path, callers["anonymous"])
    assert anonymous.status_code == 303 and header(anonymous, "Location") == f"/signin?next={path}"
    assert get_page(client, "/events/ev-nosuchevent/checkin", callers["unit_admin"]).status_code == 404


def test_station_page_in_english(client, callers, organiser):
    event = _event(organiser, "英文签到页", title_en="English check-in")
    html = _html(get_page(client, f"/events/{event.event_id}/checkin?lang=en", callers["unit_admin"]))
    assert "Check-in station" in html and "English check-in" in html
    config = _config(html)
    assert config["text"]["offline_admitted"] == "Admitted (offline)" and config["points"] == {"entry": "Entry"}
    assert 'href="?point=entry&amp;lang=zh"' in html  # switching language keeps the point


def test_point_selector_lists_the_points_each_person_may_use(client, callers, organiser):
    walk = CheckinSettings(checkpoints=(Checkpoint("start", "起点", "Start"), Checkpoint("finish", "终点", "Finish")))
    event = _event(organiser, "健步走签到", checkin=walk)
    path = f"/events/{event.event_id}/checkin"

    html = _html(get_page(client, path, callers["unit_admin"]))
    assert 'id="point-select"' in html and "起点" in html and "终点" in html
    assert _config(html)["point"] == "start"  # the first point unless one is chosen
    chosen = _html(get_page(client, path + "?point=finish", callers["unit_admin"]))
    assert '<option value="finish" selected>' in chosen and _config(chosen)["point"] == "finish"
    assert _config(_html(get_page(client, path + "?point=nowhere", callers["unit_admin"])))["point"] == "start"

    # A member named check-in staff for the finish only: the station opens there, with no other point to choose.
    member = callers["member"]
    assert get_page(client, path, member).status_code == 403
    checkin_service.name_staff(get_store(), organiser, event.event_id, member.staff_no, ["finish"], now())
    staff = _html(get_page(client, path + "?point=start", member))
    assert 'id="point-select"' not in staff
    assert _config(staff)["point"] == "finish" and "签到点：终点" in staff


# ---- the ticket's page ----------------------------------------------------------------------------------------------


def test_staff_open_a_ticket_see_the_member_and_check_them_in_once(client, callers, organiser, demo_union):
    event = _event(organiser, "扫码入场讲座")
    (guest,) = _spare(demo_union, 1)
    ticket = _register(event, guest.staff_no)
    path = f"/t/{ticket}"
    admin = callers["unit_admin"]

    page = _html(get_page(client, path, admin))
    assert guest.name in page and guest.staff_no in page and "计算机" in page and "已确认" in page
    assert "确认签到" in page and f'action="{path}"' in page and 'name="point" value="entry"' in page
    assert f'href="/events/{event.event_id}/checkin"' in page
    scan_id = _SCAN_ID.search(page).group(1)

    admitted = post_form(client, path, admin, {"point": "entry", "scan_id": scan_id})
    html = _html(admitted)
    assert admitted.status_code == 200 and 'data-tone="ok"' in html and "签到成功" in html and guest.name in html
    check_in = get_store().check_ins.get(event.event_id, "entry", guest.staff_no)
    assert (check_in.by, check_in.method, check_in.station) == (admin.staff_no, CheckinMethod.SCAN, "phone")

    # A double tap sends the same scan id: the same answer, nothing new.
    again = _html(post_form(client, path, admin, {"point": "entry", "scan_id": scan_id}))
    assert 'data-tone="ok"' in again and get_store().check_ins.count(event.event_id, "entry") == 1
    # Another scan of the same ticket: already checked in, when and by whom.
    fresh_id = _SCAN_ID.search(again).group(1)
    assert fresh_id != scan_id
    already = _html(post_form(client, path, admin, {"point": "entry", "scan_id": fresh_id}))
    staff_name = get_store().members.get(admin.staff_no).name  # staff are named by name, not 工号
    assert 'data-tone="warn"' in already and "已签到过" in already and f"操作人 {staff_name}" in already
    assert "已于" in _html(get_page(client, path, admin))

    # A form posted from another site is refused, and a bad scan id is a 400, not a check-in.
    foreign = post_form(client, path, admin, {"point": "entry", "scan_id": "x" * 32}, Origin="https://evil.example")
    assert foreign.status_code == 403
    assert post_form(client, path, admin, {"point": "entry", "scan_id": "no"}).status_code == 400


def test_the_member_sees_their_own_ticket_and_others_only_the_event(client, callers, organiser, demo_union):
    event = _event(organiser, "本人凭证讲座")
    member = callers["member"]
    member_name = next(a.name for a in demo_union.accounts if a.staff_no == member.staff_no)
    ticket = _register(event, member.staff_no)
    path = f"/t/{ticket}"

    own = _html(get_page(client, path, member))
    assert "这是您的入场凭证，请出示给工作人员扫码" in own
    assert f'href="/me/tickets/{event.event_id}/{SERIES}"' in own
    assert "确认签到" not in own and 'name="scan_id"' not in own
    # The member cannot check themself in through the staff form.
    refused = post_form(client, path, member, {"point": "entry", "scan_id": "a" * 32})
    assert refused.status_code == 403
    assert get_store().check_ins.get(event.event_id, "entry", member.staff_no) is None

    for stranger in (callers["other_unit_admin"], callers["anonymous"]):
        html = _html(get_page(client, path, stranger))
        assert "这是「本人凭证讲座」的入场凭证。" in html and f'href="/events/{event.event_id}"' in html
        assert member_name not in html and member.staff_no not in html and 'name="scan_id"' not in html
    assert 'href="/signin?next=/t/' in _html(get_page(client, path, callers["anonymous"]))
    anonymous_post = post_form(client, path, callers["anonymous"], {"point": "entry", "scan_id": "a" * 32})
    assert anonymous_post.status_code == 303 and header(anonymous_post, "Location") == f"/signin?next={path}"


def test_an_unknown_ticket_is_a_friendly_404(client, callers):
    for ticket in ("a" * 26, "not-a-ticket"):
        response = get_page(client, f"/t/{ticket}", callers["unit_admin"])
        assert response.status_code == 404 and "无法识别" in _html(response)


def test_a_replaced_ticket_says_so_on_its_page_in_the_api_and_in_the_offline_list(
    client, callers, organiser, demo_union
):
    event = published_event(organiser, days=0.01, owner_unit_id="cs", title_zh="换码讲座", capacity=20)  # check-in open
    (guest,) = _spare(demo_union, 1, skip=3)
    old = _register(event, guest.staff_no)
    checkin_service.replace_ticket(get_store(), Principal(staff_no=guest.staff_no, unit_id="cs"), event.event_id,
                                   SERIES, now())  # fmt: skip
    new = get_store().registrations.get(event.event_id, SERIES, guest.staff_no).ticket
    admin = callers["unit_admin"]

    # The ticket's page (a phone's camera): 410 and "show the new code", in both languages; nothing about whose.
    page = get_page(client, f"/t/{old}", admin)
    assert page.status_code == 410 and "此码已作废，请出示新码" in _html(page) and guest.name not in _html(page)
    english = get_page(client, f"/t/{old}?lang=en", admin, Cookie="lang=en")
    assert english.status_code == 410 and "This code was replaced: please show the new one" in _html(english)
    posted = post_form(client, f"/t/{old}", admin, {"point": "entry", "scan_id": "c" * 32})
    assert posted.status_code == 410 and "此码已作废" in _html(posted)
    assert get_page(client, f"/t/{'a' * 26}", admin).status_code == 404  # rubbish is still unknown

    # The station's API: a red "revoked" verdict without the member; the new code admits.
    api = f"/api/events/{event.event_id}/checkin"
    headers = admin.headers(**{"Content-Type": "application/json"})
    scan = {"point": "entry", "scan_id": "d" * 32, "code": f"https://x.test/t/{old}"}
    scanned = client.http.post(api, headers=headers, body=json.dumps(scan))
    body = json.loads(scanned.body)
    assert scanned.status_code == 200 and (body["verdict"], body["tone"]) == ("revoked", "bad")
    assert body["message"] == "此码已作废，请出示新码" and body["name"] is None and body["staff_no"] is None

    # The offline list: the old ticket's digest among the revoked, the new one's among the entries; no tickets.
    listed = client.http.get(f"{api}/list?point=entry", headers=admin.headers())
    synced = json.loads(listed.body)
    assert synced["revoked"] == [ticket_digest(old)]
    assert ticket_digest(new) in {entry["digest"] for entry in synced["entries"]}
    assert old not in listed.body.decode() and new not in listed.body.decode()

    # The station's script gets the words for an offline "revoked".
    station = _config(_html(get_page(client, f"/events/{event.event_id}/checkin", admin)))
    assert station["text"]["revoked"] == "此码已作废，请出示新码"

"""Certificates (奖状) and the results booklet (成绩册) through the test client (issue 19 item 9): the demo singer
contest (judged, award tiers) and the demo athletics meet (places per discipline) give the right certificates; the
organisers see all of them, a unit admin their units' and a member their own (another's is 404); a competition not
published has no public booklet; Chinese first, English under ?lang=en."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.services import accounts
from chalicelib.services import competition as competition_service
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from tests.http.browsing import get_page
from tests.http.conftest import Caller

SINGERS = "ev-01J6NJCKH0SCV1CDEY5SS5JQ92"  # the demo 教工歌手大赛: a preliminary, then a judged final with tiers
MEET = "ev-01J6NJX2W0KQ9HY61NV7QE32BR"  # the demo 田径运动会: one measured stage, places scoring by its place points
CUP = "ev-01J6NJV89079VVCN85WE2NGK18"  # the demo badminton team cup: groups, then a knockout with a third place
UNION = Principal(staff_no="2009001", union_admin=True)


def _html(response) -> str:
    return unescape(response.body.decode())


def _certificates(html: str) -> list[str]:
    """Each printed certificate's text, tags dropped and spaces squeezed."""
    found = re.findall(r'<section class="certificate">(.*?)</section>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip() for body in found]


def _state(event_id: str):
    return competition_service.view(get_store(), UNION, event_id)


def _signed_in(staff_no: str) -> Caller:
    """A member who activates their account, as one does from an activation sheet."""
    store, settings = get_store(), get_settings()
    member = store.members.get(staff_no)
    assert member is not None
    (issued,) = accounts.issue_activation_codes(store, settings, [member])
    session = accounts.activate(store, settings, staff_no, issued.code, "Lantern#2048", "10.0.0.7")
    return Caller(member.name, staff_no, session.token)


@pytest.fixture(scope="module")
def singer_awards(demo_union):
    """The final's award tiers as the engine decides them: (tier name, entry id, name, unit id), best first."""
    state = _state(SINGERS)
    final = state.competition.stages[-1]
    tiers = {tier.code: tier.name_zh for tier in final.judging.tiers}
    names, units = state.entry_names(), state.entry_units()
    lines = [line for line in competition_service.outcome(state, final).judged if line.award]
    order = list(tiers)
    lines.sort(key=lambda line: order.index(line.award))
    return [(tiers[line.award], line.entry_id, names[line.entry_id], units[line.entry_id]) for line in lines]


def test_the_singer_contest_gives_a_certificate_per_award_in_tier_order(client, callers, singer_awards):
    response = get_page(client, f"/admin/events/{SINGERS}/competition/certificates", callers["union_admin"])
    assert response.status_code == 200
    html = _html(response)
    printed = _certificates(html)
    assert len(printed) == len(singer_awards) >= 3
    assert {tier for tier, *_ in singer_awards} >= {"一等奖", "二等奖", "三等奖"}
    for text, (tier, _entry, name, _unit) in zip(printed, singer_awards, strict=True):
        assert text.startswith("荣誉证书")
        assert f"{name} 同志" in text and tier in text and "特发此证" in text
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
        assert "（盖章）" in text
    assert "@page" not in html and "<style" not in html and "style=" not in html  # CSP: styles from the css file
    assert "http://" not in html and "https://" not in html  # nothing from another host


def test_one_entrys_certificate_in_english(client, callers, singer_awards):
    _tier, entry_id, name, _unit = singer_awards[0]
    path = f"/admin/events/{SINGERS}/competition/certificates?entry={entry_id}&lang=en"
    (text,) = _certificates(_html(get_page(client, path, callers["union_admin"])))
    assert text.startswith("Certificate of Honour")
    assert f"Presented to {name}," in text and "First prize" in text
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                     r"December) \d{4}", text)  # fmt: skip


def test_the_meet_gives_certificates_for_the_places_that_score(client, callers, demo_union):
    state = _state(MEET)
    stage = state.competition.stages[-1]
    depth = len(stage.meet.place_points)
    result = competition_service.outcome(state, stage).disciplines[0]
    winner = next(p for p in result.placings if p.place == 1)
    expected = sum(
        1
        for discipline in competition_service.outcome(state, stage).disciplines
        for placing in discipline.placings
        if placing.place is not None and placing.place <= depth
    )
    printed = _certificates(_html(get_page(client, f"/admin/events/{MEET}/competition/certificates",
                                           callers["union_admin"])))  # fmt: skip
    # Then the first three units of the unit table (团体总分第一名 ... made out to the unit).
    team = [text for text in printed if "团体总分" in text]
    assert len(printed) == expected + len(team) and len(team) >= 3 and "第1名" in team[0]
    first = printed[0]
    assert state.entry_names()[winner.entry_id] in first
    assert result.discipline.name_zh in first and "第1名" in first


def test_a_member_sees_only_their_own(client, callers, singer_awards):
    _tier, entry_id, _name, _unit = singer_awards[0]
    _other_tier, other_entry, other_name, _ = singer_awards[1]
    winner = _signed_in(entry_id)
    mine = _html(get_page(client, "/me/certificates", winner))
    printed = _certificates(mine)
    assert printed and all(winner.name in text for text in printed)
    assert other_name not in mine
    per_event = get_page(client, f"/me/certificates?event={SINGERS}", winner)
    assert per_event.status_code == 200 and len(_certificates(_html(per_event))) == 1
    # Another's certificate, by the organisers' address: 404 (nothing to show them), never the certificate.
    refused = get_page(client, f"/admin/events/{SINGERS}/competition/certificates?entry={other_entry}", winner)
    assert refused.status_code in (403, 404)
    assert other_name not in _html(refused)
    # Their registrations page links to their certificate where they won.
    registrations = _html(get_page(client, "/me/registrations", winner))
    assert f'href="/me/certificates?event={SINGERS}"' in registrations
    # A member who won nothing has none of them: the demo member's only certificates are from the skill contest
    # (第七届职工岗位技能竞赛, issue 19 item 7), none from the singers'.
    assert all(
        "岗位技能竞赛" in text for text in _certificates(_html(get_page(client, "/me/certificates", callers["member"])))
    )
    assert get_page(client, f"/me/certificates?event={SINGERS}", callers["member"]).status_code == 404


def _meet_awards() -> list[tuple[str, str]]:
    """The demo meet's awards as the engine places them: (entry name, unit id) per place that scores points, then
    (unit name, unit id) per unit among the first three of a unit table (团体总分第一名 ...)."""
    state = _state(MEET)
    stage = state.competition.stages[-1]
    depth = len(stage.meet.place_points)
    names, units = state.entry_names(), state.entry_units()
    outcome = competition_service.outcome(state, stage)
    places = [
        (names[placing.entry_id], units[placing.entry_id])
        for result in outcome.disciplines
        for placing in result.placings
        if placing.place is not None and placing.place <= depth
    ]
    unit_places = [
        (get_store().units.get(line.unit_id).name_zh, line.unit_id)
        for table in outcome.unit_tables
        for line in table.lines
        if line.rank <= 3 and line.points > 0
    ]
    assert unit_places  # the demo meet's units are placed
    return places + unit_places


def test_a_unit_admin_sees_only_their_units_certificates(client, callers):
    """The demo unit admins (neither organises the meet): each sees their units' places and no one else's."""
    awarded = _meet_awards()
    assert _state(MEET).event.owner_unit_id != "cs"
    seen = 0
    for caller in (callers["unit_admin"], callers["other_unit_admin"]):
        units = get_store().members.get(caller.staff_no).admin_units
        theirs = [name for name, unit in awarded if unit in units]
        others = {name for name, unit in awarded if unit not in units} - set(theirs)
        html = _html(get_page(client, f"/admin/events/{MEET}/competition/certificates", caller))
        printed = _certificates(html)
        assert len(printed) == len(theirs), caller.name
        assert all(name in text for name, text in zip(theirs, printed, strict=True))
        assert all(name not in html for name in others)
        seen += len(printed)
    assert 1 <= seen < len(awarded)  # the demo meet has places won by these units, and by others


def test_the_booklet_is_public_once_published_and_hidden_before(client, callers, singer_awards):
    page = get_page(client, f"/events/{SINGERS}/competition/booklet")
    assert page.status_code == 200
    html = _html(page)
    assert "成绩册" in html and all(name in html for _tier, _entry, name, _unit in singer_awards)
    english = _html(get_page(client, f"/events/{SINGERS}/competition/booklet?lang=en"))
    assert "Results booklet" in english and "First prize" in english
    meet = _html(get_page(client, f"/events/{MEET}/competition/booklet"))
    assert "成绩册" in meet and "团体总分" in meet
    # The public competition page links to it.
    public = _html(get_page(client, f"/events/{SINGERS}/competition"))
    assert f'href="/events/{SINGERS}/competition/booklet"' in public
    competition_service.publish(get_store(), UNION, SINGERS, False, _now())
    try:
        assert get_page(client, f"/events/{SINGERS}/competition/booklet").status_code == 404
        assert get_page(client, f"/events/{SINGERS}/competition/booklet", callers["union_admin"]).status_code == 200
        assert "booklet" not in _html(get_page(client, f"/events/{SINGERS}/competition"))
    finally:
        competition_service.publish(get_store(), UNION, SINGERS, True, _now())


def test_the_organisers_pages_link_to_the_certificates_and_booklet(client, callers):
    caller = callers["union_admin"]
    for path in (f"/admin/events/{SINGERS}/competition", f"/admin/events/{SINGERS}/edit"):
        html = _html(get_page(client, path, caller))
        assert f'href="/admin/events/{SINGERS}/competition/certificates"' in html, path
        assert f'href="/events/{SINGERS}/competition/booklet"' in html, path


def _now():
    from chalicelib.domain.calendar import now

    return now()


def test_the_cup_gives_its_podium_teams_certificates_and_a_booklet(client, callers):
    """A team tournament: the knockout's first three places, made out to the teams (no 同志), each on its roster's
    own certificates page; the booklet has the final placings, the group tables and the knockout's rounds."""
    state = _state(CUP)
    placings = dict(
        (place, entry) for place, entry in competition_service.outcome(state, state.competition.stages[-1]).placings
    )
    names = state.entry_names()
    printed = _certificates(
        _html(get_page(client, f"/admin/events/{CUP}/competition/certificates", callers["union_admin"]))
    )
    assert len(printed) == 3
    for text, (place, title) in zip(printed, ((1, "冠军"), (2, "亚军"), (3, "季军")), strict=True):
        assert names[placings[place]] in text and title in text and "同志" not in text
    champion = next(entry for entry in state.competition.entries if entry.entry_id == placings[1])
    player = _signed_in(champion.members[0])
    (own,) = _certificates(_html(get_page(client, f"/me/certificates?event={CUP}", player)))
    assert names[champion.entry_id] in own and "冠军" in own
    booklet = _html(get_page(client, f"/events/{CUP}/competition/booklet"))
    assert "最终名次" in booklet and "A 组" in booklet and "决赛" in booklet

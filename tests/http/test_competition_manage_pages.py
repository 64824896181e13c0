"""The competition's organiser, referee and judge pages through the test client: setting up groups then knockout for
a team event and drawing it (and redoing the draw), every other template, closing stages, publishing, officials,
referees entering and correcting scores, who is refused, a judge's marking sheet, and attempts in a meet. Events are
made through the services, each test its own."""

from __future__ import annotations

import re
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import Cards, MatchStatus
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    EntryType,
    EventFormat,
    EventKind,
    MemberStatus,
)
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_officials
from chalicelib.services import registration as registration_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, header, post_form

WIN = {"games": [[21, 15], [21, 18]]}


def _html(response):
    text = unescape(response.body.decode())
    assert "competition.manage." not in text  # every message key has its words
    return text


@pytest.fixture(scope="module")
def union_admin(callers):
    return Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)


@pytest.fixture(scope="module")
def spare(demo_union, callers):
    """Active demo members who are none of the signed-in callers, by unit."""
    taken = {caller.staff_no for caller in callers.values()}
    by_unit: dict[str, list] = {}
    for member in demo_union.members:
        if member.status is MemberStatus.ACTIVE and member.staff_no not in taken:
            by_unit.setdefault(member.unit_id, []).append(member)
    return by_unit


def _event(organiser, title, event_format, **extra):
    kind = EventKind.SPORTS if event_format != EventFormat.CONTEST else EventKind.SKILLS
    fields = {"owner_unit_id": "cs", "kind": kind, "format": event_format, "title_zh": title, "capacity": 32}
    return published_event(organiser, days=14, hours=4, **fields, **extra)


def _team_event(union_admin, spare, title, count=8):
    """A team tournament of the cs unit with one team from each of ``count`` units."""
    event = _event(union_admin, title, EventFormat.TOURNAMENT, entry_type=EntryType.TEAM)
    units = sorted(unit for unit in spare if unit != "cs")[:count]
    teams = [
        team_service.enter_team(
            get_store(), union_admin, event, unit, f"{unit}队", [spare[unit][0].staff_no], None, now()
        )
        for unit in units
    ]
    return event, teams


def _individual_event(organiser, spare, title, event_format, count):
    """An individual event of the cs unit with ``count`` confirmed cs members."""
    event = _event(organiser, title, event_format)
    members = spare["cs"][:count]
    for member in members:
        principal = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
        registration_service.register(get_store(), principal, event.event_id, SERIES, {}, now())
    return event, members


def _competition_path(event, tail=""):
    return f"/admin/events/{event.event_id}/competition{tail}"


def _state(organiser, event):
    return competition_service.managed(get_store(), organiser, event.event_id)[1]


# ---- set-up and draw ----------------------------------------------------------------------------------------------


def test_organiser_sets_up_groups_then_knockout_for_a_team_event_seeds_it_and_draws(
    client, callers, organiser, union_admin, spare
):
    admin = callers["unit_admin"]
    event, teams = _team_event(union_admin, spare, "羽毛球团体赛编排")
    edit = _html(get_page(client, f"/admin/events/{event.event_id}/edit", admin))
    assert f'href="{_competition_path(event)}"' in edit

    page = _html(get_page(client, _competition_path(event), admin))
    assert 'value="groups_knockout" checked' in page  # a tournament starts from groups then knockout
    assert all(team.name in page for team in teams)
    assert "羽毛球团体 三场（第一单打、双打、第二单打）" in page and "羽毛球团体（BWF）" in page

    setup = {
        "action": "setup",
        "template": "groups_knockout",
        "match_format": "badminton_3",
        "tiebreak": "badminton_team",
        "gk_groups": "2",
        "gk_qualifiers": "2",
        "gk_legs": "1",
        "gk_third_place": "1",
    }
    saved = post_form(client, _competition_path(event), admin, setup)
    assert saved.status_code == 303 and header(saved, "Location").endswith("?done=setup")
    competition = _state(organiser, event).competition
    assert [stage.kind.value for stage in competition.stages] == ["groups", "single_elimination"]
    assert competition.stages[0].groups == 2 and competition.stages[1].third_place
    assert [entry.entry_id for entry in competition.entries] == [team.team_id for team in teams]

    seeds = {"action": "seeds", "entry": [team.team_id for team in teams], "seed": ["1", "2"] + [""] * 6}
    assert post_form(client, _competition_path(event), admin, seeds).status_code == 303
    bad = {"action": "seeds", "entry": [team.team_id for team in teams], "seed": ["1", "3"] + [""] * 6}
    refused = post_form(client, _competition_path(event), admin, bad)
    assert refused.status_code == 400 and "种子序号须从 1 开始连续编号" in _html(refused)
    assert {e.entry_id: e.seed for e in _state(organiser, event).competition.entries if e.seed} == {
        teams[0].team_id: 1,
        teams[1].team_id: 2,
    }

    drawn = post_form(client, _competition_path(event), admin, {"action": "draw", "stage": "groups"})
    assert drawn.status_code == 303 and header(drawn, "Location").endswith("?done=draw#stage-groups")
    first = _state(organiser, event).competition.run("groups")
    groups = [set(group) for group in first.groups]
    assert len(groups) == 2 and teams[0].team_id in groups[0] and teams[1].team_id in groups[1]
    page = _html(get_page(client, _competition_path(event, "?done=draw"), admin))
    assert "已抽签。" in page and f"抽签种子 {first.seed}" in page and "已重新抽签 0 次" in page
    assert "A 组" in page and "B 组" in page and "第1轮" in page
    assert "/competition/stages/groups/matches/" in page  # each ready match links to its score entry
    assert 'value="setup"' not in page and "赛制不能再修改" in page  # the set-up is locked once drawn

    again = post_form(client, _competition_path(event), admin, {"action": "draw", "stage": "groups"})
    assert again.status_code == 303
    second = _state(organiser, event).competition.run("groups")
    assert second.seed != first.seed and second.redraws == 1
    page = _html(get_page(client, _competition_path(event), admin))
    assert f"抽签种子 {second.seed}" in page and "已重新抽签 1 次" in page
    assert 'name="action" value="draw" data-confirm="' in page  # the redo button asks first (static/app.js)


def test_set_up_problems_are_shown_in_the_page_not_as_errors(client, callers, organiser, spare):
    admin = callers["unit_admin"]
    event, _members = _individual_event(organiser, spare, "歌手大赛设置", EventFormat.CONTEST, 3)
    setup = {
        "action": "setup",
        "template": "judged",
        "finalists": "2",
        "c_name_zh": ["音准节奏", "音色表现"],
        "c_name_en": ["", ""],
        "c_weight": ["40", "30"],
        "c_max_mark": ["", ""],
        "t_name_zh": ["一等奖"],
        "t_name_en": [""],
        "t_count": ["1"],
        "t_share": ["20"],
        "aggregation": "drop_high_low",
        "tie_rule": "criteria",
        "rounding": "half_up",
    }
    refused = post_form(client, _competition_path(event), callers["unit_admin"], setup)
    html = _html(refused)
    assert refused.status_code == 400
    assert "评分项权重合计须为 100%（现为 70%）" in html
    assert "第 1 个奖项：请填写名称，并在名额和比例中填且只填一项" in html
    assert 'value="音色表现"' in html  # what was typed stays
    assert _state(organiser, event) is None
    english = post_form(client, _competition_path(event) + "?lang=en", admin, setup)
    assert "The weights must add up to 100% (now 70%)" in _html(english)


@pytest.mark.parametrize(
    ("template", "fields", "kinds"),
    [
        ("single_elimination", {"se_third_place": "1"}, ["single_elimination"]),
        ("double_elimination", {"de_grand_final": "reset"}, ["double_elimination"]),
        ("round_robin", {"rr_legs": "2"}, ["round_robin"]),
        ("league", {"lg_legs": "2", "lg_first_matchday": "2026-12-05", "lg_days_between": "14"}, ["league"]),
        ("swiss", {"sw_rounds": "4"}, ["swiss"]),
    ],
)
def test_every_match_template_is_saved_and_shown_again(client, callers, organiser, spare, template, fields, kinds):
    admin = callers["unit_admin"]
    event, _members = _individual_event(organiser, spare, f"模板{template}", EventFormat.TOURNAMENT, 4)
    setup = {"action": "setup", "template": template, "match_format": "table_tennis", "tiebreak": "table_tennis"}
    assert post_form(client, _competition_path(event), admin, {**setup, **fields}).status_code == 303
    competition = _state(organiser, event).competition
    assert [stage.kind.value for stage in competition.stages] == kinds
    assert competition.match_format == "table_tennis" and competition.tiebreak == "table_tennis"
    form = _html(get_page(client, _competition_path(event), admin))
    assert f'value="{template}" checked' in form
    assert all(_shown(form, name, value) for name, value in fields.items())


def _shown(form, name, value):
    """Whether the set-up form shows ``value`` in its field ``name``: an input, a select or a checkbox."""
    return bool(
        re.search(rf'name="{name}" type="\w+" value="{value}"', form)
        or re.search(rf'name="{name}"[^>]*>(?:(?!</select>).)*<option value="{value}" selected', form, re.S)
        or f'name="{name}" value="1" checked' in form
    )


def _play_ready(organiser, event, stage_id):
    store = get_store()
    while ready := _ready(organiser, event, stage_id):
        for match in ready:
            competition_service.enter_result(store, organiser, event.event_id, stage_id, match.match_id, WIN, now())


def _set_up_badminton_and_draw(client, admin, event, template, stage, fields):
    """The admin sets the event up from ``template`` (badminton scoring, ``fields``) and draws ``stage``."""
    setup = {"action": "setup", "template": template, "match_format": "badminton", "tiebreak": "badminton", **fields}
    assert post_form(client, _competition_path(event), admin, setup).status_code == 303
    assert post_form(client, _competition_path(event), admin, {"action": "draw", "stage": stage}).status_code == 303


def test_closing_the_groups_draws_the_knockout_and_a_swiss_stage_pairs_its_next_round(
    client, callers, organiser, spare
):
    admin = callers["unit_admin"]
    event, _members = _individual_event(organiser, spare, "小组赛结束", EventFormat.TOURNAMENT, 8)
    groups = {"gk_groups": "2", "gk_qualifiers": "2", "gk_legs": "1"}
    _set_up_badminton_and_draw(client, admin, event, "groups_knockout", "groups", groups)
    early = post_form(client, _competition_path(event), admin, {"action": "close", "stage": "groups"})
    assert early.status_code == 409 and "还有比赛或评分没有完成，不能结束这个阶段。" in _html(early)
    _play_ready(organiser, event, "groups")
    closed = post_form(client, _competition_path(event), admin, {"action": "close", "stage": "groups"})
    assert closed.status_code == 303
    state = _state(organiser, event)
    assert state.competition.run("knockout").state.value == "drawn" and len(_ready(organiser, event, "knockout")) == 2
    page = _html(get_page(client, _competition_path(event), admin))
    assert "半决赛" in page and "W1-1 胜者" in page and "已结束" in page

    swiss, _members = _individual_event(organiser, spare, "积分编排", EventFormat.TOURNAMENT, 6)
    _set_up_badminton_and_draw(client, admin, swiss, "swiss", "swiss", {"sw_rounds": "3"})
    assert 'value="next_round"' in _html(get_page(client, _competition_path(swiss), admin))
    _play_ready(organiser, swiss, "swiss")
    paired = post_form(client, _competition_path(swiss), admin, {"action": "next_round", "stage": "swiss"})
    assert paired.status_code == 303 and header(paired, "Location").endswith("?done=next_round#stage-swiss")
    assert {m.round for m in _ready(organiser, swiss, "swiss")} == {2}


# ---- who may do what ----------------------------------------------------------------------------------------------


def _drawn_team_tournament(organiser, union_admin, spare, title):
    event, teams = _team_event(union_admin, spare, title, count=4)
    stages = [{"stage_id": "knockout", "kind": "single_elimination", "name_zh": "淘汰赛"}]
    store = get_store()
    competition_service.configure(
        store,
        organiser,
        event.event_id,
        {"match_format": "badminton_3", "tiebreak": "badminton_team", "stages": stages},
        now(),
    )
    competition_service.draw(store, organiser, event.event_id, "knockout", now())
    return event, teams


def _ready(organiser, event, stage_id):
    return [m for m in _state(organiser, event).stage_matches(stage_id) if m.status == MatchStatus.READY]


def test_plain_members_and_other_units_admins_are_refused(client, callers, organiser, union_admin, spare):
    event, _teams = _drawn_team_tournament(organiser, union_admin, spare, "团体赛权限")
    match = _ready(organiser, event, "knockout")[0]
    score_path = _competition_path(event, f"/stages/knockout/matches/{match.match_id}")
    rubber = {"outcome": "played", "r0_home": ["21", "21"], "r0_away": ["10", "10"]}
    for who in ("member", "other_unit_admin"):
        caller = callers[who]
        assert get_page(client, _competition_path(event), caller).status_code == 403
        assert (
            post_form(client, _competition_path(event), caller, {"action": "draw", "stage": "knockout"}).status_code
            == 403
        )
        assert get_page(client, score_path, caller).status_code == 403
        assert post_form(client, score_path, caller, rubber).status_code == 403
        assert get_page(client, f"/events/{event.event_id}/referee", caller).status_code == 403
    anonymous = get_page(client, score_path, callers["anonymous"])
    assert anonymous.status_code == 303 and header(anonymous, "Location").startswith("/signin?next=")
    assert _ready(organiser, event, "knockout")[0] == match  # nothing was recorded


def test_a_referee_enters_a_team_tie_rubber_by_rubber_and_goes_back_to_the_matches(
    client, callers, organiser, union_admin, spare
):
    admin, member = callers["unit_admin"], callers["member"]
    event, _teams = _drawn_team_tournament(organiser, union_admin, spare, "团体赛裁判录分")
    match = _ready(organiser, event, "knockout")[0]
    score_path = _competition_path(event, f"/stages/knockout/matches/{match.match_id}")
    assert get_page(client, score_path, member).status_code == 403

    named = post_form(
        client,
        _competition_path(event),
        admin,
        {"action": "official_add", "staff_no": member.staff_no, "role": "referee"},
    )
    assert named.status_code == 303
    page = _html(get_page(client, _competition_path(event), admin))
    officials = page[page.index('id="officials"') :]
    assert member.staff_no in officials and "裁判" in officials
    unknown = post_form(
        client, _competition_path(event), admin, {"action": "official_add", "staff_no": "NOBODY9", "role": "referee"}
    )
    assert unknown.status_code == 400 and "找不到此工号" in _html(unknown)

    duties = _html(get_page(client, "/me/duties", member))
    assert "裁判与评委工作" in duties and f'href="/events/{event.event_id}/referee"' in duties
    listing = _html(get_page(client, f"/events/{event.event_id}/referee", member))
    assert score_path in listing and "待录入 2 场" in listing

    form = _html(get_page(client, score_path, member))
    assert "第 1 场 第一单打" in form and "第 2 场 双打" in form and "第 3 场 第二单打" in form
    fields = {
        "outcome": "played",
        "r0_outcome": "played",
        "r0_home": ["21", "21", ""],
        "r0_away": ["15", "10", ""],
        "r1_outcome": "played",
        "r1_home": ["19", "21", "21"],
        "r1_away": ["21", "17", "16"],
        "r2_outcome": "played",
        "r2_home": ["", "", ""],
        "r2_away": ["", "", ""],
    }
    saved = post_form(client, score_path, member, fields)
    assert saved.status_code == 303 and header(saved, "Location") == f"/events/{event.event_id}/referee?done=result"
    stored = next(m for m in _state(organiser, event).stage_matches("knockout") if m.match_id == match.match_id)
    assert stored.status == MatchStatus.DONE and (stored.result.home, stored.result.away) == (2, 0)
    assert [rubber.games for rubber in stored.result.rubbers] == [((21, 15), (21, 10)), ((19, 21), (21, 17), (21, 16))]
    listing = _html(get_page(client, f"/events/{event.event_id}/referee?done=result", member))
    assert "比分已保存。" in listing and "待录入 1 场" in listing and "2–0" in listing

    again = _html(get_page(client, score_path, member))
    assert "已有比分：2–0。修改将更正这场比赛的成绩。" in again and 'name="correct" value="1"' in again
    assert 'value="19"' in again  # the recorded games are filled in

    # The organiser saves from the same page and goes back to the stage on the competition page.
    other = _ready(organiser, event, "knockout")[0]
    walkover = {"outcome": "walkover_away"}
    done = post_form(client, _competition_path(event, f"/stages/knockout/matches/{other.match_id}"), admin, walkover)
    assert done.status_code == 303 and header(done, "Location").endswith("?done=result#stage-knockout")


def test_invalid_scores_are_shown_next_to_the_game_and_a_correction_after_later_play_is_refused(
    client, callers, organiser, spare
):
    admin = callers["unit_admin"]
    event, _members = _individual_event(organiser, spare, "羽毛球单打录分", EventFormat.TOURNAMENT, 4)
    store = get_store()
    stages = [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}]
    competition_service.configure(store, organiser, event.event_id, {"stages": stages}, now())
    competition_service.draw(store, organiser, event.event_id, "main", now())
    semi, other = _ready(organiser, event, "main")
    path = _competition_path(event, f"/stages/main/matches/{semi.match_id}")

    invalid = post_form(client, path, admin, {"outcome": "played", "home": ["21", "21", ""], "away": ["20", "15", ""]})
    html = _html(invalid)
    assert invalid.status_code == 400 and "这一局还没有结束" in html
    assert re.search(r'aria-invalid="true" aria-describedby="e-game_1"', html)
    assert 'value="20"' in html  # what was typed stays
    typo = post_form(client, path, admin, {"outcome": "played", "home": ["21", "2l", ""], "away": ["15", "19", ""]})
    assert typo.status_code == 400 and "每局比分须为两个整数" in _html(typo)
    english = post_form(
        client, path + "?lang=en", admin, {"outcome": "played", "home": ["21", "31"], "away": ["19", "29"]}
    )
    assert english.status_code == 400 and "The score goes past the cap" in _html(english)
    assert _ready(organiser, event, "main")[0].match_id == semi.match_id  # nothing was recorded

    played = post_form(client, path, admin, {"outcome": "played", "home": ["21", "22", ""], "away": ["19", "20", ""]})
    assert played.status_code == 303
    competition_service.enter_result(store, organiser, event.event_id, "main", other.match_id, WIN, now())
    competition_service.enter_result(store, organiser, event.event_id, "main", "W2-1", WIN, now())
    form = _html(get_page(client, path, admin))
    assert "已有比分：2–0（21–19 22–20）。修改将更正这场比赛的成绩。" in form
    reversed_result = {"correct": "1", "outcome": "played", "home": ["19", "20", ""], "away": ["21", "22", ""]}
    refused = post_form(client, path, admin, reversed_result)
    html = _html(refused)
    assert refused.status_code == 409 and "后续比赛已经进行，不能更改这场的胜负" in html and "W2-1" in html
    kept = post_form(
        client, path, admin, {"correct": "1", "outcome": "played", "home": ["21", "23"], "away": ["19", "21"]}
    )
    assert kept.status_code == 303  # a mistyped score that keeps the winner is still corrected


# ---- judges -------------------------------------------------------------------------------------------------------


def test_a_judge_marks_only_their_entries_never_sees_another_judges_marks_and_reads_a_closed_panel(
    client, callers, organiser, spare
):
    admin, member = callers["unit_admin"], callers["member"]
    other_judge = Principal(staff_no=callers["other_unit_admin"].staff_no, unit_id="hospital")
    event, singers = _individual_event(organiser, spare, "歌手大赛评分", EventFormat.CONTEST, 4)
    for staff_no in (member.staff_no, other_judge.staff_no):
        competition_officials.name_official(get_store(), organiser, event.event_id, staff_no, "judge", now())
    mine, theirs = singers[:2], singers[2:]
    setup = {
        "action": "setup",
        "template": "judged",
        "finalists": "2",
        "c_name_zh": ["音准节奏", "音色表现", "台风仪表"],
        "c_name_en": ["", "", ""],
        "c_weight": ["40", "30", "30"],
        "c_max_mark": ["", "", ""],
        "t_name_zh": ["一等奖", "二等奖"],
        "t_name_en": ["", ""],
        "t_count": ["1", "1"],
        "t_share": ["", ""],
        "aggregation": "mean",
        "tie_rule": "criteria",
        "rounding": "half_up",
        "p_name_zh": ["一组", "二组"],
        "p_judges": [f"{member.staff_no} {other_judge.staff_no}", other_judge.staff_no],
        "p_entries": [" ".join(s.staff_no for s in mine), "，".join(s.staff_no for s in theirs)],
    }
    assert post_form(client, _competition_path(event), admin, setup).status_code == 303
    stages = _state(organiser, event).competition.stages
    assert [stage.stage_id for stage in stages] == ["preliminary", "final"]
    assert stages[0].judging.panels[0].judges == (member.staff_no, other_judge.staff_no)
    form = _html(get_page(client, _competition_path(event), admin))  # the set-up can still change: filled in as saved
    assert 'value="音色表现"' in form and 'value="30"' in form and 'value="二等奖"' in form
    assert f"{member.staff_no} {other_judge.staff_no}</textarea>" in form
    sheet_path = f"/events/{event.event_id}/judging/preliminary"
    pending = _html(get_page(client, sheet_path, member))
    assert "评分尚未开始。" in pending and "保存评分" not in pending
    assert (
        post_form(client, _competition_path(event), admin, {"action": "open", "stage": "preliminary"}).status_code
        == 303
    )

    store = get_store()
    secret = {"c1": 77.7, "c2": 66.6, "c3": 55.5}
    competition_service.submit_marks(store, other_judge, event.event_id, "preliminary", mine[0].staff_no, secret, now())
    sheet = _html(get_page(client, sheet_path, member))
    # By number, never by name, while the panel marks (issue 19 item 8); no order drawn: the entries' own order.
    assert not any(singer.name in sheet or singer.staff_no in sheet for singer in singers)
    assert "1 号" in sheet and "2 号" in sheet and "3 号" not in sheet
    assert "77.7" not in sheet and "66.6" not in sheet and "您已评 0/2 位" in sheet
    assert "音准节奏" in sheet and "权重 40% · 满分 100" in sheet

    marks = {"number": "1", "m_c1": "90", "m_c2": "85.5", "m_c3": "１２０"}
    refused = post_form(client, sheet_path, member, marks)
    assert refused.status_code == 400 and "请填写 0–100 之间的分数" in _html(refused)
    assert post_form(client, sheet_path, member, {**marks, "number": "3", "m_c3": "80"}).status_code == 403
    saved = post_form(
        client, sheet_path, member, {**marks, "m_c3": "８０"}
    )  # full-width digits from a Chinese keyboard
    assert saved.status_code == 303 and header(saved, "Location").endswith("?done=marks#entry-1")
    sheet = _html(get_page(client, sheet_path + "?done=marks", member))
    assert "评分已保存。" in sheet and 'value="85.5"' in sheet and "您已评 1/2 位" in sheet and "77.7" not in sheet

    duties = _html(get_page(client, "/me/duties", member))
    assert f'href="{sheet_path}"' in duties and "初赛 评分" in duties
    overview = _html(get_page(client, _competition_path(event), admin))  # organisers follow the marking as it goes
    assert "已评评委" in overview and mine[0].name in overview

    for judge, singer in ((member, mine[1]), (other_judge, theirs[0]), (other_judge, theirs[1])):
        principal = Principal(staff_no=judge.staff_no, unit_id="cs")
        competition_service.submit_marks(
            store, principal, event.event_id, "preliminary", singer.staff_no, {"c1": 80, "c2": 80, "c3": 80}, now()
        )
    # The other judge (in both panels) has not marked No. 2: closing warns, names what is missing, asks to confirm.
    close = {"action": "close", "stage": "preliminary"}
    warned = post_form(client, _competition_path(event), admin, close)
    html = _html(warned)
    assert warned.status_code == 409 and "以下评委还有选手未评分" in html and "仍然结束评分" in html
    assert (
        f"（{other_judge.staff_no}）：2 号" in html
        and _state(organiser, event).competition.run("preliminary").state == "drawn"
    )
    closed = post_form(client, _competition_path(event), admin, {**close, "confirm": "1"})
    assert closed.status_code == 303
    sheet = _html(get_page(client, sheet_path, member))
    assert "评分已结束，以下为您的评分，只能查看。" in sheet and "保存评分" not in sheet and "readonly" in sheet
    assert mine[0].name in sheet and mine[1].name in sheet  # names once the panel is closed
    late = post_form(client, sheet_path, member, {**marks, "m_c3": "70"})
    assert late.status_code == 409 and "评分已结束，不能再修改。" in _html(late)


# ---- a meet -------------------------------------------------------------------------------------------------------


def test_attempts_in_a_meet_are_entered_per_entrant_and_a_bad_time_is_shown(client, callers, organiser, spare):
    admin = callers["unit_admin"]
    event, runners = _individual_event(organiser, spare, "田径运动会录分", EventFormat.MEET, 3)
    page = _html(get_page(client, _competition_path(event), admin))
    assert 'value="meet" checked' in page and all(runner.name in page for runner in runners)
    setup = {
        "action": "setup",
        "template": "meet",
        "place_points": "7，5，4",
        "d_code": ["m100", ""],
        "d_name_zh": ["男子青年组100米", ""],
        "d_name_en": ["", ""],
        "d_measure": ["time", "time"],
        "d_attempts": ["1", ""],
        "d0_entries": [runner.staff_no for runner in runners],
    }
    assert post_form(client, _competition_path(event), admin, setup).status_code == 303
    form = _html(get_page(client, _competition_path(event), admin))
    assert 'value="男子青年组100米"' in form and 'value="7,5,4"' in form
    assert f'name="d0_entries" value="{runners[0].staff_no}" checked' in form
    meet = _state(organiser, event).competition.stages[0].meet
    assert meet.place_points == (7, 5, 4) and meet.disciplines[0].entries == tuple(r.staff_no for r in runners)
    assert post_form(client, _competition_path(event), admin, {"action": "open", "stage": "meet"}).status_code == 303

    path = _competition_path(event, "/stages/meet/disciplines/m100")
    listing = _html(get_page(client, _competition_path(event), admin))
    assert path in listing and "已录入 0/3" in listing
    bad = post_form(client, path, admin, {"entry": runners[0].staff_no, "attempt": ["12.3.4"]})
    html = _html(bad)
    assert bad.status_code == 400 and "成绩格式不正确（如 12.34、1:02.35 或 5.62）" in html and 'value="12.3.4"' in html
    for runner, time in zip(runners, ("12.34", "1:02.35", "11.9"), strict=True):
        saved = post_form(client, path, admin, {"entry": runner.staff_no, "attempt": [time]})
        assert saved.status_code == 303
    page = _html(get_page(client, path + "?done=attempts", admin))
    placings = page[page.index("当前名次") :]
    assert placings.index(runners[2].name) < placings.index(runners[0].name) < placings.index(runners[1].name)
    assert "1:02.35" in placings and "11.9" in placings
    member = callers["member"]
    assert get_page(client, path, member).status_code == 403  # not a referee of this meet


def test_the_competition_page_in_english(client, callers, organiser, union_admin, spare):
    event, _teams = _drawn_team_tournament(organiser, union_admin, spare, "团体赛英文")
    page = _html(get_page(client, _competition_path(event, "?lang=en"), callers["unit_admin"]))
    assert "Competition" in page and "Semi-final" in page and "Referees and judges" in page
    assert "Draw seed" in page and "redone 0 times" in page


def test_publishing_and_removing_an_official(client, callers, organiser, union_admin, spare):
    admin, member = callers["unit_admin"], callers["member"]
    event, _teams = _drawn_team_tournament(organiser, union_admin, spare, "团体赛发布")
    published = post_form(client, _competition_path(event), admin, {"action": "publish"})
    assert published.status_code == 303 and _state(organiser, event).competition.published
    page = _html(get_page(client, _competition_path(event, "?done=publish"), admin))
    assert "已发布。" in page and 'value="unpublish"' in page
    assert post_form(client, _competition_path(event), admin, {"action": "unpublish"}).status_code == 303
    assert not _state(organiser, event).competition.published

    official = {"staff_no": member.staff_no, "role": "referee"}
    assert post_form(client, _competition_path(event), admin, {"action": "official_add", **official}).status_code == 303
    assert get_page(client, f"/events/{event.event_id}/referee", member).status_code == 200
    removed = post_form(client, _competition_path(event), admin, {"action": "official_remove", **official})
    assert removed.status_code == 303
    assert get_page(client, f"/events/{event.event_id}/referee", member).status_code == 403
    again = post_form(client, _competition_path(event), admin, {"action": "official_remove", **official})
    assert again.status_code == 404 and "此人不是本活动的裁判或评委。" in _html(again)


def test_a_football_score_form_takes_the_cards_shown(client, callers, organiser, spare):
    """Cards (FIFA fair-play points, issue 18 item 7) are typed beside a football score and stored with it."""
    admin = callers["unit_admin"]
    event, _members = _individual_event(organiser, spare, "足球录分红黄牌", EventFormat.TOURNAMENT, 2)
    stages = [{"stage_id": "league", "kind": "round_robin", "name_zh": "循环赛"}]
    setup = {"match_format": "football", "tiebreak": "football_fifa", "stages": stages}
    competition_service.configure(get_store(), organiser, event.event_id, setup, now())
    competition_service.draw(get_store(), organiser, event.event_id, "league", now())
    match = _ready(organiser, event, "league")[0]
    path = _competition_path(event, f"/stages/league/matches/{match.match_id}")
    form = _html(get_page(client, path, admin))
    assert "红黄牌（公平竞赛积分）" in form and 'name="card_yellow_home"' in form and "黄牌后直接红牌（−5）" in form
    fields = {"outcome": "played", "home": ["1"], "away": ["1"], "card_yellow_home": "2", "card_direct_red_away": "1"}
    typo = post_form(client, path, admin, {**fields, "card_yellow_away": "x"})
    assert typo.status_code == 400 and "红黄牌须按双方" in _html(typo)
    saved = post_form(client, path, admin, fields)
    assert saved.status_code == 303
    stored = next(m for m in _state(organiser, event).stage_matches("league") if m.match_id == match.match_id)
    assert stored.result.cards == (Cards(yellow=2), Cards(direct_red=1))
    again = _html(get_page(client, path, admin))
    assert 'name="card_yellow_home" value="2"' in again and 'name="card_direct_red_away" value="1"' in again

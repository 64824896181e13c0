"""The public competition page through the test client: a badminton tournament (groups, then a knockout drawn as
SVG), a singer contest (preliminary and final, judges' marks and awards), an athletics meet (marks, place points,
unit totals), an unpublished competition, and the event page's link. Competitions are set up and played through
chalicelib.services.competition, once per module."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.model import MatchStatus
from chalicelib.domain.records import EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as service
from chalicelib.services import competition_officials
from chalicelib.services import meet as meet_service
from chalicelib.storage import get_store
from tests.factories import published_event, register_all
from tests.http.browsing import get_page

WIN = [[21, 10], [21, 12]]  # two games, from the winner's side
CLOSE_WIN = [[21, 15], [19, 21], [21, 17]]
SINGING = [
    {"code": "voice", "name_zh": "演唱", "name_en": "Singing", "weight": 0.6},
    {"code": "stage", "name_zh": "台风", "name_en": "Presence", "weight": 0.4},
]
TIERS = [
    {"code": "first", "name_zh": "一等奖", "name_en": "First prize", "count": 1},
    {"code": "second", "name_zh": "二等奖", "name_en": "Second prize", "count": 1},
]


def _html(response) -> str:
    return unescape(response.body.decode())


def _page(event_id: str, query: str = "") -> str:
    return f"/events/{event_id}/competition{query}"


@pytest.fixture(scope="module")
def people(demo_union, callers):
    """Active members who are none of the callers: the first from as many different units as possible."""
    taken = {caller.staff_no for caller in callers.values()}
    active = [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken]
    seen, spread, rest = set(), [], []
    for member in active:
        (rest if member.unit_id in seen else spread).append(member)
        seen.add(member.unit_id)
    return spread + rest


def _event(organiser, title: str, event_format: EventFormat, entrants) -> str:
    kind = EventKind.SKILLS if event_format is EventFormat.CONTEST else EventKind.SPORTS
    fields = {"owner_unit_id": "cs", "kind": kind, "format": event_format, "title_zh": title, "capacity": 40}
    event = published_event(organiser, days=10, hours=3, title_en=f"{title} (en)", **fields)
    register_all(event.event_id, entrants)
    return event.event_id


def _play(organiser, event_id: str, stage_id: str, winner_of) -> None:
    """Enter every ready match of a stage, round after round: ``winner_of(match)`` gives the winning entry and the
    games from its side."""
    store = get_store()
    while ready := [
        m for m in service.view(store, organiser, event_id).stage_matches(stage_id) if m.status == MatchStatus.READY
    ]:
        for match in ready:
            winner, games = winner_of(match)
            if winner == match.away.entry:
                games = [[away, home] for home, away in games]
            service.enter_result(store, organiser, event_id, stage_id, match.match_id, {"games": games}, now())


def _group_results(groups: list[list[str]]):
    """Results that make tie-breaks to explain. In a group of three everyone beats one other (a three-way tie on
    wins, settled by game difference: first +1, second 0, third −1); in a group of four the first two and the last
    two are level on wins and the match between them decides."""
    winners: dict[frozenset, tuple[str, list]] = {}
    for members in groups:
        ordered = sorted(members)
        if len(ordered) == 3:
            x, y, z = ordered
            plan = [(x, y, x, WIN), (y, z, y, WIN), (z, x, z, CLOSE_WIN)]
        else:
            p, q, r, s = ordered
            plan = [(p, q, p, WIN), (p, r, p, WIN), (s, p, s, WIN), (q, r, q, WIN), (q, s, q, WIN), (r, s, r, WIN)]
        winners.update({frozenset((a, b)): (winner, games) for a, b, winner, games in plan})
    return lambda match: winners[frozenset((match.home.entry, match.away.entry))]


@pytest.fixture(scope="module")
def tournament(organiser, people):
    """Seven players in two groups (three and four), two from each into a knockout with a third-place match,
    played to the end (the knockout is over once its final is played) and published."""
    store = get_store()
    event_id = _event(organiser, "教工羽毛球单打赛", EventFormat.TOURNAMENT, people[:7])
    stages = [
        {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "name_en": "Group stage", "groups": 2,
         "qualifiers": 2},
        {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛", "name_en": "Knockout",
         "third_place": True},
    ]  # fmt: skip
    service.configure(store, organiser, event_id, {"match_format": "badminton", "tiebreak": "badminton",
                                                   "stages": stages}, now())  # fmt: skip
    drawn = service.draw(store, organiser, event_id, "groups", now())
    groups = [list(group) for group in drawn.competition.run("groups").groups]
    _play(organiser, event_id, "groups", _group_results(groups))
    service.close_stage(store, organiser, event_id, "groups", now())
    _play(organiser, event_id, "ko", lambda match: (match.home.entry, WIN))
    service.publish(store, organiser, event_id, True, now())
    return event_id, groups


@pytest.fixture(scope="module")
def contest(organiser, people):
    """A singer contest: four singers in a preliminary marked by three judges (mean), the best two in a final
    (highest and lowest mark dropped) with a first and a second prize; both rounds closed, published."""
    store = get_store()
    singers, judges = people[7:11], people[11:14]
    event_id = _event(organiser, "教工歌手大赛", EventFormat.CONTEST, singers)
    stages = [
        {"stage_id": "prelim", "kind": "judged", "name_zh": "初赛", "name_en": "Preliminary", "qualifiers": 2,
         "judging": {"criteria": SINGING, "aggregation": "mean"}},
        {"stage_id": "final", "kind": "judged", "name_zh": "决赛", "name_en": "Final",
         "judging": {"criteria": SINGING, "aggregation": "drop_high_low", "tiers": TIERS}},
    ]  # fmt: skip
    service.configure(store, organiser, event_id, {"stages": stages}, now())
    for judge in judges:
        competition_officials.name_official(store, organiser, event_id, judge.staff_no, "judge", now())
    service.open_stage(store, organiser, event_id, "prelim", now())
    ranked = sorted(singer.staff_no for singer in singers)
    for number, judge in enumerate(judges):
        who = Principal(staff_no=judge.staff_no, unit_id=judge.unit_id)
        for place, singer in enumerate(ranked):
            marks = {"voice": 90 - 5 * place + number, "stage": 80 - 5 * place}
            service.submit_marks(store, who, event_id, "prelim", singer, marks, now())
    service.close_stage(store, organiser, event_id, "prelim", now())
    # In the final the preliminary's second sings best.
    for number, judge in enumerate(judges):
        who = Principal(staff_no=judge.staff_no, unit_id=judge.unit_id)
        service.submit_marks(store, who, event_id, "final", ranked[1], {"voice": 95, "stage": 90 + number}, now())
        service.submit_marks(store, who, event_id, "final", ranked[0], {"voice": 88, "stage": 85 + number}, now())
    service.close_stage(store, organiser, event_id, "final", now())
    service.publish(store, organiser, event_id, True, now())
    names = {singer.staff_no: singer.name for singer in singers}
    return event_id, [names[staff_no] for staff_no in ranked]


@pytest.fixture(scope="module")
def meet(organiser, people):
    """An athletics meet: a 400 m run by six and a long jump (three attempts) by four, with place points 7-5-4-3-2-1;
    the first runner wins both, so their unit leads the team totals with 14. Closed and published."""
    store = get_store()
    athletes = people[:6]
    ids = [athlete.staff_no for athlete in athletes]
    event_id = _event(organiser, "教工田径运动会", EventFormat.MEET, athletes)
    disciplines = [
        {"code": "m400", "name_zh": "男子400米", "name_en": "Men's 400 m", "measure": "time", "entries": ids},
        {"code": "lj", "name_zh": "跳远", "name_en": "Long jump", "measure": "distance", "attempts": 3,
         "entries": ids[:4]},
    ]  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "name_en": "Athletics",
               "meet": {"disciplines": disciplines}}]  # fmt: skip
    service.configure(store, organiser, event_id, {"stages": stages}, now())
    service.open_stage(store, organiser, event_id, "meet", now())
    for athlete, time in zip(ids, ["58.20", "1:02.35", "1:03.00", "1:04.10", "1:05.00", "1:06.90"], strict=True):
        meet_service.enter_performance(store, organiser, event_id, "meet", "m400", athlete, [time], now())
    jumps = [["5.62", None, "5.80"], ["5.10", "5.20", None], ["4.90", None, None], [None, None, None]]
    for athlete, attempts in zip(ids[:4], jumps, strict=True):
        meet_service.enter_performance(store, organiser, event_id, "meet", "lj", athlete, attempts, now())
    service.close_stage(store, organiser, event_id, "meet", now())
    service.publish(store, organiser, event_id, True, now())
    return event_id, athletes


# ---- the tournament ---------------------------------------------------------------------------------------------


def test_the_group_tables_explain_their_tie_breaks_in_words(client, tournament, people):
    event_id, groups = tournament
    names = {member.staff_no: member.name for member in people[:7]}
    response = get_page(client, _page(event_id, "?stage=groups"))
    assert response.status_code == 200
    html = _html(response)
    assert "A 组" in html and "B 组" in html and "排名规则：羽毛球（BWF）" in html
    three = sorted(next(group for group in groups if len(group) == 3))
    x, y, z = (names[entry] for entry in three)
    assert f"{x}、{y}、{z} 三人胜场数相同，按净胜局数排名：{x} +1、{y} 0、{z} -1" in html
    p, q, r, s = (names[entry] for entry in sorted(next(group for group in groups if len(group) == 4)))
    assert f"{p} 以相互间胜负列 {q} 之前（1 比 0）" in html
    assert f"{r} 以相互间胜负列 {s} 之前（1 比 0）" in html
    # Fixtures by round with their scores, and the qualifiers marked.
    assert "第1轮" in html and "21–10 21–12" in html
    assert html.count("出线</span>") == 4


def test_the_knockout_is_an_svg_bracket_with_every_player_and_the_final_placings_on_top(client, tournament):
    event_id, _ = tournament
    state = service.view(get_store(), Principal(), event_id)
    response = get_page(client, _page(event_id))  # the latest stage is shown by default
    html = _html(response)
    assert "对阵图可左右滑动查看" in html
    root = ET.fromstring(re.search(r"<svg .*?</svg>", response.body.decode(), re.S).group(0))
    drawn = "".join(root.itertext())
    names = state.entry_names()
    knockout = state.stage_matches("ko")
    assert all(names[entry] in drawn for match in knockout for entry in match.entries)
    assert "半决赛" in drawn and "决赛" in drawn and "三四名决赛" in drawn
    final = next(match for match in knockout if match.match_id == "W2-1")
    third = next(match for match in knockout if match.bracket == "3P")
    summary = html.split('id="final-title"', 1)[1].split("</section>", 1)[0]
    assert "最终名次" in html
    expected = [names[final.winner], names[final.loser], names[third.winner], names[third.loser]]
    assert [summary.find(name) for name in expected] == sorted(summary.find(name) for name in expected)
    assert "冠军" in summary and "亚军" in summary and "季军" in summary
    # Played out, the knockout reads as finished although nobody closed it.
    assert "淘汰赛 <small>已结束</small>" in html and "小组赛 <small>已结束</small>" in html


def test_the_page_is_in_english_when_asked(client, tournament):
    event_id, _ = tournament
    html = _html(get_page(client, _page(event_id, "?stage=groups&lang=en")))
    assert "Group A" in html and "Ranking rules: Badminton (BWF)" in html
    assert "3 players level on wins, ranked by game difference" in html
    assert "ranked above" in html and "by head-to-head (1 to 0)" in html
    assert "Final placings" in html and "Champion" in html
    # The language switch keeps the stage.
    assert "?stage=groups&lang=zh" in html


def test_the_event_page_links_to_a_published_competition(client, tournament):
    event_id, _ = tournament
    html = _html(get_page(client, f"/events/{event_id}"))
    assert f'href="/events/{event_id}/competition"' in html and "查看赛程与成绩" in html


def test_a_league_lists_its_fixtures_by_matchday_before_anything_is_played(client, organiser, people):
    store = get_store()
    event_id = _event(organiser, "三校区足球联赛", EventFormat.TOURNAMENT, people[:3])
    first = (now() + timedelta(days=20)).date()
    stages = [{"stage_id": "league", "kind": "league", "name_zh": "联赛", "first_matchday": first.isoformat(),
               "days_between": 7}]  # fmt: skip
    setup = {"match_format": "football", "tiebreak": "football_fifa", "stages": stages}
    service.configure(store, organiser, event_id, setup, now())
    service.draw(store, organiser, event_id, "league", now())
    service.publish(store, organiser, event_id, True, now())
    html = _html(get_page(client, _page(event_id)))
    for round_ in range(3):  # three teams: three rounds, one sitting out each
        assert f"第{round_ + 1}轮 · {(first + timedelta(days=7 * round_)).isoformat()}" in html
    assert html.count('<span class="score">对</span>') == 3
    assert "净胜球" in html and "平" in html  # football words: goal difference and draws
    assert 'id="final-title"' not in html


def test_a_volleyball_table_counts_sets_and_a_badminton_table_games(client, organiser, people, tournament):
    """The sport's words come from its match format in the domain (scoring.GameUnit), not from the page."""
    store = get_store()
    event_id = _event(organiser, "教职工排球联赛", EventFormat.TOURNAMENT, people[:3])
    stages = [{"stage_id": "league", "kind": "round_robin", "name_zh": "循环赛"}]
    setup = {"match_format": "volleyball", "tiebreak": "volleyball", "stages": stages}
    service.configure(store, organiser, event_id, setup, now())
    service.draw(store, organiser, event_id, "league", now())
    service.publish(store, organiser, event_id, True, now())
    volleyball = _html(get_page(client, _page(event_id, "?lang=en")))
    assert "Sets ±" in volleyball and "Games ±" not in volleyball and "Goals ±" not in volleyball
    badminton = _html(get_page(client, _page(tournament[0], "?stage=groups&lang=en")))
    assert "Games ±" in badminton and "Sets ±" not in badminton


# ---- the contest ------------------------------------------------------------------------------------------------


def test_the_contest_shows_its_awards_scores_and_each_judges_marks_once_closed(client, contest):
    event_id, ranked = contest
    html = _html(get_page(client, _page(event_id)))
    summary = html.split('id="final-title"', 1)[1].split("</section>", 1)[0]
    assert "获奖名单" in html
    assert summary.index("一等奖") < summary.index(ranked[1]) < summary.index("二等奖") < summary.index(ranked[0])
    # Final: marks dropping the highest and lowest: singing 95 and presence 91 → 93.40 for the winner.
    assert "93.40" in html and "评委1" in html and "评委3" in html
    assert "去掉一个最高分和一个最低分" in html
    prelim = _html(get_page(client, _page(event_id, "?stage=prelim")))
    assert prelim.count("晋级</span>") == 2
    assert "86.60" in prelim  # the preliminary's best: the mean of 86.00, 86.60 and 87.20


def test_judges_marks_stay_hidden_while_the_round_is_open(client, organiser, people):
    store = get_store()
    singers, judge = people[14:17], people[17]
    event_id = _event(organiser, "粉笔字比赛", EventFormat.CONTEST, singers)
    stages = [{"stage_id": "round", "kind": "judged", "name_zh": "比赛", "judging": {"criteria": SINGING}}]
    service.configure(store, organiser, event_id, {"stages": stages}, now())
    competition_officials.name_official(store, organiser, event_id, judge.staff_no, "judge", now())
    service.open_stage(store, organiser, event_id, "round", now())
    who = Principal(staff_no=judge.staff_no, unit_id=judge.unit_id)
    service.submit_marks(store, who, event_id, "round", singers[0].staff_no, {"voice": 80, "stage": 70}, now())
    service.publish(store, organiser, event_id, True, now())
    html = _html(get_page(client, _page(event_id)))
    assert "各评委的打分在本轮结束后公布" in html and "评委1" not in html
    # No score while the round is open until the organiser reveals it on the hall screen (hall.py), as in the API.
    assert "待公布" in html and "未评分" not in html
    assert "获奖名单" not in html


# ---- the meet ---------------------------------------------------------------------------------------------------


def test_the_meet_shows_marks_place_points_and_unit_totals(client, meet, demo_union):
    event_id, athletes = meet
    units = {unit.unit_id: unit.name_zh for unit in demo_union.units}
    html = _html(get_page(client, _page(event_id)))
    assert "团体总分" in html and "名次分：7-5-4-3-2-1" in html
    assert "58.20" in html and "1:02.35" in html and "5.80 米" in html
    assert '<td class="num">NM</td>' in html  # three blank attempts: no mark, as officials write it (marks.py)
    leader = units[athletes[0].unit_id]
    assert f'<tr><td>1</td><td>{leader}</td><td class="num"><strong>14</strong></td><td class="num">2</td>' in html
    assert 'id="final-title"' not in html  # a meet's unit totals head its results: no summary above them
    english = _html(get_page(client, _page(event_id, "?lang=en")))
    assert "Team totals by unit" in english and "5.80 m" in english and "Men's 400 m" in english


# ---- who sees what ----------------------------------------------------------------------------------------------


def test_an_unpublished_competition_is_a_friendly_404_except_for_its_organisers(client, callers, organiser, people):
    store = get_store()
    event_id = _event(organiser, "未发布的比赛", EventFormat.TOURNAMENT, people[:4])
    stages = [{"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛"}]
    service.configure(store, organiser, event_id, {"stages": stages}, now())
    service.draw(store, organiser, event_id, "ko", now())
    for who in (None, callers["member"], callers["other_unit_admin"]):
        response = get_page(client, _page(event_id), who)
        assert response.status_code == 404
        html = _html(response)
        assert "赛程与成绩尚未公布" in html and "未发布的比赛" in html and f'href="/events/{event_id}"' in html
        assert "<svg" not in html
    shown = get_page(client, _page(event_id), callers["unit_admin"])
    assert shown.status_code == 200
    assert "未发布" in _html(shown) and "<svg" in _html(shown)
    assert f"/events/{event_id}/competition" not in _html(get_page(client, f"/events/{event_id}"))
    english = _html(get_page(client, _page(event_id, "?lang=en")))
    assert "Not published yet" in english


def test_an_event_without_a_competition_is_a_404_too(client, organiser, people):
    event_id = _event(organiser, "还没设置比赛", EventFormat.TOURNAMENT, [])
    response = get_page(client, _page(event_id))
    assert response.status_code == 404 and "赛程与成绩尚未公布" in _html(response)
    assert get_page(client, _page("ev-no-such-event")).status_code == 404


def test_other_event_pages_never_read_the_competitions_table(client, organiser, monkeypatch):
    event_id = _event(organiser, "健康讲座", EventFormat.SESSION, [])

    def refuse(*_args, **_kwargs):
        raise AssertionError("the event page read the competitions table for an event that has no competition")

    monkeypatch.setattr(get_store().competitions, "setup_version", refuse)
    assert get_page(client, f"/events/{event_id}").status_code == 200

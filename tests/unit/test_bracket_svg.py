"""Brackets as SVG: well-formed, every entry named, byes and winners shown, double elimination in two bands with the
grand final, and fast enough for a 128-entry draw."""

from __future__ import annotations

import itertools
import random
import re
import time
import xml.etree.ElementTree as ET

from chalicelib.domain.competition import draws, elimination
from chalicelib.domain.competition.model import AWAY, HOME, Entry, Match, MatchStatus, Outcome
from chalicelib.domain.competition.progress import record, settle
from chalicelib.domain.competition.scoring import GAME_PRESETS, match_result
from chalicelib.web.bracket_svg import BracketWords, bracket_columns, bracket_svg

SVG = "{http://www.w3.org/2000/svg}"
BADMINTON = GAME_PRESETS["badminton"]
WORDS = BracketWords(
    bye="轮空",
    to_be_decided="待定",
    winner_of="{match} 胜者",
    loser_of="{match} 负者",
    walkover="弃权",
    retired="退赛",
    winners_bracket="胜者组",
    losers_bracket="败者组",
    round_name=lambda bracket, round_, rounds: f"{bracket}-{round_}/{rounds}",
)


def _entries(count: int) -> list[Entry]:
    # Every seventh name is too long for its box: it must still be in the drawing, in full, as the box's tooltip.
    return [
        Entry(f"e{n}", f"计算机学院第{n}号参赛选手代表队" if n % 7 == 0 else f"选手{n:03d}", f"u{n % 9}", None)
        for n in range(1, count + 1)
    ]


def _bracket(count: int, double: bool = False, grand_final=elimination.GrandFinal.SINGLE) -> dict[str, Match]:
    line = draws.draw_bracket(_entries(count), random.Random(count))
    if double:
        matches = elimination.double_elimination("ko", line, grand_final)
    else:
        matches = elimination.single_elimination("ko", line, third_place=True)
    by_id = {match.match_id: match for match in matches}
    by_id.update(settle(by_id))
    return by_id


def _play(matches: dict[str, Match], rng: random.Random, winner=None) -> dict[str, Match]:
    """Every match played (random valid badminton results; ``winner(match)`` picks the side when given)."""
    while ready := [m for m in matches.values() if m.status == MatchStatus.READY]:
        match = ready[0]
        side = winner(match) if winner else rng.choice((HOME, AWAY))
        games = [(21, rng.randint(0, 19)), (rng.randint(0, 19), 21), (21, 17)][: rng.choice((2, 3))]
        if len(games) == 2:
            games = [games[0], (21, 15)]
        if side == AWAY:
            games = [(away, home) for home, away in games]
        matches.update(record(matches, match.match_id, match_result(BADMINTON, games)))
    return matches


def _names(count: int) -> dict[str, str]:
    return {entry.entry_id: entry.name for entry in _entries(count)}


def _boxes(root: ET.Element) -> dict[str, tuple[float, float, ET.Element]]:
    """Match id → (x, y, its group) from the drawing."""
    boxes = {}
    for group in root.iter(f"{SVG}g"):
        x, y = map(float, re.fullmatch(r"translate\((\S+) (\S+)\)", group.get("transform")).groups())
        label = group.find(f"{SVG}text")
        boxes[label.text] = (x, y, group)
    return boxes


def _rows(group: ET.Element) -> list[ET.Element]:
    """A box's two name rows (home, away)."""
    return [text for text in group.findall(f"{SVG}text") if text.get("x") == "6"]


def _row_text(row: ET.Element) -> str:
    return row.text or ""


def _fastest(render, runs: int = 3) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        timings.append(time.perf_counter() - started)
    return min(timings)


def test_a_128_entry_single_elimination_is_fast_well_formed_and_names_everyone():
    matches = _play(_bracket(128), random.Random(1))
    names = _names(128)
    svg = bracket_svg(list(matches.values()), names, WORDS)
    assert _fastest(lambda: bracket_svg(list(matches.values()), names, WORDS)) < 0.1
    root = ET.fromstring(svg)
    text = "".join(root.itertext())
    assert all(name in text for name in names.values())
    assert len(_boxes(root)) == 128  # 127 matches and the third-place match
    assert len(svg) < 150_000


def test_a_64_entry_double_elimination_is_fast_well_formed_and_names_everyone():
    matches = _play(_bracket(64, double=True, grand_final=elimination.GrandFinal.RESET), random.Random(2))
    names = _names(64)
    svg = bracket_svg(list(matches.values()), names, WORDS)
    assert _fastest(lambda: bracket_svg(list(matches.values()), names, WORDS)) < 0.1
    root = ET.fromstring(svg)
    assert all(name in "".join(root.itertext()) for name in names.values())


def test_the_drawing_scales_from_its_natural_size():
    root = ET.fromstring(bracket_svg(list(_bracket(8).values()), _names(8), WORDS, label="淘汰赛对阵图"))
    _, _, width, height = map(float, root.get("viewBox").split())
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)
    assert root.get("aria-label") == "淘汰赛对阵图"


def test_rounds_are_columns_and_each_match_sits_between_the_two_it_comes_from():
    matches = _bracket(16)
    root = ET.fromstring(bracket_svg(list(matches.values()), _names(16), WORDS))
    boxes = _boxes(root)
    columns = {
        round_: {boxes[f"W{round_}-{order}"][0] for order in range(1, (16 >> round_) + 1)} for round_ in range(1, 5)
    }
    assert all(len(xs) == 1 for xs in columns.values())
    assert sorted(columns, key=lambda r: columns[r].pop()) == [1, 2, 3, 4]
    top, bottom, middle = boxes["W1-1"][1], boxes["W1-2"][1], boxes["W2-1"][1]
    assert middle == (top + bottom) / 2
    headings = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "h"]
    assert headings == ["W-1/4", "W-2/4", "W-3/4", "W-4/4", "3P-4/4"]


def test_byes_get_no_box_and_their_entries_go_through_to_the_next_round():
    matches = _bracket(5)  # an 8-draw: three byes, to the three best placed entries
    root = ET.fromstring(bracket_svg(list(matches.values()), _names(5), WORDS))
    boxes = _boxes(root)
    byes = [match for match in matches.values() if match.status == MatchStatus.BYE]
    assert len(byes) == 3 and not any(match.match_id in boxes for match in byes)
    assert "轮空" not in "".join(root.itertext())
    for match in byes:
        following = next(m for m in matches.values() if f"W:{match.match_id}" in (m.home.source, m.away.source))
        assert _names(5)[match.winner] in [_row_text(row) for row in _rows(boxes[following.match_id][2])]
    # The one first-round match played sits level with the second-round box its winner goes to.
    (played,) = [m for m in matches.values() if m.round == 1 and m.status != MatchStatus.BYE]
    following = next(m for m in matches.values() if f"W:{played.match_id}" in (m.home.source, m.away.source))
    assert boxes[played.match_id][1] == boxes[following.match_id][1]


def _forty():
    """Forty entries, the first eight seeded, in a draw of 64 (24 byes) with a third-place match."""
    entries = [Entry(f"e{n}", f"选手{n:03d}", f"u{n % 7}", n if n <= 8 else None) for n in range(1, 41)]
    line = draws.draw_bracket(entries, random.Random(40))
    by_id = {match.match_id: match for match in elimination.single_elimination("ko", line, third_place=True)}
    by_id.update(settle(by_id))
    names = {entry.entry_id: entry.name for entry in entries}
    seeds = {entry.entry_id: entry.seed for entry in entries if entry.seed}
    return list(by_id.values()), names, seeds


def test_a_forty_entry_draw_is_half_as_tall_without_bye_boxes_and_marks_its_seeds():
    matches, names, seeds = _forty()
    root = ET.fromstring(bracket_svg(matches, names, WORDS, seeds=seeds))
    boxes = _boxes(root)
    assert len(boxes) == 40 - 1 + 1  # 39 matches to a winner, and the third-place match; none for the 24 byes
    # 16 rows (8 first-round matches, 8 second-round matches between two seeds' byes) and the titles: was 1,874 px.
    assert float(root.get("height")) < 1_000
    shown = [_row_text(row) for _, _, group in boxes.values() for row in _rows(group)]
    assert {f"[{seed}] {names[entry]}" for entry, seed in seeds.items()} <= set(shown)
    assert not any(text.startswith("[") for text in shown if text.split("] ")[-1] not in {names[e] for e in seeds})
    # No two boxes of a column overlap.
    columns: dict[float, list[float]] = {}
    for x, y, _ in boxes.values():
        columns.setdefault(x, []).append(y)
    for ys in columns.values():
        ys.sort()
        assert all(lower - upper >= 40 for upper, lower in itertools.pairwise(ys))


def test_a_window_of_columns_draws_only_those_rounds_the_first_stacked():
    matches, names, seeds = _forty()
    assert bracket_columns(matches) == 6
    root = ET.fromstring(bracket_svg(matches, names, WORDS, seeds=seeds, columns=(1, 2)))
    boxes = _boxes(root)
    assert {key.split("-")[0] for key in boxes} == {"W2", "W3"} and len(boxes) == 16 + 8
    headings = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "h"]
    assert headings == ["W-2/6", "W-3/6"]
    assert float(root.get("width")) < 2 * 260
    last = ET.fromstring(bracket_svg(matches, names, WORDS, columns=(5, 2)))
    assert set(_boxes(last)) == {"W6-1", "3P"}


def test_the_winner_is_bold_the_loser_muted_and_games_are_shown():
    matches = _play(_bracket(4), random.Random(3))
    root = ET.fromstring(bracket_svg(list(matches.values()), _names(4), WORDS))
    boxes = _boxes(root)
    for match in matches.values():
        home, away = _rows(boxes[match.match_id][2])
        winner_row, loser_row = (home, away) if match.result.winner == HOME else (away, home)
        assert (winner_row.get("class"), loser_row.get("class")) == ("w", "l")
        assert _row_text(winner_row) == _names(4)[match.winner]
        scores = [t.text for t in boxes[match.match_id][2].findall(f"{SVG}text") if t.get("class") == "g"]
        assert len(scores) == 2 * len(match.result.games)


def test_a_walkover_is_worded_in_the_losers_row():
    matches = _bracket(4)
    first = matches["W1-1"]
    walkover = match_result(BADMINTON, [], Outcome.WALKOVER, walkover_winner=AWAY)
    matches.update(record(matches, first.match_id, walkover))
    root = ET.fromstring(bracket_svg(list(matches.values()), _names(4), WORDS))
    group = _boxes(root)["W1-1"][2]
    assert "弃权" in [t.text for t in group.findall(f"{SVG}text")]
    final = _rows(_boxes(root)["W2-1"][2])
    assert _row_text(final[0]) == _names(4)[first.away.entry]


def test_unknown_slots_say_where_their_entry_comes_from():
    matches = _bracket(8, double=True)
    root = ET.fromstring(bracket_svg(list(matches.values()), _names(8), WORDS))
    boxes = _boxes(root)
    assert [_row_text(row) for row in _rows(boxes["L1-1"][2])] == ["W1-1 负者", "W1-2 负者"]
    assert [_row_text(row) for row in _rows(boxes["GF1"][2])] == ["待定", "L4-1 胜者"]
    assert [_row_text(row) for row in _rows(boxes["W2-1"][2])] == ["待定", "待定"]


def test_double_elimination_draws_the_losers_bracket_below_and_the_grand_final_beside_the_winners_final():
    matches = _play(_bracket(16, double=True, grand_final=elimination.GrandFinal.RESET), random.Random(4))
    root = ET.fromstring(bracket_svg(list(matches.values()), _names(16), WORDS))
    boxes = _boxes(root)
    titles = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "t"]
    assert titles == ["胜者组", "败者组"]
    lowest_winners = max(y for key, (_, y, _) in boxes.items() if key.startswith("W"))
    assert all(y > lowest_winners for key, (_, y, _) in boxes.items() if key.startswith("L"))
    final_x, final_y, _ = boxes["W4-1"]
    gf_x, gf_y, _ = boxes["GF1"]
    assert gf_y == final_y and gf_x > final_x
    # The reset is drawn only when it is played: when the winners' champion won the first final, it is void.
    if matches["GF2"].status == MatchStatus.VOID:
        assert "GF2" not in boxes
    else:
        assert boxes["GF2"][1] == gf_y


def test_the_reset_is_left_out_when_the_winners_champion_takes_the_first_final():
    matches = _play(
        _bracket(4, double=True, grand_final=elimination.GrandFinal.RESET), random.Random(5), lambda m: HOME
    )
    assert matches["GF2"].status == MatchStatus.VOID
    boxes = _boxes(ET.fromstring(bracket_svg(list(matches.values()), _names(4), WORDS)))
    assert "GF1" in boxes and "GF2" not in boxes


def test_names_are_escaped_and_long_ones_shortened_with_the_full_name_as_a_tooltip():
    matches = _bracket(2)
    names = {"e1": 'A&B <甲> "乙"', "e2": "华中科技大学附属协和医院工会羽毛球一队"}
    root = ET.fromstring(bracket_svg(list(matches.values()), names, WORDS))
    home, away = _rows(_boxes(root)["W1-1"][2])
    shown = {_row_text(home), _row_text(away)}
    assert names["e1"] in shown
    short = next(text for text in shown if text != names["e1"])
    assert short.endswith("…") and names["e2"].startswith(short[:-1])
    tooltip = (home if _row_text(home) == short else away).find(f"{SVG}title")
    assert tooltip.text == names["e2"]

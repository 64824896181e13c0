"""Knockout brackets drawn as inline SVG, from a stage's matches and the entries' names.

Pure: matches and words in, an SVG string out. Rounds are columns; a match is a box of two rows (home above away)
with the entry's name (after its seed, ``[1]``), the points of each game and the games (or rubbers, or goals) won; the
winner is bold. A bye gets no box: its entry is shown going through, in the next round's box (a 40-entry draw of 64
has 24 byes, and boxes for them would double the drawing's height). A double elimination is drawn as two bands:
the winners' bracket with the grand final to its right, and the losers' bracket below. Lines join a match to the
match its winner goes to within a band; a slot waiting for an entry from elsewhere (a loser dropping into the losers'
bracket) names that match instead.

Its classes are styled by the page (``.bk`` rules in chalicelib/web/static/competition_public.css): the
Content-Security-Policy refuses a ``<style>`` inside the page, and an SVG inline in HTML is inside the page.

Boxes are laid out as a tree: a box that nothing shown feeds takes the next free row, every other box sits level with
the middle of the boxes that send their winners to it, so the drawing is as tall as its deepest rows need. A window of
columns (``columns=(first, count)``) draws only those rounds, the first of them stacked: a phone steps through rounds.

The drawing has a ``viewBox`` and its natural size in pixels: a page shows it at that size in a horizontally
scrolling box on a phone, and stretches it to the paper's width when printed (A3 landscape). Text is sized in
pixels of the drawing, so names are shortened to the width of their column by an estimate of each character's width
(CJK characters are about as wide as the font is high, others a little over half).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from chalicelib.domain.competition.model import AWAY, HOME, LOSER_OF, WINNER_OF, Match, MatchStatus, Outcome

FONT = 12  # px, names and scores
SMALL = 10  # px, match numbers and round titles' companions
ROW = 20  # one entry's row in a match box
BOX = 2 * ROW
GAP = 18  # between boxes of a first round (room for the match number above each box)
COLUMN_GAP = 30  # between rounds (room for the connectors)
NAME_WIDTH = 136  # about 10 CJK characters or 18 Latin ones
GAME_WIDTH = 20
TOTAL_WIDTH = 28
PAD = 6
HEADER = 34  # a band's round titles (and room for the first boxes' match numbers)
BAND_TITLE = 26  # "胜者组" above a band of a double elimination
BAND_GAP = 24
MAX_GAMES = 7  # more games than this (never in the formats offered) are summed up in the total only

_SECTIONS = ("W", "L")  # bands, top to bottom; the grand final and third-place match sit in the winners' band
_HIDDEN = (MatchStatus.VOID, MatchStatus.BYE)  # a reset not needed; a bye (its entry is in the next round's box)


class BracketWords(NamedTuple):
    """The words a bracket shows, in the page's language. ``round_name(bracket, round, rounds)`` titles a column;
    ``winner_of`` / ``loser_of`` take ``{match}`` (a match number such as ``W2-3``)."""

    bye: str
    to_be_decided: str
    winner_of: str
    loser_of: str
    walkover: str
    retired: str
    winners_bracket: str
    losers_bracket: str
    round_name: Callable[[str, int, int], str]


class _Placed(NamedTuple):
    match: Match
    x: float
    y: float  # top of the box


def bracket_columns(matches: Sequence[Match]) -> int:
    """How many columns the widest band of a bracket has (what a window of ``columns`` steps through)."""
    shown = [match for match in matches if match.status not in _HIDDEN]
    return max((len(_columns([m for m in shown if _band(m) == band])) for band in _SECTIONS), default=0)


def bracket_svg(
    matches: Sequence[Match],
    names: Mapping[str, str],
    words: BracketWords,
    label: str = "",
    seeds: Mapping[str, int] | None = None,
    columns: tuple[int, int] | None = None,
) -> str:
    """The bracket of one knockout stage as an ``<svg>`` element (the stage's matches, any order). ``seeds`` marks
    entries ``[n]``; ``columns=(first, count)`` draws only those columns of each band (0-based)."""
    shown = [match for match in matches if match.status not in _HIDDEN]
    games = min(MAX_GAMES, max((len(m.result.games) for m in shown if m.result), default=0))
    width = NAME_WIDTH + games * GAME_WIDTH + TOTAL_WIDTH
    layout = _Layout(shown, width, columns)
    parts: list[str] = []
    top = _place_bands(layout, shown, words, parts)
    for placed in layout.placed.values():
        parts.append(_connectors(placed, layout.placed, width))
    marked = _seeded_names(names, seeds or {})
    for placed in layout.placed.values():
        parts.append(_box(placed, marked, words, width, games))
    total_width = max((p.x for p in layout.placed.values()), default=0) + width + 2
    total_height = max(top - BAND_GAP, 0) + 2
    aria = f" aria-label={quoteattr(label)}" if label else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bk" role="img"{aria} viewBox="-1 -1 {total_width:g} '
        f'{total_height:g}" width="{total_width:g}" height="{total_height:g}">' + "".join(parts) + "</svg>"
    )


def _place_bands(layout: _Layout, shown: Sequence[Match], words: BracketWords, parts: list[str]) -> float:
    """Place the winners' band, then the losers' band (titled when there are both); return the bottom."""
    double = any(match.bracket == "L" for match in shown)
    top = 0.0
    for section in _SECTIONS:
        band = [match for match in shown if _band(match) == section]
        if not band:
            continue
        if double:
            title = words.winners_bracket if section == "W" else words.losers_bracket
            parts.append(f'<text class="t" x="0" y="{top + 18:g}">{escape(title)}</text>')
            top += BAND_TITLE
        top = layout.place_band(band, top, parts, words) + BAND_GAP
    return top


def _seeded_names(names: Mapping[str, str], seeds: Mapping[str, int]) -> Mapping[str, str]:
    if not seeds:
        return names
    return {**names, **{entry: f"[{seed}] {names.get(entry, entry)}" for entry, seed in seeds.items()}}


type _ColumnList = list[tuple[tuple[str, int], list[Match]]]


def _columns(band: Sequence[Match]) -> _ColumnList:
    """A band's columns left to right: its bracket's rounds, then the grand final's (the third-place match is not a
    column of its own)."""
    order = {"W": 0, "L": 0, "GF": 1}
    keys = sorted({(m.bracket, m.round) for m in band if m.bracket in order}, key=lambda k: (order[k[0]], k[1]))
    return [(key, [m for m in band if (m.bracket, m.round) == key]) for key in keys]


def _band(match: Match) -> str:
    return "L" if match.bracket == "L" else "W"


def _source_match(source: str | None) -> str | None:
    if source and source.startswith((WINNER_OF, LOSER_OF)):
        return source.split(":", 1)[1]
    return None


class _Layout:
    """Where each box goes: a tree laid out from the last round back. A box that no shown box feeds takes the next
    free row of its band; any other sits level with the middle of its feeders (one feeder: level with it)."""

    def __init__(self, matches: Sequence[Match], width: int, window: tuple[int, int] | None = None) -> None:
        self.width = width
        self.window = window
        self.by_id = {match.match_id: match for match in matches}
        self.placed: dict[str, _Placed] = {}

    def _feeders(self, match: Match) -> list[str]:
        """The matches in the same band whose winners this match waits for (the lines drawn into it)."""
        feeders = []
        for slot in (match.home, match.away):
            source = slot.source or ""
            feeder = self.by_id.get(_source_match(source) or "")
            if source.startswith(WINNER_OF) and feeder is not None and _band(feeder) == _band(match):
                feeders.append(feeder.match_id)
        return feeders

    def place_band(self, band: list[Match], top: float, parts: list[str], words: BracketWords) -> float:
        """Place a band's boxes below ``top``; add its round titles; return the band's bottom."""
        columns = _columns(band)
        shown = columns[self.window[0] : self.window[0] + self.window[1]] if self.window else columns
        x_of = self._titles(columns, shown, top, parts, words)
        feeders = {match_id: [f for f in self._feeders(self.by_id[match_id]) if f in x_of] for match_id in x_of}
        fed = {feeder for these in feeders.values() for feeder in these}
        roots = sorted((self.by_id[m] for m in x_of if m not in fed), key=lambda m: (x_of[m.match_id], m.order))
        rows = _Rows(top + HEADER)
        for root in roots:
            self._place(root, x_of, feeders, rows)
        bottom = max((self.placed[m].y + BOX for m in x_of), default=top + HEADER)
        final = max((key for key, _ in columns if key[0] == "W"), default=None)
        return self._third_place(band, bottom, parts, words) if final in {key for key, _ in shown} else bottom

    def _titles(
        self, columns: _ColumnList, shown: _ColumnList, top: float, parts: list[str], words: BracketWords
    ) -> dict[str, float]:
        """Title the shown columns; return where each of their matches goes across."""
        x_of: dict[str, float] = {}
        for column, (key, matches) in enumerate(shown):
            x = column * (self.width + COLUMN_GAP)
            bracket, round_ = key
            rounds = sum(1 for other in columns if other[0][0] == bracket)
            title = words.round_name(bracket, round_, max(rounds, round_))
            parts.append(f'<text class="h" x="{x:g}" y="{top + 16:g}">{escape(title)}</text>')
            x_of.update((match.match_id, x) for match in matches)
        return x_of

    def _place(self, match: Match, x_of: Mapping[str, float], feeders: Mapping[str, list[str]], rows: _Rows) -> float:
        ys = [self._place(self.by_id[feeder], x_of, feeders, rows) for feeder in feeders[match.match_id]]
        y = sum(ys) / len(ys) if ys else rows.take()
        self.placed[match.match_id] = _Placed(match, x_of[match.match_id], y)
        return y

    def _third_place(self, band: list[Match], bottom: float, parts: list[str], words: BracketWords) -> float:
        """The third-place match under the final, in the final's column, with its own title."""
        third = next((m for m in band if m.bracket == "3P"), None)
        placed = (self.placed[m.match_id] for m in band if m.bracket == "W" and m.match_id in self.placed)
        final = max(placed, key=lambda p: p.x, default=None)
        if third is None or final is None:
            return bottom
        y = final.y + BOX + GAP + HEADER
        title = words.round_name(third.bracket, third.round, third.round)
        parts.append(f'<text class="h" x="{final.x:g}" y="{y - 16:g}">{escape(title)}</text>')
        self.placed[third.match_id] = _Placed(third, final.x, y)
        return max(bottom, y + BOX)


class _Rows:
    """The next free row of a band, top to bottom."""

    def __init__(self, top: float) -> None:
        self.next = top

    def take(self) -> float:
        row = self.next
        self.next += BOX + GAP
        return row


def _connectors(placed: _Placed, everything: Mapping[str, _Placed], width: int) -> str:
    """Lines from the boxes feeding this one into the row each winner takes."""
    paths = []
    for row, slot in enumerate((placed.match.home, placed.match.away)):
        source = slot.source or ""
        feeder = everything.get(_source_match(source) or "")
        if not source.startswith(WINNER_OF) or feeder is None or _band(feeder.match) != _band(placed.match):
            continue
        x1, y1 = feeder.x + width, feeder.y + ROW
        x2, y2 = placed.x, placed.y + ROW / 2 + row * ROW
        middle = (x1 + x2) / 2
        paths.append(f"M{x1:g} {y1:g}H{middle:g}V{y2:g}H{x2:g}")
    return f'<path class="c" d="{"".join(paths)}"/>' if paths else ""


def _fit(text: str, width: float, size: int = FONT) -> str:
    """``text`` shortened with an ellipsis to about ``width`` pixels at ``size``."""
    used = 0.0
    for index, char in enumerate(text):
        used += size * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6)
        if used > width:
            return text[: max(index - 1, 1)] + "…"
    return text


def _slot_text(match: Match, side: str, names: Mapping[str, str], words: BracketWords) -> tuple[str, str, str]:
    """What a row says, its CSS class, and its full text for the tooltip."""
    slot = match.slot(side)
    if slot.entry:
        name = names.get(slot.entry, slot.entry)
        winner, loser = match.winner, match.loser
        css = "w" if winner == slot.entry else ("l" if loser == slot.entry else "")
        return name, css, name
    if slot.bye:
        return words.bye, "y", words.bye
    feeder = _source_match(slot.source)
    if slot.source and slot.source.startswith(LOSER_OF) and feeder:
        text = words.loser_of.format(match=feeder)
    elif feeder and match.bracket == "GF" and feeder.startswith("L"):
        text = words.winner_of.format(match=feeder)
    else:
        text = words.to_be_decided
    return text, "y", text


def _box(placed: _Placed, names: Mapping[str, str], words: BracketWords, width: int, games: int) -> str:
    match = placed.match
    dashed = match.status == MatchStatus.BYE
    parts = [
        f'<g transform="translate({placed.x:g} {placed.y:g})">',
        f'<text class="i" x="0" y="-4">{escape(match.match_id)}</text>',
        f'<rect class="{"d" if dashed else "b"}" width="{width}" height="{BOX}" rx="4"/>',
        f'<line class="s" x1="0" y1="{ROW}" x2="{width}" y2="{ROW}"/>',
    ]
    result = match.result if match.status == MatchStatus.DONE else None
    for row, side in enumerate((HOME, AWAY)):
        baseline = row * ROW + 14
        text, css, full = _slot_text(match, side, names, words)
        shown = _fit(text, NAME_WIDTH - 2 * PAD)
        tooltip = f"<title>{escape(full)}</title>" if shown != full else ""
        parts.append(f'<text class="{css}" x="{PAD}" y="{baseline}">{escape(shown)}{tooltip}</text>')
        if result is None:
            continue
        mine = 0 if side == HOME else 1
        for index, game in enumerate(result.games[:games]):
            x = NAME_WIDTH + index * GAME_WIDTH + GAME_WIDTH - 4
            parts.append(f'<text class="g" x="{x}" y="{baseline}" text-anchor="end">{game[mine]}</text>')
        lost = result.winner is not None and result.winner != side
        if lost and result.outcome != Outcome.PLAYED:
            note = words.walkover if result.outcome == Outcome.WALKOVER else words.retired
            total, total_css = note, "i"
        else:
            total, total_css = str(result.home if side == HOME else result.away), css
        parts.append(
            f'<text class="{total_css}" x="{width - PAD}" y="{baseline}" text-anchor="end">{escape(total)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)

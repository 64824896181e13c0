"""What the competition's organiser, referee and judge pages share: reading typed numbers, the pages' paths, a
service refusal in words, and matches as the pages list them.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from urllib.parse import quote

from chalicelib.domain.competition import scoring
from chalicelib.domain.competition.model import AWAY, HOME, LOSER_OF, Match, MatchStatus, Outcome, Result
from chalicelib.domain.competition.setup import Stage, StageKind
from chalicelib.domain.language import localized
from chalicelib.errors import Conflict, NotFound
from chalicelib.i18n import N_, has_message, translate
from chalicelib.services.competition_export import last_rounds, round_label
from chalicelib.web.manage_common import error_message
from chalicelib.web.render import Pages, format_when

_DONE = {
    "setup": N_("competition.manage.done.setup"),
    "seeds": N_("competition.manage.done.seeds"),
    "draw": N_("competition.manage.done.draw"),
    "open": N_("competition.manage.done.open"),
    "close": N_("competition.manage.done.close"),
    "next_round": N_("competition.manage.done.next_round"),
    "order": N_("competition.judging.order.done"),
    "publish": N_("competition.manage.done.publish"),
    "unpublish": N_("competition.manage.done.unpublish"),
    "official_add": N_("competition.manage.done.official_add"),
    "official_remove": N_("competition.manage.done.official_remove"),
    "result": N_("competition.manage.done.result"),
    "marks": N_("competition.manage.done.marks"),
    "attempts": N_("competition.manage.done.attempts"),
}
# The words the organiser, referee and judge templates look up by a record's value (``t(words.state[...])``).
WORDS: dict[str, dict[str, str]] = {
    "state": {
        "pending": N_("competition.manage.state.pending"),
        "drawn": N_("competition.manage.state.drawn"),
        "closed": N_("competition.manage.state.closed"),
    },
    "status": {
        "waiting": N_("competition.manage.status.waiting"),
        "ready": N_("competition.manage.status.ready"),
        "done": N_("competition.manage.status.done"),
        "bye": N_("competition.manage.status.bye"),
        "void": N_("competition.manage.status.void"),
    },
    "template": {
        "groups_knockout": N_("competition.manage.template.groups_knockout"),
        "single_elimination": N_("competition.manage.template.single_elimination"),
        "double_elimination": N_("competition.manage.template.double_elimination"),
        "round_robin": N_("competition.manage.template.round_robin"),
        "league": N_("competition.manage.template.league"),
        "swiss": N_("competition.manage.template.swiss"),
        "judged": N_("competition.manage.template.judged"),
        "meet": N_("competition.manage.template.meet"),
    },
    "measure": {
        "time": N_("competition.manage.measure.time"),
        "distance": N_("competition.manage.measure.distance"),
        "points": N_("competition.manage.measure.points"),
    },
    "measure_hint": {
        "time": N_("competition.manage.meet.hint_time"),
        "distance": N_("competition.manage.meet.hint_distance"),
        "points": N_("competition.manage.meet.hint_points"),
    },
    "role": {
        "referee": N_("competition.manage.role.referee"),
        "judge": N_("competition.manage.role.judge"),
    },
    "outcome_choice": {
        "played": N_("competition.manage.outcome_choice.played"),
        "walkover_home": N_("competition.manage.outcome_choice.walkover_home"),
        "walkover_away": N_("competition.manage.outcome_choice.walkover_away"),
        "retired_home": N_("competition.manage.outcome_choice.retired_home"),
        "retired_away": N_("competition.manage.outcome_choice.retired_away"),
    },
    "card": {  # model.CARD_KINDS
        "yellow": N_("competition.card.yellow"),
        "indirect_red": N_("competition.card.indirect_red"),
        "direct_red": N_("competition.card.direct_red"),
        "yellow_direct_red": N_("competition.card.yellow_direct_red"),
    },
}
_OUTCOME_NOTES = {
    Outcome.WALKOVER: N_("competition.manage.outcome.walkover"),
    Outcome.RETIRED: N_("competition.manage.outcome.retired"),
}


# ---- helpers ------------------------------------------------------------------------------------------------------


def item_name(item, language: str) -> str:
    """A set-up item's name (a stage, a discipline, a criterion, an award) in ``language``."""
    return localized(item, "name", language)


def preset_name(preset: scoring.MatchFormat | scoring.RubberSpec, language: str) -> str:
    """A match format's or a team tie's rubber's name (a message id with its parameters) in ``language``."""
    return translate(preset.name, language, **preset.name_params())


def typed_text(value: str) -> str:
    """A typed value with full-width digits and punctuation (a Chinese input method's) read as ASCII."""
    return unicodedata.normalize("NFKC", value or "").strip()


def read_whole(text: str) -> int | None:
    text = typed_text(text)
    return int(text) if text.isdigit() else None


def read_number(text: str) -> float | None:
    try:
        value = float(typed_text(text))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def number_text(value: float | Decimal | Fraction | None) -> str:
    """A number as a form or a table shows it: 40, 92.5, 4.33 (a fraction to two decimals)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def refusal(error: Conflict | NotFound, language: str) -> str:
    """The service's refusal in words; a code without a message still says what was refused."""
    if has_message(error.code):
        message = error_message(error, language)
    else:
        message = translate("competition.manage.refused", language, code=error.code)
    matches = (error.details or {}).get("matches") if isinstance(error.details, dict) else None
    if error.code == "dependents_played" and matches:
        message += " " + translate("competition.manage.refused_matches", language, matches="、".join(matches))
    return message


def competition_path(event_id: str, tail: str = "") -> str:
    return f"/admin/events/{quote(event_id, safe='')}/competition{tail}"


def match_path(event_id: str, stage_id: str, match_id: str) -> str:
    return competition_path(event_id, f"/stages/{quote(stage_id, safe='')}/matches/{quote(match_id, safe='')}")


def discipline_path(event_id: str, stage_id: str, code: str) -> str:
    return competition_path(event_id, f"/stages/{quote(stage_id, safe='')}/disciplines/{quote(code, safe='')}")


def referee_path(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/referee"


def judging_path(event_id: str, stage_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/judging/{quote(stage_id, safe='')}"


def done_key(routes: Pages) -> str | None:
    """The message id of the 'done' notice a page shows after a redirect (?done=...)."""
    return _DONE.get(routes.query("done") or "")


# ---- matches as the pages show them -------------------------------------------------------------------------------


def _side(match: Match, side: str, names: dict[str, str], units: dict[str, str], language: str) -> dict:
    """One side of a match: its entry and unit, a bye, or where its entry will come from (W1-2 的胜者)."""
    slot = match.slot(side)
    if slot.entry:
        return {"name": names.get(slot.entry, slot.entry), "unit": units.get(slot.entry, ""), "known": True}
    if slot.bye:
        return {"name": translate("competition.manage.bye", language), "unit": "", "known": False}
    if slot.source:
        losers = slot.source.startswith(LOSER_OF)
        label = translate(
            "competition.manage.loser_of" if losers else "competition.manage.winner_of", language, match=slot.source[2:]
        )
        return {"name": label, "unit": "", "known": False}
    return {"name": translate("competition.manage.to_be_decided", language), "unit": "", "known": False}


def _result_text(result: Result | None, language: str) -> str:
    """A result on one line: ``2–1（21–15 19–21 21–17）``, ``2–0 弃权``, ``3–1``."""
    if result is None:
        return ""
    text = f"{result.home}–{result.away}"
    if result.games:
        text += "（" + " ".join(f"{home}–{away}" for home, away in result.games) + "）"
    if result.outcome != Outcome.PLAYED:
        text += " " + translate(_OUTCOME_NOTES[result.outcome], language)
    return text


def round_label_of(stage: Stage, match: Match, total_rounds: Mapping[str, int], language: str) -> str:
    """第 2 轮, A 组 第 1 轮, 半决赛, 败者组 第 3 轮, 总决赛 ... for a list of matches grouped by round."""
    if stage.kind in (StageKind.SINGLE_ELIMINATION, StageKind.DOUBLE_ELIMINATION):
        label = round_label(match, total_rounds, language)
        if match.bracket == "L":
            label = translate("competition.manage.bracket.losers", language, round=label)
        return label
    # Not round_label: a twelfth group is lettered "L" and is no losers' bracket.
    label = translate("competition.export.round.round", language, n=match.round)
    if stage.kind == StageKind.GROUPS:
        label = translate("competition.manage.group", language, group=match.bracket) + " " + label
    if match.leg > 1:
        label += " " + translate("competition.manage.second_leg", language)
    if match.matchday:
        label += f" · {match.matchday}"
    return label


def match_rounds(
    event_id: str, stage: Stage, matches: Sequence[Match], names: dict[str, str], units: dict[str, str], language: str
) -> list[dict]:
    """A stage's matches grouped by round, each with its sides, its result and the way to enter it."""
    total_rounds = last_rounds(matches)
    rounds: list[dict] = []
    for match in matches:
        label = round_label_of(stage, match, total_rounds, language)
        if not rounds or rounds[-1]["label"] != label:
            rounds.append({"label": label, "matches": []})
        rounds[-1]["matches"].append(match_row(event_id, match, names, units, language))
    return rounds


def match_row(event_id: str, match: Match, names: dict[str, str], units: dict[str, str], language: str) -> dict:
    return {
        "id": match.match_id,
        "status": match.status.value,
        "home": _side(match, HOME, names, units, language),
        "away": _side(match, AWAY, names, units, language),
        "winner": HOME if match.winner and match.winner == match.home.entry else (AWAY if match.winner else None),
        "result": _result_text(match.result, language),
        "href": match_path(event_id, match.stage_id, match.match_id)
        if match.status in (MatchStatus.READY, MatchStatus.DONE)
        else None,
        "court": match.court,
        "starts_at": match.starts_at,
        "when": format_when(datetime.fromisoformat(match.starts_at), language) if match.starts_at else None,
    }

"""A team tie's line-up page (issue 18 item 3): the side's captain, an admin of its unit or the event's organisers
name who plays which rubber (or holds which order letter) before the deadline; everyone sees the line-ups the
visibility rule allows: both sides for the organisers and referees, the other side once both are in or closed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition import lineups as rules
from chalicelib.domain.competition.formats import match_format
from chalicelib.domain.competition.model import AWAY, HOME
from chalicelib.domain.competition.scoring import RubberGender, TieFormat
from chalicelib.domain.competition.setup import EntryKind
from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.i18n import N_, translate
from chalicelib.services import competition_views
from chalicelib.services import lineups as lineup_service
from chalicelib.services.competition import CompetitionState
from chalicelib.storage import get_store
from chalicelib.web.competition_common import WORDS, item_name, match_row, preset_name, refusal, round_label_of
from chalicelib.web.forms import first_value, read_form_lists, redirect
from chalicelib.web.links import lineup_path
from chalicelib.web.manage_common import local_text, problem_messages
from chalicelib.web.render import Pages

routes = Pages(__name__)

_GENDER_RULES = {
    RubberGender.MEN: N_("lineup.page.gender.men"),
    RubberGender.WOMEN: N_("lineup.page.gender.women"),
    RubberGender.MIXED: N_("lineup.page.gender.mixed"),
}


def _choices(position: rules.Position, roster: tuple[rules.Player, ...], slot: int) -> list[tuple[str, str]]:
    """A select's players: the roster's active players whom the rubber's gender admits in this slot (mixed
    doubles: a man first, a woman second)."""
    wanted = {
        RubberGender.MEN: {rules.MEN},
        RubberGender.WOMEN: {rules.WOMEN},
        RubberGender.MIXED: {rules.MEN} if slot == 0 else {rules.WOMEN},
    }.get(position.gender, {rules.MEN, rules.WOMEN})
    return [(p.staff_no, f"{p.name}（{p.staff_no}）") for p in roster if p.active and p.gender in wanted]


def _position_label(tie: lineup_service.TieLineups, position: rules.Position, language: str) -> str:
    if position.rubber is not None:
        return f"{preset_name(position.rubber, language)} {position.code}"
    return translate("lineup.page.letter", language, letter=position.code)


def _form(tie: lineup_service.TieLineups, side: str, values: dict[str, list[str]] | None, language: str) -> dict:
    own = tie.sides[side]
    given = values if values is not None else {code: list(named) for code, named in own.players.items()}
    fields = []
    for position in rules.positions(tie.fmt, side):
        chosen = given.get(position.code, [])
        fields.append(
            {
                "code": position.code,
                "label": _position_label(tie, position, language),
                "gender": translate(_GENDER_RULES[position.gender], language)
                if position.gender in _GENDER_RULES
                else "",
                "selects": [
                    {
                        "name": f"p_{position.code}_{slot}",
                        "value": chosen[slot] if slot < len(chosen) else "",
                        "choices": _choices(position, own.roster, slot),
                    }
                    for slot in range(position.players)
                ],
            }
        )
    return {"side": side, "fields": fields, "version": "" if own.version is None else str(own.version)}


def _rule_lines(tie: lineup_service.TieLineups, language: str) -> list[str]:
    checks = rules.rules_for(tie.fmt, tie.state.competition.lineups)
    lines = [translate("lineup.page.rule.roster", language)]
    if rules.lettered(tie.fmt):
        order = " ".join(f"{r.home_label}–{r.away_label}" for r in tie.fmt.rubbers)
        lines.append(translate("lineup.page.rule.letters", language, order=order))
    if checks.max_rubbers is not None:
        lines.append(translate("lineup.page.rule.max_rubbers", language, n=checks.max_rubbers))
    if checks.one_singles and sum(rubber.players == 1 for rubber in tie.fmt.rubbers) > 1:
        lines.append(translate("lineup.page.rule.one_singles", language))
    lines.append(translate("lineup.page.rule.hidden", language))
    return lines


def _rubber_rows(tie: lineup_service.TieLineups, language: str) -> list[dict[str, str]]:
    names = tie.rubber_names()
    return [
        {
            "name": preset_name(rubber, language),
            "home": names.get(rubber.code, {}).get(HOME, ""),
            "away": names.get(rubber.code, {}).get(AWAY, ""),
        }
        for rubber in tie.fmt.rubbers
    ]


def _chosen_side(tie: lineup_service.TieLineups, asked: str) -> str | None:
    """The side whose form the page shows: the one asked for (?side=) if the caller may submit it, else the only
    one they may submit."""
    mine = [side for side in (HOME, AWAY) if tie.sides[side].may_submit]
    if asked in mine:
        return asked
    return mine[0] if mine else None


def _page(
    principal: Principal,
    tie: lineup_service.TieLineups,
    side: str | None,
    status: int = 200,
    *,
    values: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
):
    language = routes.language()
    state, match = tie.state, tie.match
    stage = state.competition.stage(match.stage_id)
    assert stage is not None  # the match was found in it
    units = competition_views.entry_unit_names(get_store(), state, language)
    total_rounds = {
        match.bracket: max(m.round for m in state.stage_matches(stage.stage_id) if m.bracket == match.bracket)
    }
    event_id = state.event.event_id
    return routes.show_event(
        "lineup.html",
        principal,
        state.event,
        status,
        words=WORDS,
        stage_name=item_name(stage, language),
        round_label=round_label_of(stage, match, total_rounds, language),
        match=match_row(event_id, match, state.entry_names(), units, language),
        format_name=preset_name(tie.fmt, language),
        closes_at=local_text(tie.closes_at) if tie.closes_at else None,
        closed=tie.closed,
        required=tie.required,
        sides={key: tie.sides[key] for key in (HOME, AWAY)},
        rubbers=_rubber_rows(tie, language),
        rule_lines=_rule_lines(tie, language),
        form=_form(tie, side, values, language) if side else None,
        switch=[
            (key, lineup_path(event_id, match.stage_id, match.match_id, key))
            for key in (HOME, AWAY)
            if tie.sides[key].may_submit and key != side
        ],
        errors=errors or {},
        message=message,
        done=routes.query("done") == "lineup",
        action=lineup_path(event_id, match.stage_id, match.match_id),
        back=f"/events/{quote(event_id, safe='')}/competition",
    )


def _read(fields: dict[str, list[str]], tie: lineup_service.TieLineups, side: str) -> dict[str, list[str]]:
    """The players chosen per position, blank selects left out."""
    chosen: dict[str, list[str]] = {}
    for position in rules.positions(tie.fmt, side):
        named = [first_value(fields, f"p_{position.code}_{slot}") for slot in range(position.players)]
        named = [staff_no for staff_no in named if staff_no]
        if named:
            chosen[position.code] = named
    return chosen


def _field_errors(error: InvalidInput, language: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for raw, text in problem_messages(error, language):
        loc = tuple(raw.get("loc", ()))
        errors.setdefault(str(loc[1]) if len(loc) > 1 else "form", text)
    return errors


@routes.route(
    "/events/{event_id}/competition/lineup/{stage_id}/{match_id}", methods=("GET", "POST"), access=Access.MEMBER
)
def lineup(principal: Principal, event_id: str, stage_id: str, match_id: str):
    """A tie's line-ups: the form for the side the caller may submit (?side= for organisers and admins of both),
    the other side as far as it is shown."""
    store = get_store()
    at = now()
    tie = lineup_service.tie_lineups(store, principal, event_id, stage_id, match_id, at)
    request = routes.current_request
    if request.method == "GET":
        return _page(principal, tie, _chosen_side(tie, routes.query("side") or ""))
    fields = read_form_lists(request)
    side = first_value(fields, "side")
    if side not in (HOME, AWAY):
        raise NotFound("lineup_side_unknown")
    chosen = _read(fields, tie, side)
    version_text = first_value(fields, "version")
    version = int(version_text) if version_text.isdigit() else None
    language = routes.language()
    try:
        lineup_service.submit(store, principal, event_id, stage_id, match_id, side, chosen, version, at)
    except InvalidInput as error:
        return _page(principal, tie, side, 400, values=chosen, errors=_field_errors(error, language))
    except (Conflict, NotFound) as error:
        fresh = lineup_service.tie_lineups(store, principal, event_id, stage_id, match_id, at)
        shown = _chosen_side(fresh, side)
        return _page(principal, fresh, shown, error.status, values=chosen, message=refusal(error, language))
    return redirect(lineup_path(event_id, stage_id, match_id, side) + "&done=lineup")


def mark_lineups(state: CompetitionState, cards: list[dict[str, Any]]) -> None:
    """The organiser's competition page: each team tie with both teams known gets its line-ups' link and how many
    of the two are in (``row["lineup"]``)."""
    if state.competition.entry_kind != EntryKind.TEAM:
        return
    given = lineup_service.event_lineups(get_store(), state)
    by_key = {(m.stage_id, m.match_id): m for matches in state.matches.values() for m in matches}
    event_id = state.event.event_id
    for card in cards:
        stage_id = card["stage"].stage_id
        for round_ in card.get("rounds", ()):
            for row in round_["matches"]:
                match = by_key.get((stage_id, row["id"]))
                if match is None or not (match.home.entry and match.away.entry):
                    continue
                if isinstance(match_format(state.competition, match), TieFormat):
                    sides = given.get((stage_id, match.match_id), frozenset())
                    row["lineup"] = {"href": lineup_path(event_id, stage_id, match.match_id), "given": len(sides)}

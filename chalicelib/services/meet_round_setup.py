"""A discipline's rounds set by the organiser from a preset (issue 19 item 2): one round, a timed final in heats
(分组计时决赛), heats and a final, heats, semi-finals and a final; saved through ``competition.configure`` (its rule:
nothing may change once a stage is under way, so once the first round could be drawn)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.domain.access import Principal
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.services import competition as competition_service
from chalicelib.storage import Store

# Preset → rounds for ``lanes`` lanes (sensible for 8: the first two of a heat and the two next best times go on).
PRESETS = ("one", "timed", "heats_final", "heats_semis_final")


class RoundsPreset(BaseModel):
    """The organiser's choice on the rounds page."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    preset: Literal["one", "timed", "heats_final", "heats_semis_final"]
    lanes: int = Field(ge=2, le=12)


def preset_rounds(preset: str, lanes: int) -> list[dict[str, Any]]:
    """The rounds of a preset; raises InvalidInput for an unknown preset or lanes outside 2–12."""
    try:
        RoundsPreset.model_validate({"preset": preset, "lanes": lanes})
    except ValidationError as problem:
        raise InvalidInput(problem.errors(include_url=False)) from problem
    final = {"code": "f", "lanes": lanes, "heats": 1}
    by_place, by_time = (2, 2) if lanes >= 6 else (1, 1)
    heats = {"code": "h", "lanes": lanes, "by_place": by_place, "by_time": by_time}
    semis = {
        "code": "sf",
        "lanes": lanes,
        "heats": 2,
        "by_place": max(1, lanes // 2 - 1),
        "by_time": 2 if lanes >= 6 else 0,
    }
    return {
        "one": [],
        "timed": [{"code": "f", "lanes": lanes}],
        "heats_final": [heats, final],
        "heats_semis_final": [heats, semis, final],
    }[preset]


def set_rounds(
    store: Store, principal: Principal, event_id: str, stage_id: str, code: str, preset: str, lanes: int, at: datetime
) -> None:
    """Give one discipline of a meet its rounds; the rest of the set-up is kept as stored."""
    rounds = preset_rounds(preset, lanes)
    state = competition_service.managed(store, principal, event_id)[1]
    if state is None:
        raise NotFound("round.not_found")
    setup = state.competition.model_dump(mode="json", exclude={"event_id", "entry_kind", "entries", "runs"})
    found = False
    for stage in setup["stages"]:
        for discipline in (stage.get("meet") or {}).get("disciplines", []) if stage["stage_id"] == stage_id else []:
            if discipline["code"] == code:
                discipline["rounds"], found = rounds, True
    if not found:
        raise NotFound("round.not_found")
    competition_service.configure(store, principal, event_id, setup, at)

"""Line-ups of team ties (issue 18 item 3): read a tie's line-ups as the visibility rule allows, give or change a
side's. The routes parse, call chalicelib.services.lineups (which decides who may: the team's captain, an admin of
its unit, the event's organisers) and shape its answer."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.http.routing import ApiRoutes
from chalicelib.http.schemas import ApiModel, InputModel
from chalicelib.services import lineups as lineup_service
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="competition")

StaffNo = Annotated[str, Field(min_length=1, max_length=32)]
Position = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,8}$")]
_PATH = "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/lineups"


class LineupIn(InputModel):
    """A side's line-up: the players of each rubber (badminton: MD, WD, XD ...) or of each order letter (table
    tennis: A, B, C for the home side, X, Y, Z for the away side)."""

    players: dict[Position, Annotated[list[StaffNo], Field(min_length=1, max_length=2)]] = Field(
        max_length=8, description="position → 工号s (one for a singles or a letter, two for a doubles)"
    )
    version: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        default=None, description="The version read (null or absent: no line-up was given yet)."
    )


class PlayerOut(ApiModel):
    staff_no: str
    name: str


class RubberPlayersOut(ApiModel):
    rubber: str
    players: list[PlayerOut]


class SideLineupOut(ApiModel):
    side: Literal["home", "away"]
    team_id: str | None
    submitted: bool
    shown: bool = Field(description="Whether the players are shown to the caller (else players and rubbers are empty).")
    may_submit: bool
    version: int | None = Field(description="The stored version, for who may submit (send it back to change it).")
    players: dict[str, list[str]]
    rubbers: list[RubberPlayersOut]


class TieLineupsOut(ApiModel):
    stage_id: str
    match_id: str
    format: str
    closes_at: datetime | None = Field(description="When line-ups close (null: when the result is entered).")
    closed: bool
    required: bool
    sides: list[SideLineupOut]


def tie_out(tie: lineup_service.TieLineups) -> TieLineupsOut:
    sides = []
    for side, lineup in tie.sides.items():
        rubbers = [
            RubberPlayersOut(rubber=code, players=[PlayerOut(staff_no=p, name=tie.names.get(p, p)) for p in players])
            for code, players in lineup.rubber_players(tie.fmt).items()
        ]
        sides.append(
            SideLineupOut(
                side=side,  # type: ignore[arg-type]
                team_id=lineup.team.team_id if lineup.team else None,
                submitted=lineup.submitted,
                shown=lineup.shown,
                may_submit=lineup.may_submit,
                version=lineup.version,
                players={code: list(named) for code, named in lineup.players.items()},
                rubbers=rubbers,
            )
        )
    return TieLineupsOut(
        stage_id=tie.match.stage_id, match_id=tie.match.match_id, format=tie.fmt.code, closes_at=tie.closes_at,
        closed=tie.closed, required=tie.required, sides=sides,
    )  # fmt: skip


@routes.route(
    _PATH,
    access=Access.PUBLIC,
    summary="A team tie's line-ups, as far as the caller may see them",
    response=TieLineupsOut,
    errors=(404,),
)
def show_lineups(principal: Principal, event_id: str, stage_id: str, match_id: str) -> TieLineupsOut:
    """A side's players are shown to its own team, the organisers and the referees; to the other side and the
    public once both sides are in or line-ups have closed (``shown``). 404 ``not_a_team_tie`` for other matches."""
    return tie_out(lineup_service.tie_lineups(get_store(), principal, event_id, stage_id, match_id, now()))


@routes.route(
    _PATH + "/{side}",
    method="PUT",
    access=Access.MEMBER,
    summary="Give or change a side's line-up before the deadline",
    body=LineupIn,
    response=TieLineupsOut,
    errors=(404, 409),
)
def submit_lineup(
    principal: Principal, event_id: str, stage_id: str, match_id: str, side: str, body: LineupIn
) -> TieLineupsOut:
    """The team's captain, an admin of its unit or the event's organisers (403 for others). 400 with one detail per
    problem at ``players.<position>`` (``lineup.not_rostered``, ``lineup.gender_mixed``, ``lineup.too_many_rubbers``
    ...); 409 ``lineup_deadline_passed`` after the deadline, ``lineup_changed_meanwhile`` when ``version`` is not
    the stored one (someone of the team changed it first)."""
    tie = lineup_service.submit(
        get_store(), principal, event_id, stage_id, match_id, side, body.players, body.version, now()
    )
    return tie_out(tie)

"""Allocation: approving and rejecting, unit quotas, the lottery, partner invitations and teams."""

from __future__ import annotations

from chalicelib.api.event_schemas import (
    DrawSummaryOut,
    PublishedDrawOut,
    QuotaPlanIn,
    RejectionIn,
    TeamChanges,
    TeamIn,
    TeamList,
    TeamOut,
    UnitPlacesList,
    UnitPlacesOut,
)
from chalicelib.api.registration_schemas import RegistrationOut, registration_answer
from chalicelib.domain.access import Access, Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import Event, Team, UnitPlaces
from chalicelib.http.routing import ApiRoutes
from chalicelib.services import allocation_views, organisation_views
from chalicelib.services import lottery as lottery_service
from chalicelib.services import quotas as quota_service
from chalicelib.services import registration as registration_service
from chalicelib.services import teams as team_service
from chalicelib.services.events import managed_event
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="allocation")

# What groups of routes share, declared once: an organiser's decision on one registration, a member's answer to
# a partner invitation (both answer with the registration), a change to a team (answers with the team); the
# quotas and the lottery are each read and changed at one address.
registration_decision = routes.sharing(
    method="POST", access=Access.UNIT_ADMIN, response=RegistrationOut, errors=(404, 409)
)
partner_answer = routes.sharing(
    path="/me/registrations/{event_id}/partner", access=Access.MEMBER, response=RegistrationOut
)
team_change = routes.sharing(response=TeamOut, errors=(404, 409))
quotas_route = routes.sharing(path="/events/{event_id}/quotas", access=Access.UNIT_ADMIN, response=UnitPlacesList)
lottery_route = routes.sharing(path="/events/{event_id}/draw", errors=(404, 409))


@registration_decision("/events/{event_id}/registrations/{staff_no}/approve", summary="Approve a pending registration")
def approve(principal: Principal, event_id: str, staff_no: str) -> RegistrationOut:
    """Takes a place within capacity and, while quotas bind, the unit's quota, in one conditional transaction:
    two organisers approving the last place at once cannot both succeed. With quotas, the admins of the member's
    unit may approve too."""
    registration = registration_service.approve(get_store(), principal, event_id, staff_no, now())
    return registration_answer(registration)


@registration_decision(
    "/events/{event_id}/registrations/{staff_no}/reject", summary="Reject a pending registration", body=RejectionIn
)
def reject(principal: Principal, event_id: str, staff_no: str, body: RejectionIn) -> RegistrationOut:
    """The reason is shown to the member, who is notified."""
    registration = registration_service.reject(get_store(), principal, event_id, staff_no, body.reason, now())
    return registration_answer(registration)


def _places_out(event: Event, places: list[UnitPlaces]) -> UnitPlacesList:
    names = organisation_views.unit_names(get_store(), "zh")
    return UnitPlacesList(
        release_at=event.quota_release_at,
        units=[
            UnitPlacesOut(unit_id=p.unit_id, unit_name=names.get(p.unit_id, p.unit_id), quota=p.quota, used=p.used)
            for p in places
        ],
    )


@quotas_route(method="PUT", summary="Share the places among units", body=QuotaPlanIn, errors=(404, 409))
def set_quotas(principal: Principal, event_id: str, body: QuotaPlanIn) -> UnitPlacesList:
    """Fixed quotas must add up to the capacity; proportional ones are shared by active members with the largest
    remainder method, after a minimum per unit. Approval and lottery events only."""
    store = get_store()
    event = managed_event(store, principal, event_id)
    places = quota_service.set_quotas(store, principal, event, body.plan(), now())
    return _places_out(allocation_views.reread_event(store, event), places)


@quotas_route(summary="Each unit's quota and use", errors=(404,))
def get_quotas(principal: Principal, event_id: str) -> UnitPlacesList:
    """Every unit for the organisers and the school union; a unit admin sees their own units."""
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    return _places_out(event, quota_service.unit_places(store, principal, event))


@lottery_route(method="POST", access=Access.UNIT_ADMIN, summary="Run the lottery", response=DrawSummaryOut)
def run_draw(principal: Principal, event_id: str) -> DrawSummaryOut:
    """After registration closes; once only (a second run is refused and the result stands)."""
    store = get_store()
    event = managed_event(store, principal, event_id)
    summary = lottery_service.draw(store, principal, event, now())
    return DrawSummaryOut(applicants=summary.applicants, winners=summary.winners, waiting=summary.waiting)


@lottery_route(
    access=Access.MEMBER, summary="The lottery's commitment, then its seed and result", response=PublishedDrawOut
)
def published_draw(principal: Principal, event_id: str) -> PublishedDrawOut:
    """Save ``draw`` as a file and run ``python -m devtools.verify_lottery draw.json --commitment <commitment>``."""
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    published = lottery_service.published(store, event)
    return PublishedDrawOut(commitment=published.commitment, drawn_at=published.drawn_at, draw=published.data)


@partner_answer(method="POST", summary="Confirm a partner invitation", errors=(404, 409))
def confirm_partner(principal: Principal, event_id: str) -> RegistrationOut:
    """The pair takes a place (or the waiting list, or awaits approval or the draw)."""
    outcome = registration_service.confirm_partner(get_store(), principal, event_id, now())
    return registration_answer(outcome.registration, outcome.position)


@partner_answer(method="DELETE", summary="Decline a partner invitation", errors=(404,))
def decline_partner(principal: Principal, event_id: str) -> RegistrationOut:
    registration = registration_service.decline_partner(get_store(), principal, event_id, now())
    return registration_answer(registration)


def _team_out(team: Team) -> TeamOut:
    return TeamOut(
        team_id=team.team_id,
        event_id=team.event_id,
        unit_id=team.unit_id,
        name=team.name,
        roster=list(team.roster),
        captain=team.captain,
        state=team.state.value,
        version=team.version,
        updated_at=team.updated_at,
    )


@routes.route("/events/{event_id}/teams", access=Access.MEMBER, summary="Teams", response=TeamList, errors=(404, 409))
def list_teams(principal: Principal, event_id: str) -> TeamList:
    """Every team for the organisers and the school union; a unit admin's own units'; a player's or captain's own."""
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    return TeamList(teams=[_team_out(team) for team in team_service.teams_for(store, principal, event)])


@team_change(
    "/events/{event_id}/teams",
    method="POST",
    access=Access.UNIT_ADMIN,
    summary="Enter a team for a unit",
    body=TeamIn,
    status=201,
)
def enter_team(principal: Principal, event_id: str, body: TeamIn) -> TeamOut:
    """The roster is checked against the event's team rule; each player can be on one team only."""
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    team = team_service.enter_team(store, principal, event, body.unit_id, body.name, body.roster, body.captain, now())
    return _team_out(team)


@team_change(
    "/events/{event_id}/teams/{team_id}",
    method="PUT",
    access=Access.MEMBER,
    summary="Change a team's roster",
    body=TeamChanges,
)
def change_team(principal: Principal, event_id: str, team_id: str, body: TeamChanges) -> TeamOut:
    """The unit's admins or the team's captain, until the roster deadline; the new roster must keep every rule."""
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    team = team_service.change_team(
        store, principal, event, team_id, body.roster, body.name, body.captain, now(), version=body.version
    )
    return _team_out(team)


@team_change("/events/{event_id}/teams/{team_id}", method="DELETE", access=Access.UNIT_ADMIN, summary="Withdraw a team")
def withdraw_team(principal: Principal, event_id: str, team_id: str) -> TeamOut:
    store = get_store()
    event = registration_service.visible_event(store, principal, event_id)
    return _team_out(team_service.withdraw_team(store, principal, event, team_id, now()))

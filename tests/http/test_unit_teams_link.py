"""A unit admin reaches their unit's teams of a team cup from the cup's page, also once the cup is over (review fix:
the entries list shows only events taking entries now, so a finished cup's team list had no way in)."""

from __future__ import annotations

from html import unescape

from chalicelib.storage import get_store
from tests.http.browsing import get_page

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"  # the demo's badminton team cup (16 teams)


def test_a_unit_admin_clicks_from_the_cup_page_to_their_units_teams(client, callers):
    page = unescape(get_page(client, f"/events/{CUP}", callers["unit_admin"]).body.decode())
    assert f'id="unit-teams" href="/admin/events/{CUP}/teams"' in page and "本单位的参赛队伍" in page
    english = unescape(get_page(client, f"/events/{CUP}?lang=en", callers["unit_admin"]).body.decode())
    assert "Your unit&#39;s teams" in english or "Your unit's teams" in english
    teams = unescape(get_page(client, f"/admin/events/{CUP}/teams", callers["unit_admin"]).body.decode())
    cs_teams = [team.name for team in get_store().teams.for_event(CUP) if team.unit_id == "cs"]
    assert cs_teams and all(name in teams for name in cs_teams)
    # A member who is no admin has no such link (their own team shows as before).
    member = unescape(get_page(client, f"/events/{CUP}", callers["member"]).body.decode())
    assert 'id="unit-teams"' not in member

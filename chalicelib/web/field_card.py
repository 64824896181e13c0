"""The field card of a field event with a final (issue 19 item 2) on the organiser's discipline page: the order
drawn by lot, who has the last trials, and each round's order and the standing after it
(chalicelib.services.field_events, chalicelib.domain.competition.field)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.competition import field, measured
from chalicelib.services import competition_views, field_events


def field_view(sheet: competition_views.DisciplineSheet) -> dict[str, Any] | None:
    """What the card shows, or None for a discipline without a final."""
    card = field_events.field_card(sheet.state, sheet.stage.stage_id, sheet.discipline)
    if card is None:
        return None
    measure = measured.Measure(sheet.discipline.measure)

    def name(entry: str) -> str:
        return f"{sheet.names.get(entry, entry)} {sheet.units.get(entry, '')}".strip()

    def standing(placings: tuple[measured.Placing, ...]) -> list[dict[str, Any]]:
        return [
            {
                "place": p.place,
                "name": name(p.entry_id),
                "mark": measured.format_mark(measure, p.mark) if p.mark is not None else "",
            }
            for p in placings
        ]

    current = next((r.number for r in card.rounds if not r.complete), None)
    return {
        "after": card.final_after,
        "size": card.final_size,
        "more": sheet.discipline.attempts - card.final_after,
        "draw": [name(entry) for entry in card.draw],
        "finalists": [name(entry) for entry in card.finalists] if card.finalists is not None else None,
        "in_final": frozenset(card.finalists or ()),
        "waiting": card.waiting,
        "rounds": [_round(r, current, card, name, standing) for r in card.rounds],
        "position": {entry: index for index, entry in enumerate(card.draw)},
    }


def _round(r: field.FieldRound, current: int | None, card: field.FieldCard, name: Any, standing: Any) -> dict[str, Any]:
    return {
        "number": r.number,
        "order": [name(entry) for entry in r.order],
        "complete": r.complete,
        "current": r.number == current,
        "reverse": r.number > card.final_after,
        "standing": standing(r.standing),
    }


def in_draw_order(rows: list[dict[str, Any]], view: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The discipline page's attempt forms in the drawn order, each marked whether the athlete has the last trials."""
    if view is None:
        return rows
    position = view["position"]
    finalists = view["in_final"] if view["finalists"] is not None else None
    return [
        {**row, "in_final": None if finalists is None else row["entry"] in finalists}
        for row in sorted(rows, key=lambda row: position.get(row["entry"], len(position)))
    ]

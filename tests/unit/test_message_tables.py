"""Message ids written in tables (issue 16, item 2): every kind has its id, and every id has text in both languages."""

import pytest

from chalicelib.domain.checkin import VERDICT_MESSAGES, Verdict
from chalicelib.domain.records import NOTIFICATION_MESSAGES, STATE_LABELS, NotificationKind, RegistrationState
from chalicelib.i18n import LANGUAGES, state_label, translate

TABLES = {
    "registration states": (STATE_LABELS, RegistrationState),
    "notification kinds": (NOTIFICATION_MESSAGES, NotificationKind),
    "check-in verdicts": (VERDICT_MESSAGES, Verdict),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_kind_has_a_message_in_every_language(name):
    table, kinds = TABLES[name]
    assert set(table) == set(kinds)
    for key in table.values():
        for language in LANGUAGES:
            assert translate(key, language) != key, (key, language)


def test_states_are_worded_from_the_table():
    assert state_label("confirmed", "en") == "Confirmed"
    assert state_label("awaiting_partner", "zh") == "等待搭档确认"


def test_refusal_codes_of_an_entry_are_messages():
    """The codes the entry refusals raise are message ids too (the error middleware words them)."""
    from chalicelib.domain.event_rules import INELIGIBLE_CODES, PHASE_REFUSALS, RegistrationPhase

    assert set(PHASE_REFUSALS) == set(RegistrationPhase) - {RegistrationPhase.OPEN}
    for key in (*PHASE_REFUSALS.values(), *INELIGIBLE_CODES.values()):
        assert all(translate(key, language) != key for language in LANGUAGES), key


def test_every_field_problem_type_has_its_message():
    from chalicelib.http.field_messages import FIELD_MESSAGES

    assert {"missing", "string_too_long", "quota_sum", "answer_required", "result_mismatch"} <= set(FIELD_MESSAGES)
    for kind, key in FIELD_MESSAGES.items():
        # A field's own wording (field.<kind>), or the engine's refusal code when that is a message id already
        # (the line-up rules' lineup.*, the group places' qualifiers_exceed_group): one message, not two copies.
        assert key in (f"field.{kind}", kind)
        assert all(translate(key, language) != key for language in LANGUAGES), key

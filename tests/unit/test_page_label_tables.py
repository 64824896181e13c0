"""The label tables of the member, admin and check-in pages (issue 16, item 2): every value has its message id, every
id has text in both languages, and the station's script finds every text it reads."""

import re
from pathlib import Path

import pytest

from chalicelib.domain.records import CheckinMethod, ConflictKind, EventKind, Gender, MemberStatus
from chalicelib.i18n import LANGUAGES, translate
from chalicelib.web import checkin_labels, member_labels

ENUM_TABLES = {
    "genders": (member_labels.GENDER, Gender),
    "member statuses": (member_labels.MEMBER_STATUS, MemberStatus),
    "event kinds": (member_labels.EVENT_KIND, EventKind),
    "my check-in methods": (checkin_labels.MY_METHOD, CheckinMethod),
    "check-in methods": (checkin_labels.METHOD, CheckinMethod),
    "conflict kinds": (checkin_labels.CONFLICT, ConflictKind),
}
OTHER_TABLES = {
    "member fields": member_labels.MEMBER_FIELD,
    "roles": member_labels.ROLE,
    "audit actions": member_labels.AUDIT_ACTION,
    "audit keys": member_labels.AUDIT_KEY,
    "point kinds": checkin_labels.POINT_KIND,
    "station script": checkin_labels.STATION_SCRIPT,
}


@pytest.mark.parametrize("name", sorted(ENUM_TABLES))
def test_every_value_of_an_enum_has_its_label(name):
    table, kinds = ENUM_TABLES[name]
    assert set(table) == set(kinds)


@pytest.mark.parametrize("name", sorted(ENUM_TABLES) + sorted(OTHER_TABLES))
def test_every_label_has_text_in_every_language(name):
    table = ENUM_TABLES[name][0] if name in ENUM_TABLES else OTHER_TABLES[name]
    for key in table.values():
        for language in LANGUAGES:
            assert translate(key, language) != key, (key, language)


def test_a_plain_string_finds_its_enum_label():
    """Templates look labels up with the value itself (``labels.GENDER[member.gender]``) or a plain string."""
    assert translate(member_labels.GENDER["F"], "en") == "Female"
    assert translate(member_labels.MEMBER_STATUS["left"], "zh") == translate("member.status.left", "zh")


def test_the_station_script_finds_every_text_it_reads():
    script = Path(checkin_labels.__file__).parent / "static" / "checkin_station.js"
    read = set(re.findall(r"\bT\.([a-z_]+)", script.read_text(encoding="utf-8")))
    assert read, "the station script reads its texts as T.<name>"
    assert read <= set(checkin_labels.STATION_SCRIPT) | set(checkin_labels.STATION_VERDICTS)

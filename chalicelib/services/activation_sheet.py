"""The activation-code sheet an admin hands out: new one-time codes for a unit's members who have not activated."""

from __future__ import annotations

from typing import NamedTuple

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.cells import csv_text
from chalicelib.i18n import N_, translate
from chalicelib.settings import Settings
from chalicelib.storage import Store

# The sheet's headers name each column in Chinese and in English ("工号 Staff No").
SHEET_COLUMNS = (
    N_("activation.sheet.col.staff_no"),
    N_("activation.sheet.col.name"),
    N_("activation.sheet.col.code"),
    N_("activation.sheet.col.valid_until"),
)


def sheet_headers() -> list[str]:
    return [f"{translate(key, 'zh')} {translate(key, 'en')}" for key in SHEET_COLUMNS]


class ActivationSheet(NamedTuple):
    filename: str
    text: str  # CSV, UTF-8 with a BOM so that Excel and WPS open it with the Chinese intact
    codes: int

    @property
    def headers(self) -> dict[str, str | list[str]]:
        return {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{self.filename}"',
        }


def activation_sheet(store: Store, settings: Settings, unit_id: str) -> ActivationSheet:
    """Issues new codes (earlier codes of the same members stop working) and lays them out as a CSV sheet of
    工号, 姓名, 激活码, 有效期至, every cell made safe (chalicelib.domain.cells). The caller checks that the unit exists
    and that the admin may manage it."""
    from chalicelib.services import accounts

    issued = accounts.issue_activation_codes(store, settings, list(store.members.in_unit(unit_id)))
    rows = [
        [code.member.staff_no, code.member.name, code.code, f"{code.expires_at.astimezone(CHINA_TZ):%Y-%m-%d}"]
        for code in issued
    ]
    return ActivationSheet(
        f"activation-codes-{unit_id}-{now():%Y%m%d}.csv", csv_text(sheet_headers(), rows), len(issued)
    )

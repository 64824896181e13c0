"""Dates on pages through Babel (CLDR), and the locale data the Lambda package keeps for them."""

import os
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import babel

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.web.render import format_when
from devtools.deploy_check import BABEL_DATA, BABEL_LOCALES, ROOT, prune_locale_data

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def test_a_start_time_reads_as_in_china_in_both_languages():
    moment = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)  # 14:00 in Beijing, a Saturday
    assert format_when(moment, "zh") == "11月28日 周六 14:00"
    assert format_when(moment, "en") == "Sat 28 Nov 14:00"
    assert format_when(moment, "fr") == format_when(moment, "zh")
    # past midnight in Beijing the day (and here the month and year) turn over
    assert format_when(datetime(2026, 12, 31, 16, 5, tzinfo=UTC), "en") == "Fri 1 Jan 00:05"


def test_every_day_of_a_year_reads_as_the_hand_written_tables_did():
    start = datetime(2026, 1, 1, 1, 30, tzinfo=UTC)
    for day in range(366):
        moment = start + timedelta(days=day, hours=day % 24)
        local = moment.astimezone(CHINA_TZ)
        weekday = local.weekday()
        assert format_when(moment, "zh") == f"{local.month}月{local.day}日 周{WEEKDAYS_ZH[weekday]} {local:%H:%M}"
        month = MONTHS_EN[local.month - 1]
        assert format_when(moment, "en") == f"{WEEKDAYS_EN[weekday]} {local.day} {month} {local:%H:%M}"


def babel_with(locales: tuple[str, ...], folder: Path) -> Path:
    """A copy of the Babel package whose locale data holds only ``locales`` (as the pruned Lambda package)."""
    source = Path(babel.__file__).parent
    shutil.copytree(source, folder / "babel", ignore=shutil.ignore_patterns("*.dat", "__pycache__"))
    shutil.copy(source / "global.dat", folder / "babel")
    for name in locales:
        shutil.copy(source / "locale-data" / f"{name}.dat", folder / "babel" / "locale-data")
    return folder


def format_with(folder: Path) -> subprocess.CompletedProcess[str]:
    probe = (
        "import babel, datetime\n"
        f"assert babel.__file__.startswith({str(folder)!r})\n"
        "from chalicelib.web.render import format_when\n"
        "moment = datetime.datetime(2026, 11, 28, 6, 0, tzinfo=datetime.UTC)\n"
        "print(format_when(moment, 'zh'), '|', format_when(moment, 'en'))\n"
    )
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=environment, cwd=ROOT)


def test_pages_format_dates_with_only_the_shipped_locale_data(tmp_path):
    shipped = format_with(babel_with(BABEL_LOCALES, tmp_path / "shipped"))
    assert shipped.stdout.strip() == "11月28日 周六 14:00 | Sat 28 Nov 14:00", shipped.stderr
    # without the Chinese data the same probe fails: the shipped files are the ones it reads
    too_few = format_with(babel_with(("root", "en"), tmp_path / "too_few"))
    assert too_few.returncode != 0


def test_the_package_keeps_only_the_locale_data_the_pages_use(tmp_path):
    package = tmp_path / "deployment.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for name in (*BABEL_LOCALES, "fr", "de_CH", "zh_Hant_TW"):
            archive.writestr(f"{BABEL_DATA}{name}.dat", b"data")
        archive.writestr("babel/global.dat", b"global")
        archive.writestr("chalicelib/i18n.py", b"code")
    assert prune_locale_data(package) == 3
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
    assert names == {f"{BABEL_DATA}{name}.dat" for name in BABEL_LOCALES} | {"babel/global.dat", "chalicelib/i18n.py"}

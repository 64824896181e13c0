"""The print pages share one layout (review fix): certificates, the results booklet and the score sheets extend
print_page.html, which links print.css (the page, the toolbar not printed) before the page's own paper and layout."""

from __future__ import annotations

import re
from pathlib import Path

from tests.http.browsing import get_page

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"  # the demo's badminton team cup
TEMPLATES = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "templates"
PRINT_PAGES = ("certificates.html", "competition_booklet.html", "competition_export_score_sheets.html")


def _stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="/static/([a-z_]+)\.[0-9a-f]{12}\.css">', html)


def test_the_print_pages_extend_one_layout():
    for name in PRINT_PAGES:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert text.startswith('{% extends "print_page.html" %}'), name
        assert "<html" not in text and "<head>" not in text and "@page" not in text, name


def test_certificates_and_score_sheets_load_the_shared_print_styles_first(client, callers):
    admin = callers["union_admin"]
    for path, own in (
        (f"/admin/events/{CUP}/competition/certificates", "certificates"),
        (f"/admin/events/{CUP}/competition/score-sheets", "score_sheets"),
        (f"/events/{CUP}/competition/booklet", "certificates"),
    ):
        response = get_page(client, path, admin)
        html = response.body.decode()
        assert response.status_code == 200, path
        assert _stylesheets(html) == ["print", own], path
        assert 'class="toolbar"' in html and "data-print" in html and "<title>" in html, path

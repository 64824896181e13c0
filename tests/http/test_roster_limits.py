"""A roster past a sheet limit reaches the admin as the file's problem in both languages: the domain raises the
refusal's code and figures (XlsxRefused), the import service words it from the catalogue (spreadsheet.*)."""

from __future__ import annotations

from chalicelib.domain.roster import MAX_SHEET_ROWS

HEADER = "工号,姓名,性别,出生日期,二级工会\n"


def test_a_row_past_the_sheet_limit_is_a_file_problem_in_words(client, callers):
    # One member far below a run of blank lines: refused whole, never cut short.
    data = (HEADER + "\n" * MAX_SHEET_ROWS + "T0001,张三,男,1985-04-17,计算机学院\n").encode()
    headers = callers["unit_admin"].headers(**{"Content-Type": "text/csv"})
    response = client.http.post("/api/roster/imports?filename=roster.csv", headers=headers, body=data)

    assert response.status_code == 200
    report = response.json_body
    assert report["accepted"] is False and report["created"] == 0
    [problem] = report["problems"]
    assert (problem["row"], problem["column"], problem["code"]) == (0, "", "too_many_rows")
    assert f"{MAX_SHEET_ROWS:,}" in problem["message_zh"] and "空行" in problem["message_zh"]
    assert f"{MAX_SHEET_ROWS:,}" in problem["message_en"] and "blank rows" in problem["message_en"]

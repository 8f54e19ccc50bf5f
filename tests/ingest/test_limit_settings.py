"""The cell and findings caps are settings (``LINDUNG_IMPORT_MAX_CELLS``,
``LINDUNG_IMPORT_MAX_FINDINGS``), and `submission check`, `submission import` and
`check --annotate` all honour the value set, not a number of their own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lindung.ingest import check_file, make_template

from .conftest import CLEAN, INDICATORS, fill_workbook

Run = Callable[..., Any]
FOCAL = "fp.idn@example.org"
#: A text note with a zero-width space: a warning, so the file still imports.
INVISIBLE = "checked\u200b by the office"


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A clean filled workbook whose six values each carry a note with an invisible character."""
    template = tmp_path / "template.xlsx"
    make_template(template, country="IDN", year=2019, indicators=list(INDICATORS))
    path = tmp_path / "IDN_2019.xlsx"
    fill_workbook(template, path, [{**entry, "note": INVISIBLE} for entry in CLEAN])
    return path


def _findings(result: Any) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def test_the_cell_cap_set_is_the_one_check_import_and_annotate_refuse_at(
    lindung: Run, sign_up: Run, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lindung("db", "init").exit_code == 0
    sign_up({FOCAL: ("focal_point", "IDN")})
    before = lindung("submission", "list", "--as", FOCAL, "--format", "json").stdout
    assert lindung("submission", "check", str(workbook), "--format", "json").exit_code == 0

    monkeypatch.setenv("LINDUNG_IMPORT_MAX_CELLS", "100")
    checked = lindung("submission", "check", str(workbook), "--format", "json")
    assert checked.exit_code == 5
    assert [f["code"] for f in _findings(checked)] == ["too-many-cells"]
    assert "more than 100 cells" in _findings(checked)[0]["message"]

    imported = lindung("submission", "import", str(workbook), "--as", FOCAL)
    assert imported.exit_code == 5 and "more than 100 cells" in imported.stderr
    assert lindung("submission", "list", "--as", FOCAL, "--format", "json").stdout == before

    annotated = tmp_path / "annotated.xlsx"
    refused = lindung("submission", "check", str(workbook), "--annotate", str(annotated))
    assert refused.exit_code != 0 and "100 cells" in refused.stderr
    assert not annotated.exists()


def test_the_findings_cap_set_is_the_one_check_import_and_annotate_list(
    lindung: Run, sign_up: Run, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lindung("db", "init").exit_code == 0
    sign_up({FOCAL: ("focal_point", "IDN")})
    checked = lindung("submission", "check", str(workbook), "--format", "json")
    assert [f["code"] for f in _findings(checked)].count("invisible-characters") == len(CLEAN)

    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FINDINGS", "2")
    checked = lindung("submission", "check", str(workbook), "--format", "json")
    listed = _findings(checked)
    assert [f["code"] for f in listed] == [*["invisible-characters"] * 2, "findings-truncated"]
    assert listed[-1]["message"] == f"only the first 2 of {len(CLEAN)} findings are listed"

    annotated = tmp_path / "annotated.xlsx"
    marked = lindung("submission", "check", str(workbook), "--annotate", str(annotated))
    assert marked.exit_code == 0, marked.stderr
    summary = load_workbook(annotated)["Findings"]
    assert [row[1] for row in summary.iter_rows(min_row=2, values_only=True)] == [
        *["invisible-characters"] * 2,
        "findings-truncated",
    ]

    imported = lindung("submission", "import", str(workbook), "--as", FOCAL)
    assert imported.exit_code == 0, imported.stderr
    rows = json.loads(lindung("submission", "list", "--as", FOCAL, "--format", "json").stdout)
    shown = lindung("submission", "show", str(rows[-1]["id"]), "--as", FOCAL, "--format", "json")
    report = json.loads(shown.stdout)[0]["validation_report"]
    assert [f["code"] for f in report["findings"]][-1] == "findings-truncated"
    assert len(report["findings"]) == 3


def test_a_zip_of_too_many_parts_is_counted_in_parts_not_bytes(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_ZIP_MEMBERS", "5")
    findings = check_file(workbook).findings
    assert [f.code for f in findings] == ["too-many-parts"]
    message = findings[0].message()
    assert message.startswith("the workbook's zip holds ") and message.endswith(
        " parts; the limit is 5 parts"
    )
    assert "bytes" not in message

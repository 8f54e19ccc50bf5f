"""The whole round from the command line: template, check, fix, import, review, publish."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import PASSWORD, fill_workbook

Run = Callable[..., Any]
FOCAL = "fp.idn@example.org"
SECRETARIAT = "secretariat@example.org"


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_focal_point_and_the_secretariat_take_a_submission_to_publication(
    lindung: Run, sign_up: Run, tmp_path: Path
) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0
    sign_up({FOCAL: ("focal_point", "IDN"), SECRETARIAT: ("secretariat", None)})
    users = _json(lindung("user", "list", "--as", SECRETARIAT, "--format", "json"))
    assert [(u["email"], u["role"], u["country"]) for u in users] == [
        ("admin@example.org", "admin", None),
        (FOCAL, "focal_point", "IDN"),
        (SECRETARIAT, "secretariat", None),
    ]
    assert all("password" not in key for u in users for key in u)

    template = tmp_path / "IDN_2019.xlsx"
    made = lindung(
        "template",
        "make",
        "--country",
        "IDN",
        "--year",
        "2019",
        "--indicators",
        "SI_COV_BENFTS,SI_COV_CHLD",
        "--out",
        str(template),
    )
    assert made.exit_code == 0, made.stderr

    # First filling: a percentage typed as a share of one, and the total outside F..M.
    wrong = tmp_path / "wrong.xlsx"
    fill_workbook(
        template,
        wrong,
        [
            {"series": "SI_COV_BENFTS", "value": 0.56},
            {"series": "SI_COV_BENFTS", "sex": "F", "value": 52},
            {"series": "SI_COV_BENFTS", "sex": "M", "value": 60},
        ],
    )
    checked = lindung("submission", "check", str(wrong), "--format", "json")
    assert checked.exit_code == 5
    assert [f["code"] for f in json.loads(checked.stdout)["findings"]] == [
        "sex-rate-outside-female-male",
        "far-from-international",
    ]
    refused = lindung("submission", "import", str(wrong), "--as", FOCAL)
    assert refused.exit_code == 5
    assert refused.stderr.startswith("Error: wrong.xlsx has 1 error, first at Coverage!M2")
    assert refused.stderr.count("\n") == 1

    # Fixed: 56 per cent. UNSD has 54.0 for Indonesia 2019: 2 points apart, no warning.
    v1 = tmp_path / "v1.xlsx"
    fill_workbook(
        template,
        v1,
        [
            {"series": "SI_COV_BENFTS", "value": 56, "nature": "C", "source": "SUSENAS"},
            {"series": "SI_COV_BENFTS", "sex": "F", "value": 52},
            {"series": "SI_COV_BENFTS", "sex": "M", "value": 60},
        ],
    )
    assert lindung("submission", "check", str(v1)).exit_code == 0
    first = _json(lindung("submission", "import", str(v1), "--as", FOCAL, "--format", "json"))[0]
    assert (first["version"], first["status"], first["created"]) == (1, "draft", True)
    again = _json(lindung("submission", "import", str(v1), "--as", FOCAL, "--format", "json"))[0]
    assert (again["id"], again["created"]) == (first["id"], False)
    one = str(first["id"])
    assert lindung("submission", "submit", one, "--as", FOCAL).exit_code == 0
    returned = lindung(
        "submission", "return", one, "--as", SECRETARIAT, "--note", "add the children's rate"
    )
    assert returned.exit_code == 0, returned.stderr

    v2 = tmp_path / "v2.xlsx"
    fill_workbook(
        template,
        v2,
        [
            {"series": "SI_COV_BENFTS", "value": 56, "nature": "C", "source": "SUSENAS"},
            {"series": "SI_COV_BENFTS", "sex": "F", "value": 52},
            {"series": "SI_COV_BENFTS", "sex": "M", "value": 60},
            {"series": "SI_COV_CHLD", "value": 48.5, "nature": "C"},
        ],
    )
    second = _json(lindung("submission", "import", str(v2), "--as", FOCAL, "--format", "json"))[0]
    assert second["version"] == 2
    two = str(second["id"])
    # Four eyes: who validated a version does not also publish it.
    publisher = "admin@example.org"
    for action, actor in (("submit", FOCAL), ("validate", SECRETARIAT), ("publish", publisher)):
        result = lindung("submission", action, two, "--as", actor)
        assert result.exit_code == 0, result.stderr

    listed = _json(lindung("submission", "list", "--as", FOCAL, "--format", "json"))
    assert [(s["version"], s["status"]) for s in listed] == [(2, "published"), (1, "returned")]
    shown = _json(lindung("submission", "show", one, "--as", FOCAL, "--format", "json"))[0]
    assert shown["note"] == "add the children's rate" and len(shown["values"]) == 3
    # A CSV is one table whose columns mean what they say: a row per value, not the report's
    # file name under validation_report and a list of series names under values.
    table = list(csv.DictReader(io.StringIO(
        lindung("submission", "show", one, "--as", FOCAL, "--format", "csv").stdout
    )))  # fmt: skip
    assert len(table) == 3 and {row["submission"] for row in table} == {one}
    assert {row["ref_area"] for row in table} == {"IDN"}
    assert sorted(float(row["value"]) for row in table) == sorted(
        float(v["value"]) for v in shown["values"]
    )
    assert "validation_report" not in table[0] and "values" not in table[0]
    assert all(v["ref_area"] == "IDN" and v["value"] is not None for v in shown["values"])
    assert [h["action"] for h in shown["history"]] == [
        "create",
        "status:submitted",
        "status:returned",
    ]

    current = _json(
        lindung(
            "data",
            "query",
            "--series",
            "SI_COV_CHLD",
            "--area",
            "IDN",
            "--from",
            "2019",
            "--to",
            "2019",
            "--format",
            "json",
        )
    )
    assert [(r["value"], r["submission_id"]) for r in current if r["sex"] == "_T"] == [
        (48.5, second["id"])
    ]
    every = _json(
        lindung(
            "data",
            "query",
            "--series",
            "SI_COV_BENFTS",
            "--area",
            "IDN",
            "--from",
            "2019",
            "--to",
            "2019",
            "--history",
            "--as",
            FOCAL,
            "--format",
            "json",
        )
    )
    versions = {r["submission_id"] for r in every if r["sex"] == "F"}
    assert versions == {first["id"], second["id"]}


def test_user_add_refuses_a_focal_point_without_country_and_a_short_password(
    lindung: Run, sign_up: Run
) -> None:
    assert lindung("db", "init").exit_code == 0
    sign_up({})
    no_country = lindung("user", "add", FOCAL, "--role", "focal_point", stdin=PASSWORD)
    assert no_country.exit_code == 2 and "needs --country" in no_country.stderr
    short = lindung("user", "add", FOCAL, "--role", "admin", stdin="short\n")
    assert short.exit_code == 2 and "shorter than 8" in short.stderr
    unknown = lindung(
        "user", "add", FOCAL, "--role", "focal_point", "--country", "XXX", stdin=PASSWORD
    )
    assert unknown.exit_code == 4 and "unknown country 'XXX'" in unknown.stderr


def test_check_of_a_missing_or_non_xlsx_file_is_a_finding_not_a_traceback(
    lindung: Run, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = lindung("submission", "check", str(broken))
    assert result.exit_code == 5
    assert "not-a-workbook" in result.stdout and "Traceback" not in result.stderr


def test_only_an_admin_adds_users_and_a_focal_point_lists_only_their_country(
    lindung: Run, sign_up: Run, tmp_path: Path
) -> None:
    assert lindung("db", "init").exit_code == 0
    sign_up({FOCAL: ("focal_point", "IDN"), "fp.phl@example.org": ("focal_point", "PHL")})
    refused = lindung(
        "user", "add", "x@example.org", "--role", "admin", "--as", FOCAL, stdin=PASSWORD
    )
    assert refused.exit_code == 3
    assert refused.stderr == f"Error: {FOCAL} has role focal_point; only an admin can add users\n"
    for country in ("IDN", "PHL"):
        template = tmp_path / f"{country}.xlsx"
        lindung(
            "template",
            "make",
            "--country",
            country,
            "--year",
            "2019",
            "--indicators",
            "SI_COV_BENFTS",
            "--out",
            str(template),
        )
        filled = tmp_path / f"{country}-filled.xlsx"
        fill_workbook(template, filled, [{"series": "SI_COV_BENFTS", "value": 50}])
        result = lindung("submission", "import", str(filled), "--as", "admin@example.org")
        assert result.exit_code == 0, result.stderr
    mine = _json(lindung("submission", "list", "--as", FOCAL, "--format", "json"))
    assert [s["ref_area"] for s in mine] == ["IDN"]
    every = _json(lindung("submission", "list", "--as", "admin@example.org", "--format", "json"))
    assert sorted(s["ref_area"] for s in every) == ["IDN", "PHL"]


def test_a_template_takes_its_format_from_the_file_name_and_refuses_a_mismatch(
    lindung: Any, tmp_path: Path
) -> None:
    made = lindung(
        "template", "make", "--country", "IDN", "--year", "2024",
        "--indicators", "SI_COV_BENFTS", "--out", str(tmp_path / "IDN.csv"),
    )  # fmt: skip
    assert made.exit_code == 0
    assert (tmp_path / "IDN.csv").read_text(encoding="utf-8").startswith("series,ref_area,")
    assert (tmp_path / "schema.json").exists()
    for out, fmt in (("IDN.xlsx", "csv"), ("IDN.txt", "xlsx")):
        refused = lindung(
            "template", "make", "--country", "IDN", "--year", "2024",
            "--out", str(tmp_path / out), "--format", fmt,
        )  # fmt: skip
        assert refused.exit_code == 2
        assert refused.stderr.startswith(f"Error: {out} does not end in .{fmt}")
        assert not (tmp_path / out).exists()

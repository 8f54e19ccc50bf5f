"""What a file shows against what Lindung reads: invisible characters, percent formats,
CSV dialects, oversized workbook parts and the template's hidden metadata.

Each hostile file is made here from a clean template (never committed); each case was a
defect that a file passed unflagged or was read as something it does not show.
"""

from __future__ import annotations

import csv
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from lindung.errors import LindungError
from lindung.ingest import check_file, import_file, make_template
from lindung.ingest import findings as F
from lindung.ingest.annotate import annotate_workbook
from lindung.ingest.findings import Location
from lindung.ingest.free_text import free_text
from lindung.ingest.number_format import shows_percent
from lindung.ingest.reader import Cell
from lindung.text import for_console, formula_like, invisible

from .conftest import CLEAN, Fill

#: Default_Ignorable_Code_Point as DerivedCoreProperties.txt (Unicode 16.0.0) lists it,
#: copied here by hand from the published file.
DERIVED_CORE_PROPERTIES = """
00AD          ; Default_Ignorable_Code_Point # Cf       SOFT HYPHEN
034F          ; Default_Ignorable_Code_Point # Mn       COMBINING GRAPHEME JOINER
061C          ; Default_Ignorable_Code_Point # Cf       ARABIC LETTER MARK
115F..1160    ; Default_Ignorable_Code_Point # Lo   [2] HANGUL CHOSEONG FILLER..
17B4..17B5    ; Default_Ignorable_Code_Point # Mn   [2] KHMER VOWEL INHERENT AQ..
180B..180D    ; Default_Ignorable_Code_Point # Mn   [3] MONGOLIAN FREE VARIATION SELECTOR ONE..
180E          ; Default_Ignorable_Code_Point # Cf       MONGOLIAN VOWEL SEPARATOR
180F          ; Default_Ignorable_Code_Point # Mn       MONGOLIAN FREE VARIATION SELECTOR FOUR
200B..200F    ; Default_Ignorable_Code_Point # Cf   [5] ZERO WIDTH SPACE..RIGHT-TO-LEFT MARK
202A..202E    ; Default_Ignorable_Code_Point # Cf   [5] LEFT-TO-RIGHT EMBEDDING..
2060..2064    ; Default_Ignorable_Code_Point # Cf   [5] WORD JOINER..INVISIBLE PLUS
2065          ; Default_Ignorable_Code_Point # Cn       <reserved-2065>
2066..206F    ; Default_Ignorable_Code_Point # Cf  [10] LEFT-TO-RIGHT ISOLATE..NOMINAL DIGIT SHAPES
3164          ; Default_Ignorable_Code_Point # Lo       HANGUL FILLER
FE00..FE0F    ; Default_Ignorable_Code_Point # Mn  [16] VARIATION SELECTOR-1..
FEFF          ; Default_Ignorable_Code_Point # Cf       ZERO WIDTH NO-BREAK SPACE
FFA0          ; Default_Ignorable_Code_Point # Lo       HALFWIDTH HANGUL FILLER
FFF0..FFF8    ; Default_Ignorable_Code_Point # Cn   [9] <reserved-FFF0>..<reserved-FFF8>
1BCA0..1BCA3  ; Default_Ignorable_Code_Point # Cf   [4] SHORTHAND FORMAT LETTER OVERLAP..
1D173..1D17A  ; Default_Ignorable_Code_Point # Cf   [8] MUSICAL SYMBOL BEGIN BEAM..
E0000         ; Default_Ignorable_Code_Point # Cn       <reserved-E0000>
E0001         ; Default_Ignorable_Code_Point # Cf       LANGUAGE TAG
E0002..E001F  ; Default_Ignorable_Code_Point # Cn  [30] <reserved-E0002>..<reserved-E001F>
E0020..E007F  ; Default_Ignorable_Code_Point # Cf  [96] TAG SPACE..CANCEL TAG
E0080..E00FF  ; Default_Ignorable_Code_Point # Cn [128] <reserved-E0080>..<reserved-E00FF>
E0100..E01EF  ; Default_Ignorable_Code_Point # Mn [240] VARIATION SELECTOR-17..
E01F0..E0FFF  ; Default_Ignorable_Code_Point # Cn [3600] <reserved-E01F0>..<reserved-E0FFF>
"""
#: Total code points: 4174, as the file's own count says.
DEFAULT_IGNORABLE_TOTAL = 4174
#: Not default-ignorable, but drawn as a blank as wide as a letter.
BRAILLE_BLANK = "\u2800"
#: What the Thai, Khmer and Burmese scripts put between words or inside them: a warning.
SCRIPT_NEEDS = "\u200b\u200c\u200d"


def _ignorable() -> list[str]:
    chars: list[str] = []
    for line in DERIVED_CORE_PROPERTIES.strip().splitlines():
        span = line.split(";")[0].strip()
        first, _, last = span.partition("..")
        chars.extend(chr(c) for c in range(int(first, 16), int(last or first, 16) + 1))
    return chars


IGNORABLE = _ignorable()


def _cell(text: str) -> Cell:
    return Cell(text, Location(file="f.csv", row=2), "source")


def _flags(text: str) -> list[str]:
    findings: list[F.Finding] = []
    free_text(_cell(text), findings)
    return [f.code for f in findings]


def test_every_default_ignorable_character_and_blank_filler_is_invisible() -> None:
    assert len(IGNORABLE) == DEFAULT_IGNORABLE_TOTAL
    missed = [f"U+{ord(c):04X}" for c in [*IGNORABLE, BRAILLE_BLANK] if not invisible(c)]
    assert missed == []


def test_no_letter_digit_punctuation_or_space_outside_the_set_is_invisible() -> None:
    listed = {*IGNORABLE, BRAILLE_BLANK}
    wrong = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if chr(code) not in listed
        and unicodedata.category(chr(code))[0] in "LNPSZ"
        and invisible(chr(code))
    ]
    assert wrong == []


def test_each_invisible_character_in_a_source_is_a_finding_and_zero_width_ones_a_warning() -> None:
    unflagged = [f"U+{ord(c):04X}" for c in [*IGNORABLE, BRAILLE_BLANK] if not _flags(f"BPS{c}")]
    assert unflagged == []
    for char in SCRIPT_NEEDS:
        assert _flags(f"\u0e2a\u0e33{char}\u0e19\u0e31\u0e01") == ["invisible-characters"]
    for char in "\u3164\u2800\u034f\u115f\uffa0":
        assert _flags(f"BPS{char}") == ["invisible-characters"]
    # Bidi controls and tags stay errors.
    assert _flags("BPS\u202e") == ["control-characters"]
    assert _flags("BPS\U000e0041") == ["control-characters"]


def test_blank_fillers_neither_hide_a_formula_nor_print_as_blanks() -> None:
    for char in "\u3164\u2800\u034f\u115f\uffa0":
        assert formula_like(f"{char}=1+1")
        assert char not in for_console(f"BPS{char}")


@pytest.mark.parametrize(
    ("number_format", "value", "scaled"),
    [
        ("0.0%", 0.125, True),
        ("0%", 0.125, True),
        ("0.00%", 0.125, True),  # built-in 10
        ("[Red]0.0%", 0.125, True),
        ("#,##0.00%", 0.125, True),
        ("0.0E+00%", 0.125, True),
        ("[$-421]0.0%", 0.125, True),
        ("[>=0]0.0%;-0.0%", 0.125, True),
        ("0.0\\%", 12.5, False),
        ('0.0"%"', 12.5, False),
        ('0.0" %"', 12.5, False),
        ('0.0;-0.0;0;"%"@', 0.125, False),
        ("0.0_%", 12.5, False),
        ("0.0*%", 12.5, False),
        ("0.0;0.0%", 12.5, False),
        ("0.0;0.0%", -12.5, True),
        ("0.0%;0.0", -12.5, False),
        ("0.0;-0.0;0%", 0.0, True),
        ("0.0;-0.0;0%", 1.0, False),
        ("0.0%;-0.0", 0.0, True),
        ("[>100]0.0;0.0%", 150.0, False),
        ("[>100]0.0;0.0%", 0.5, True),
        ("[<0]0.0%;[>=0]0.0", -0.2, True),
        ("[<0]0.0%;[>=0]0.0", 0.2, False),
        ("General", 0.125, False),
        ("@", 0.125, False),
        ('"%"0.0', 12.5, False),
    ],
)
def test_only_a_real_percent_in_the_section_that_applies_scales(
    number_format: str, value: float, scaled: bool
) -> None:
    assert shows_percent(number_format, value) is scaled


def _clean_csv(path: Path, value: str = "56") -> list[list[str]]:
    """Write a CSV template of IDN 2019 with SI_COV_BENFTS total filled; return its rows."""
    make_template(path, country="IDN", year=2019, indicators=["SI_COV_BENFTS"], file_format="csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("sex")] == "_T" and row[header.index("age")] == "_T":
            row[header.index("value")] = value
            row[header.index("source")] = "BPS"
    return rows


def _write(path: Path, rows: list[list[str]], delimiter: str = ",", end: str = "\r\n") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator=end).writerows(rows)
    return path


def test_a_literal_percent_sign_format_is_read_as_the_number_it_shows(
    fill: Fill, tmp_path: Path
) -> None:
    places = fill([{"series": "SI_COV_BENFTS", "value": 12.5, "nature": "C", "source": "BPS"}])
    sheet, cell = places[0].split("!")
    for number_format, read in (("0.0\\%", 12.5), ('0.0"%"', 12.5), ("0.0%", 1250.0)):
        workbook = load_workbook(tmp_path / "filled.xlsx")
        workbook[sheet][cell].number_format = number_format
        path = tmp_path / "formatted.xlsx"
        workbook.save(path)
        report = check_file(path)
        values = [o["value"] for o in report.observations if o["series"] == "SI_COV_BENFTS"]
        codes = [f.code for f in report.findings]
        if read == 12.5:
            assert values == [12.5], number_format
            assert "percent-format-read" not in codes, number_format
        else:
            assert "percent-format-read" in codes or "implausible-value" in codes


def test_a_percent_sign_typed_in_a_csv_value_says_so(tmp_path: Path) -> None:
    path = tmp_path / "pct.csv"
    _write(path, _clean_csv(path, "56.3%"))
    report = check_file(path)
    found = [f for f in report.findings if f.code == "percent-sign-in-text"]
    assert found and "56.3" in found[0].fix()
    assert "not-a-number" not in [f.code for f in report.findings]


@pytest.mark.parametrize("char", ["\u3164", "\u2800", "\u034f", "\u115f", "\uffa0"])
def test_an_invisible_filler_in_a_csv_source_is_a_warning_at_its_cell(
    char: str, tmp_path: Path
) -> None:
    path = tmp_path / "invisible.csv"
    rows = _clean_csv(path)
    header = rows[0]
    filled = next(r for r in rows[1:] if r[header.index("value")])
    filled[header.index("source")] = f"BPS{char}"
    report = check_file(_write(path, rows))
    found = [f for f in report.findings if f.code == "invisible-characters"]
    assert len(found) == 1 and f"U+{ord(char):04X}" in found[0].message()
    assert found[0].location.column == "source"


@pytest.mark.parametrize(
    ("delimiter", "written", "read"),
    [(";", "12.5", 12.5), (";", "12,5", 12.5), ("\t", "12,5", 12.5), ("\t", "12.5", 12.5)],
)
def test_the_decimal_mark_of_a_semicolon_or_tab_csv_is_told_by_its_numbers(
    delimiter: str, written: str, read: float, tmp_path: Path
) -> None:
    path = tmp_path / "locale.csv"
    report = check_file(_write(path, _clean_csv(path, written), delimiter))
    assert [f.code for f in report.errors] == []
    assert [o["value"] for o in report.observations] == [read]
    dialect = [f for f in report.findings if f.code == "csv-dialect"]
    mark = written[2]
    assert len(dialect) == 1 and f"decimals with '{mark}'" in dialect[0].message()


def test_a_semicolon_csv_whose_only_numbers_could_be_either_is_still_ambiguous(
    tmp_path: Path,
) -> None:
    path = tmp_path / "either.csv"
    report = check_file(_write(path, _clean_csv(path, "1.500"), ";"))
    assert [f.code for f in report.errors] == ["ambiguous-number"]


def test_a_csv_with_carriage_returns_alone_as_line_ends_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old_mac.csv"
    report = check_file(_write(path, _clean_csv(path, "12.5"), ",", "\r"))
    assert [f.code for f in report.findings if f.severity == "error"] == []
    assert [o["value"] for o in report.observations] == [12.5]


def test_the_spi_csv_reader_takes_the_decimal_mark_from_the_numbers(tmp_path: Path) -> None:
    from lindung.ingest.dialect import csv_dialect

    columns = ("ref_area", "program", "value")
    for content, decimal in (
        ("ref_area;program;value\rIDN;SA;12.5\rIDN;SI;3\r", "."),
        ("ref_area;program;value\nIDN;SA;12,5\n", ","),
        ("ref_area;program;value\nIDN;SA;1.500\n", ","),
    ):
        path = tmp_path / "spi.csv"
        path.write_text(content, encoding="utf-8")
        assert (csv_dialect(path, columns).delimiter, csv_dialect(path, columns).decimal) == (
            ";",
            decimal,
        )


#: A sheet's elements other than its data, each repeated past the 100,000-entry cap: what
#: the element is, and the XML that goes after ``</sheetData>``.
SHEET_BLOAT = {
    "data validations": lambda n: '<dataValidations count="{}">{}</dataValidations>'.format(
        n, "".join(f'<dataValidation type="list" sqref="Z{i}"/>' for i in range(1, n + 1))
    ),
    "conditional formats": lambda n: "".join(
        f'<conditionalFormatting sqref="Z{i}"><cfRule type="expression" priority="{i}">'
        "<formula>1</formula></cfRule></conditionalFormatting>"
        for i in range(1, n // 3 + 2)
    ),
    "merged cells": lambda n: '<mergeCells count="{}">{}</mergeCells>'.format(
        n, "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(1000, 1000 + n))
    ),
    "hyperlinks": lambda n: "<hyperlinks>{}</hyperlinks>".format(
        "".join(f'<hyperlink ref="Z{i}" display="x"/>' for i in range(1, n + 1))
    ),
}


@pytest.mark.parametrize("kind", list(SHEET_BLOAT))
def test_a_sheet_with_too_many_entries_is_refused_in_a_second_by_check_and_annotate(
    kind: str, fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    clean = tmp_path / "filled.xlsx"
    bloated = tmp_path / "bloated.xlsx"
    with (
        zipfile.ZipFile(clean) as source,
        zipfile.ZipFile(bloated, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        sheets = [n for n in source.namelist() if n.startswith("xl/worksheets/sheet")]
        target = sheets[1]
        for name in source.namelist():
            data = source.read(name)
            if name == target:
                extra = SHEET_BLOAT[kind](100_001).encode()
                data = data.replace(b"</sheetData>", b"</sheetData>" + extra, 1)
            out.writestr(name, data)
    started = time.perf_counter()
    report = check_file(bloated)
    assert time.perf_counter() - started < 3
    assert [f.code for f in report.errors] == ["too-many-entries"]
    assert target in report.errors[0].message()
    started = time.perf_counter()
    with pytest.raises(LindungError, match="more than 100,000 entries"):
        annotate_workbook(bloated, report.findings, tmp_path / "annotated.xlsx")
    assert time.perf_counter() - started < 3
    assert not (tmp_path / "annotated.xlsx").exists()


def test_a_filled_template_is_far_below_the_entry_cap(fill: Fill, tmp_path: Path) -> None:
    fill(CLEAN)
    assert check_file(tmp_path / "filled.xlsx").ok


def _edit_hidden(path: Path, **values: str) -> Path:
    """Change keys of the very hidden metadata sheet only, as a user with a script could."""
    workbook = load_workbook(path)
    for cells in workbook["_lindung"].iter_rows():
        if cells[0].value in values:
            cells[1].value = values[cells[0].value]
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("key", "hidden", "shown", "cell"),
    [
        ("year", "2018", "2019", "B4"),
        ("country", "PHL", "IDN", "B3"),
        ("framework_version", "0.9.0", None, "B5"),
        ("template_version", "2", "1", "B6"),
    ],
)
def test_hidden_metadata_that_disagrees_with_the_instructions_sheet_is_refused(
    key: str,
    hidden: str,
    shown: str | None,
    cell: str,
    fill: Fill,
    tmp_path: Path,
    engine: Engine,
) -> None:
    fill(CLEAN)
    path = _edit_hidden(tmp_path / "filled.xlsx", **{key: hidden})
    report = check_file(path)
    found = [f for f in report.findings if f.code == "metadata-disagrees"]
    assert len(found) == 1 and not report.ok
    where = found[0].location
    assert (where.sheet, where.cell) == ("Instructions", cell)
    message = found[0].message()
    assert repr(hidden) in message and "_lindung" in message and f"Instructions!{cell}" in message
    if shown is not None:
        assert repr(shown) in message
    with pytest.raises(LindungError):
        import_file(engine, path, actor="secretariat@example.org")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM observations")).scalar() == 0


def test_a_template_whose_both_sheets_agree_is_read_without_a_metadata_finding(
    fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN, year="2018")
    report = check_file(tmp_path / "filled.xlsx")
    assert report.ok and report.year == 2018
    assert not [f for f in report.findings if f.code.startswith("metadata-")]
    path = tmp_path / "id.xlsx"
    make_template(path, country="PHL", year=2020, language="id", indicators=["SI_COV_BENFTS"])
    codes = [f.code for f in check_file(path).findings]
    assert not [code for code in codes if code.startswith("metadata-")]


def test_hidden_metadata_that_no_visible_cell_states_is_a_warning(
    fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    path = tmp_path / "filled.xlsx"
    workbook = load_workbook(path)
    workbook["Instructions"]["B4"].value = None
    workbook.save(path)
    report = check_file(path)
    found = [f for f in report.findings if f.code == "metadata-unconfirmed"]
    assert len(found) == 1 and "'2019'" in found[0].message() and report.ok

"""A seeded generator of corrupted submission files, for the robustness test.

Each corruption starts from a clean filled workbook or CSV and breaks one thing the way real
files break (or the way an attacker would): wrong types, shifted columns, merged cells, extra
or missing sheets, formulas and formula-injection strings, extreme numbers, NaN, Unicode
oddities, empty files, truncated and non-xlsx zips, zip bombs, bad encodings.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lindung.ingest.layout import METADATA_SHEET, WORKBOOK_COLUMNS

LETTERS = {name: get_column_letter(i) for i, name in enumerate(WORKBOOK_COLUMNS, start=1)}
ODD_TEXT = [
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "e\u0301",
    "𝟙𝟚𝟛",
    "\ufeffbom",
    "名前",
    "السلام",
    "",
    " ",
    "\n\n",
    "a" * 5000,
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "\tindent",
]
ODD_VALUES: list[Any] = [
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    -1e308,
    5e-324,
    10**30,
    -(10**30),
    True,
    "NaN",
    "inf",
    "1,234.5",
    "12 %",
    "٣٤",
    "1e999",
    "0x1F",
    datetime(2024, 1, 1),
    "=1/0",
    "=SUM(M2:M3)",
    '=HYPERLINK("http://evil.example")',
    *ODD_TEXT,
]


class Corruptor:
    """Makes corrupted copies of a clean workbook and a clean CSV."""

    def __init__(self, workbook: Path, table: Path, folder: Path, seed: int) -> None:
        self.workbook = workbook
        self.table = table
        self.folder = folder
        self.random = random.Random(seed)
        self.count = 0
        with zipfile.ZipFile(workbook) as archive:
            self.members = {name: archive.read(name) for name in archive.namelist()}
        names = load_workbook(workbook, read_only=True).sheetnames
        sheet_files = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(names, 1)}
        self.metadata_member = sheet_files[METADATA_SHEET]
        self.data_members = [
            sheet_files[name] for name in names if not name.startswith("_") and name != names[0]
        ]

    def path(self, suffix: str) -> Path:
        self.count += 1
        return self.folder / f"corrupt_{self.count:04d}{suffix}"

    def make(self) -> tuple[str, Path]:
        """Return one corrupted file and what was done to it."""
        kinds: list[Callable[[], tuple[str, Path]]] = [
            self.odd_value,
            self.odd_value,
            self.odd_key,
            self.odd_text,
            self.shifted_columns,
            self.merged_cells,
            self.sheets,
            self.metadata,
            self.truncated,
            self.byte_flips,
            self.not_xlsx_zip,
            self.empty,
            self.csv_corruption,
            self.csv_corruption,
        ]
        return self.random.choice(kinds)()

    def _edit(self, what: str, change: Callable[[Any], None]) -> tuple[str, Path]:
        workbook = load_workbook(self.workbook)
        change(workbook)
        path = self.path(".xlsx")
        workbook.save(path)
        return what, path

    def _data_sheet(self, workbook: Any) -> Any:
        sheets = [s for s in workbook.worksheets[1:] if not s.title.startswith("_")]
        return self.random.choice(sheets)

    def odd_value(self) -> tuple[str, Path]:
        value = self.random.choice(ODD_VALUES)
        sheet = self.random.choice(self.data_members)
        return self._set_cell(sheet, LETTERS["value"], value)

    def odd_key(self) -> tuple[str, Path]:
        value = self.random.choice([*ODD_VALUES, "SI_COV_XXX", "si_cov_benfts", "Q9", "_t"])
        return self._set_cell(self.random.choice(self.data_members), "", value)

    def odd_text(self) -> tuple[str, Path]:
        text = self.random.choice(ODD_TEXT) + self.random.choice(["", "\x00", "\x07", "ok"])
        column = self.random.choice([LETTERS["source"], LETTERS["note"]])
        return self._set_cell(self.random.choice(self.data_members), column, text)

    def shifted_columns(self) -> tuple[str, Path]:
        at = self.random.randint(1, len(WORKBOOK_COLUMNS))
        delete = self.random.random() < 0.5

        def change(workbook: Any) -> None:
            sheet = self._data_sheet(workbook)
            if delete:
                sheet.delete_cols(at)
            else:
                sheet.insert_cols(at)
                if self.random.random() < 0.5:
                    sheet.cell(row=1, column=at, value="extra")

        return self._edit(f"column {at} {'deleted' if delete else 'inserted'}", change)

    def merged_cells(self) -> tuple[str, Path]:
        member = self.random.choice(self.data_members)
        refs = self._refs(member, "")
        first = self.random.choice(refs)
        last = self.random.choice(refs)
        merge = f'<mergeCells count="1"><mergeCell ref="{first}:{last}"/></mergeCells>'
        xml = self.members[member].replace(b"</sheetData>", b"</sheetData>" + merge.encode(), 1)
        return self._zip(f"merged {first}:{last}", {member: xml})

    def sheets(self) -> tuple[str, Path]:
        choice = self.random.choice(["drop-metadata", "drop-data", "extra", "rename"])

        def change(workbook: Any) -> None:
            if choice == "drop-metadata":
                workbook.remove(workbook[METADATA_SHEET])
            elif choice == "drop-data":
                workbook.remove(self._data_sheet(workbook))
            elif choice == "extra":
                extra = workbook.create_sheet("My notes")
                extra.append(["series", "value"])
                extra.append(["SI_COV_BENFTS", 99])
            else:
                self._data_sheet(workbook).title = "Renamed"

        return self._edit(f"sheets: {choice}", change)

    def metadata(self) -> tuple[str, Path]:
        value = self.random.choice(["0", "99", "XXX", "PHL", "", "1899", 2024.5, "=1+1", None])
        return self._set_cell(self.metadata_member, "B", value)

    def _refs(self, member: str, column: str) -> list[str]:
        pattern = rb'<c r="(' + column.encode() + rb'[A-Z]*[0-9]+)"'
        return [ref.decode() for ref in re.findall(pattern, self.members[member])]

    def _set_cell(self, member: str, column: str, value: Any) -> tuple[str, Path]:
        """Write ``value`` into a random cell of ``column`` straight into the sheet's XML."""
        ref = self.random.choice(self._refs(member, column))
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
        style = re.search(rb'\bs="\d+"', pattern.search(self.members[member]).group(1))
        cell = f'<c r="{ref}" {style.group(0).decode() if style else ""}{_cell_body(value)}'
        xml = pattern.sub(lambda _: cell.encode("utf-8", "surrogatepass"), self.members[member], 1)
        return self._zip(f"{member} {ref} = {value!r:.40}", {member: xml})

    def _zip(self, what: str, changed: dict[str, bytes]) -> tuple[str, Path]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.members.items():
                archive.writestr(name, changed.get(name, data))
        return self._raw(what, buffer.getvalue())

    def _raw(self, what: str, data: bytes, suffix: str = ".xlsx") -> tuple[str, Path]:
        path = self.path(suffix)
        path.write_bytes(data)
        return what, path

    def truncated(self) -> tuple[str, Path]:
        data = self.workbook.read_bytes()
        cut = self.random.randint(1, len(data) - 1)
        return self._raw(f"truncated at byte {cut}", data[:cut])

    def byte_flips(self) -> tuple[str, Path]:
        data = bytearray(self.workbook.read_bytes())
        for _ in range(self.random.randint(1, 20)):
            data[self.random.randrange(len(data))] = self.random.randrange(256)
        return self._raw("random bytes changed", bytes(data))

    def not_xlsx_zip(self) -> tuple[str, Path]:
        choice = self.random.choice(["plain", "bomb", "many", "fake-workbook"])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            if choice == "plain":
                archive.writestr("hello.txt", "not a workbook")
            elif choice == "bomb":
                archive.writestr("xl/workbook.xml", b"\0" * 30_000_000)
            elif choice == "many":
                for number in range(600):
                    archive.writestr(f"f{number}.txt", "")
            else:
                archive.writestr("xl/workbook.xml", "<workbook>")
                archive.writestr("[Content_Types].xml", "<Types/>")
        return self._raw(f"zip: {choice}", buffer.getvalue())

    def empty(self) -> tuple[str, Path]:
        suffix = self.random.choice([".xlsx", ".csv", ".txt", ".xls"])
        return self._raw(f"empty {suffix}", b"", suffix)

    def csv_corruption(self) -> tuple[str, Path]:
        with self.table.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        choice = self.random.choice(
            [
                "cell",
                "drop-column",
                "swap-columns",
                "ragged",
                "encoding",
                "quote",
                "delimiter",
                "nul",
                "header-only",
                "duplicate-row",
                "other-year",
            ]
        )
        row = self.random.randint(1, len(rows) - 1)
        column = self.random.randrange(len(rows[0]))
        data: bytes | None = None
        if choice == "cell":
            rows[row][column] = str(self.random.choice(ODD_VALUES))
        elif choice == "drop-column":
            rows = [r[:column] + r[column + 1 :] for r in rows]
        elif choice == "swap-columns":
            other = self.random.randrange(len(rows[0]))
            for r in rows[1:]:
                r[column], r[other] = r[other], r[column]
        elif choice == "ragged":
            rows[row] = rows[row][: self.random.randint(0, len(rows[row]))]
        elif choice == "header-only":
            rows = rows[:1]
        elif choice == "duplicate-row":
            rows.append(list(rows[row]))
        elif choice == "other-year":
            rows[row][2] = "2020"
        text = "\n".join(",".join(_quote(cell) for cell in r) for r in rows) + "\n"
        if choice == "encoding":
            data = text.replace("percent", "pércent").encode("latin-1")
        elif choice == "quote":
            data = text.replace(",", ',"', 1).encode("utf-8")
        elif choice == "delimiter":
            data = text.replace(",", ";").encode("utf-8")
        elif choice == "nul":
            data = text.replace("percent", "per\x00cent", 1).encode("utf-8")
        return self._raw(f"csv: {choice}", data or text.encode("utf-8"), ".csv")


def _cell_body(value: Any) -> str:
    """Return the attributes and content of a cell holding ``value``, as a spreadsheet writes it."""
    if value is None:
        return "/>"
    if isinstance(value, bool):
        return f't="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"><v>{value!r}</v></c>" if isinstance(value, float) else f"><v>{value}</v></c>"
    text = escape(str(value))
    if text.startswith("="):
        return f"><f>{text[1:]}</f></c>"
    return f't="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _quote(cell: str) -> str:
    if any(char in cell for char in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


# Hostile files: each breaks one promise of the reader on purpose, in a way a spreadsheet does
# not show. Each builder takes the clean workbook or CSV and writes the hostile copy to ``out``.
COVERAGE = "xl/worksheets/sheet2.xml"
WORKBOOK = "xl/workbook.xml"
ROW = re.compile(rb'<row r="(\d+)"[^>]*>.*?</row>', re.S)


def members(path: Path) -> list[tuple[str, bytes]]:
    """Return the zip's members in order."""
    with zipfile.ZipFile(path) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def write_zip(out: Path, parts: list[tuple[str, bytes]]) -> Path:
    """Write the members (a name may repeat) as a zip at ``out``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a repeated name: that is the point
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts:
                archive.writestr(name, data)
    return out


def edit_member(source: Path, out: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    """Write a copy of the workbook with one member's bytes changed."""
    parts = [(n, change(data) if n == name else data) for n, data in members(source)]
    return write_zip(out, parts)


def cell_xml(reference: str, value: Any) -> bytes:
    """Return a cell element holding ``value``."""
    return f'<c r="{reference}" {_cell_body(value)}'.encode()


def replace_cell(xml: bytes, reference: str, value: Any) -> bytes:
    """Return the sheet XML with cell ``reference`` holding ``value`` (added if absent)."""
    pattern = re.compile(rb'<c r="' + reference.encode() + rb'"[^>]*?(/>|>.*?</c>)', re.S)
    if pattern.search(xml):
        return pattern.sub(lambda _: cell_xml(reference, value), xml, count=1)
    row = re.sub(r"[A-Z]", "", reference).encode()
    return re.sub(
        rb'(<row r="' + row + rb'"[^>]*>.*?)(</row>)',
        lambda m: m.group(1) + cell_xml(reference, value) + m.group(2),
        xml,
        count=1,
        flags=re.S,
    )


def second_column(source: Path, out: Path, name: str, value: str) -> Path:
    """Add a second ``name`` column (Q) to the Coverage sheet, ``value`` in every row."""

    def change(xml: bytes) -> bytes:
        xml = replace_cell(xml, "Q1", name)
        for number in range(2, 8):
            xml = replace_cell(xml, f"Q{number}", value)
        return xml.replace(b'<dimension ref="A1:P7"', b'<dimension ref="A1:Q7"')

    return edit_member(source, out, COVERAGE, change)


def second_csv_column(source: Path, out: Path, name: str, value: str) -> Path:
    """Append a second ``name`` column to the CSV, ``value`` in every row."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = [[*rows[0], name]] + [[*row, value] for row in rows[1:]]
    with out.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return out


def repeated_part(source: Path, out: Path) -> Path:
    """Store the Coverage sheet twice, the second copy with another value in M2."""
    parts = members(source)
    sheet = dict(parts)[COVERAGE]
    return write_zip(out, [*parts, (COVERAGE, replace_cell(sheet, "M2", 99))])


def repeated_cell(source: Path, out: Path) -> Path:
    """List cell M2 twice in the Coverage sheet, the second time with another value."""

    def change(xml: bytes) -> bytes:
        original = re.search(rb'<c r="M2"[^>]*?(/>|>.*?</c>)', xml, re.S)
        assert original is not None
        return xml.replace(original.group(0), original.group(0) + cell_xml("M2", 99), 1)

    return edit_member(source, out, COVERAGE, change)


def stale_dimension(source: Path, out: Path) -> Path:
    """Make the Coverage sheet claim to end at row 2; its rows 3-7 are still there."""
    return edit_member(
        source, out, COVERAGE, lambda xml: xml.replace(b'ref="A1:P7"', b'ref="A1:P2"', 1)
    )


def rows_out_of_order(source: Path, out: Path) -> Path:
    """Move row 2 of the Coverage sheet after row 7."""

    def change(xml: bytes) -> bytes:
        rows = {int(m.group(1)): m.group(0) for m in ROW.finditer(xml)}
        xml = xml.replace(rows[2], b"", 1)
        return xml.replace(rows[7], rows[7] + rows[2], 1)

    return edit_member(source, out, COVERAGE, change)


def hidden_sheet(source: Path, out: Path, state: str) -> Path:
    """Hide the Coverage sheet (state 'hidden' or 'veryHidden')."""
    return edit_member(
        source,
        out,
        WORKBOOK,
        lambda xml: xml.replace(
            b'name="Coverage" sheetId="2" state="visible"',
            f'name="Coverage" sheetId="2" state="{state}"'.encode(),
        ),
    )


def renamed_sheet(source: Path, out: Path) -> Path:
    """Rename the Coverage sheet to 'Renamed' (its rows and columns unchanged)."""
    return edit_member(
        source, out, WORKBOOK, lambda xml: xml.replace(b'name="Coverage"', b'name="Renamed"', 1)
    )


def tiny_cells(source: Path, out: Path, cells: int) -> Path:
    """Fill the Context sheet with ``cells`` empty cells: a small file, a huge grid."""
    per_row = 50
    rows = b"".join(
        b'<row r="%d">' % (number + 100) + b"<c/>" * per_row + b"</row>"
        for number in range(cells // per_row)
    )
    return edit_member(
        source,
        out,
        "xl/worksheets/sheet3.xml",
        lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>", 1),
    )


def with_cell(source: Path, out: Path, reference: str, value: Any, member: str = COVERAGE) -> Path:
    """Write ``value`` into ``reference`` of the Coverage sheet (or of ``member``)."""
    return edit_member(source, out, member, lambda xml: replace_cell(xml, reference, value))


def csv_cell(source: Path, out: Path, row: int, column: str, value: str) -> Path:
    """Write ``value`` as is (no quoting added) into ``column`` of data row ``row`` of the CSV."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][rows[0].index(column)] = "\0"
    lines = [",".join(_quote(cell) for cell in line) for line in rows]
    out.write_text("\n".join(lines).replace("\0", value) + "\n", encoding="utf-8")
    return out


def many_shared_strings(source: Path, out: Path, count: int) -> Path:
    """Add a shared-strings part of ``count`` one-letter texts: a small file, a huge table."""
    parts = dict(members(source))
    table = b"<si><t>a</t></si>" * count
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + table + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return write_zip(out, list(parts.items()))


def many_styles(source: Path, out: Path, count: int) -> Path:
    """Give the workbook ``count`` cell styles: openpyxl reads every one when it opens it."""

    def change(xml: bytes) -> bytes:
        start = re.search(rb"<cellXfs[^>]*>", xml)
        assert start is not None
        styles = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * count
        return xml[: start.end()] + styles + xml[start.end() :]

    return edit_member(source, out, "xl/styles.xml", change)


def shared_strings(source: Path, out: Path, rich: bool = False) -> Path:
    """Move every inline text of the sheets into a shared-strings part, as Excel writes a
    workbook; with ``rich``, each text of more than two characters split into two formatted
    runs (the first two characters bold), which a spreadsheet shows as one text."""
    index: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        number = index.setdefault(match.group(2), len(index))
        return match.group(1) + b' t="s"><v>%d</v></c>' % number

    inline = re.compile(
        rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>'
        rb"(.*?)</t></is></c>",
        re.S,
    )
    parts = dict(
        (name, inline.sub(shared, data) if name.startswith("xl/worksheets/") else data)
        for name, data in members(source)
    )

    def item(text: bytes) -> bytes:
        if rich and len(text) > 2:
            return b"<si><r><rPr><b/></rPr><t>%s</t></r><r><t>%s</t></r></si>" % (
                text[:2],
                text[2:],
            )
        return b"<si><t>%s</t></si>" % text

    table = b"".join(item(text) for text in index)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + table + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return write_zip(out, list(parts.items()))


def declared_entities(source: Path, out: Path) -> Path:
    """Give the Coverage sheet a DTD whose entity the source cell uses (no spreadsheet does)."""
    dtd = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY s "SUSENAS 2020">]>'
    return edit_member(
        source, out, COVERAGE, lambda xml: dtd + xml.replace(b"SUSENAS 2019", b"&s;", 1)
    )

"""The catalogue of findings a submission check can report, frictionless-style.

Each finding type is a small class with a stable ``code`` (what the UI translates and tests
assert on), a ``title``, a message template and a fix in English and Bahasa Indonesia, and a
severity: an ``error`` blocks the import, a ``warning`` only informs. An instance carries the
location (file, sheet, cell, row, column) and the values its templates name.

Rule findings (``RuleViolation``) take their code, severity, message and fix from the rule,
which is data (``ingest/rules/*.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

Severity = Literal["error", "warning"]
LANGUAGES: tuple[str, ...] = ("en", "id")


@dataclass(frozen=True)
class Location:
    """Where a finding is: a file, and a sheet and cell (xlsx) or a row and column (CSV)."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        """Return the location as a user reads it: ``Coverage!M12`` or ``row 7, value``."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(self.column)
        return ", ".join(parts) or (self.file or "file")


class _Params(dict[str, Any]):
    """Template values; a name a template uses but the finding lacks prints as '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


class Finding:
    """One thing a check found, with where it is, what it means and how to fix it."""

    code: ClassVar[str] = "finding"
    title: ClassVar[str] = "Finding"
    default_severity: ClassVar[Severity] = "error"
    template: ClassVar[dict[str, str]] = {"en": "", "id": ""}
    fix_template: ClassVar[dict[str, str]] = {"en": "", "id": ""}

    def __init__(self, location: Location, **params: Any) -> None:
        self.location = location
        self.params = params
        self.severity: Severity = self.default_severity

    def _texts(self) -> tuple[dict[str, str], dict[str, str]]:
        return self.template, self.fix_template

    def message(self, language: str = "en") -> str:
        """Return the message in ``language`` ('en' or 'id')."""
        return self._texts()[0][_language(language)].format_map(_Params(self.params))

    def fix(self, language: str = "en") -> str:
        """Return the suggested fix in ``language`` ('en' or 'id')."""
        return self._texts()[1][_language(language)].format_map(_Params(self.params))

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        """Return the finding as JSON-ready data: code, severity, message, fix and location."""
        record: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "message": self.message(language),
            "fix": self.fix(language),
            "location": self.location.describe(),
        }
        for name in ("file", "sheet", "cell", "row", "column"):
            value = getattr(self.location, name)
            if value is not None:
                record[name] = value
        record["translations"] = {
            lang: {"message": self.message(lang), "fix": self.fix(lang)} for lang in LANGUAGES
        }
        return record


def _language(language: str) -> str:
    return language if language in LANGUAGES else "en"


class RuleViolation(Finding):
    """A validation rule that does not hold; code, severity and texts come from the rule."""

    title = "Validation rule"

    def __init__(
        self,
        location: Location,
        *,
        code: str,
        title: str,
        severity: Severity,
        message: dict[str, str],
        fix: dict[str, str],
        **params: Any,
    ) -> None:
        super().__init__(location, **params)
        self.rule_code = code
        self.rule_title = title
        self.severity = severity
        self._message = message
        self._fix = fix

    def _texts(self) -> tuple[dict[str, str], dict[str, str]]:
        return self._message, self._fix

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        """Return the finding as JSON data; ``code`` is the rule's code."""
        record = super().as_dict(language)
        record["code"] = self.rule_code
        record["title"] = self.rule_title
        return record


def _finding(
    code: str,
    title: str,
    en: str,
    id_: str,
    fix_en: str,
    fix_id: str,
    severity: Severity = "error",
) -> type[Finding]:
    """Return a finding class; every class below is declared through this one function."""
    namespace = {
        "code": code,
        "title": title,
        "default_severity": severity,
        "template": {"en": en, "id": id_},
        "fix_template": {"en": fix_en, "id": fix_id},
        "__doc__": f"{title} ({severity}): {en}",
    }
    return type("".join(part.title() for part in code.split("-")), (Finding,), namespace)


# File: what the file is, before any cell is read.
FileEmpty = _finding(
    "file-empty",
    "Empty file",
    "the file is empty",
    "berkas kosong",
    "fill the template made by `lindung template make` and send that file",
    "isi templat dari `lindung template make` lalu kirim berkas itu",
)
FileTooLarge = _finding(
    "file-too-large",
    "File too large",
    "the file is {size} bytes; the limit is {limit} bytes",
    "ukuran berkas {size} byte; batasnya {limit} byte",
    "send only the template's sheets, without pictures or extra data",
    "kirim hanya lembar templat, tanpa gambar atau data tambahan",
)
UnsupportedFormat = _finding(
    "unsupported-format",
    "Unsupported format",
    "'{name}' is neither an .xlsx workbook nor a .csv file",
    "'{name}' bukan buku kerja .xlsx maupun berkas .csv",
    "save the template as Excel Workbook (.xlsx) or as CSV UTF-8",
    "simpan templat sebagai Excel Workbook (.xlsx) atau CSV UTF-8",
)
NotAWorkbook = _finding(
    "not-a-workbook",
    "Not a workbook",
    "the file is not a readable .xlsx workbook ({reason})",
    "berkas bukan buku kerja .xlsx yang dapat dibaca ({reason})",
    "open the file in Excel or LibreOffice and save it again as .xlsx; it may be truncated",
    "buka berkas di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx; mungkin terpotong",
)
UnzippedTooLarge = _finding(
    "unzipped-too-large",
    "Workbook expands too much",
    "the workbook expands to {size} bytes when opened; the limit is {limit} bytes",
    "buku kerja mengembang menjadi {size} byte saat dibuka; batasnya {limit} byte",
    "remove extra sheets, pictures and formatting; send the template's sheets only",
    "hapus lembar, gambar, dan format tambahan; kirim hanya lembar templat",
)
TooManyRows = _finding(
    "too-many-rows",
    "Too many rows",
    "the file has more than {limit} rows",
    "berkas memiliki lebih dari {limit} baris",
    "split the data into one file per country and year, as the template does",
    "pisahkan data menjadi satu berkas per negara dan tahun, seperti templat",
)
EncodingError = _finding(
    "encoding-error",
    "Not UTF-8",
    "the CSV file is not UTF-8 text ({reason})",
    "berkas CSV bukan teks UTF-8 ({reason})",
    "save it again as 'CSV UTF-8 (comma delimited)'",
    "simpan ulang sebagai 'CSV UTF-8 (comma delimited)'",
)
MalformedCsv = _finding(
    "malformed-csv",
    "Malformed CSV",
    "the CSV file cannot be read: {reason}",
    "berkas CSV tidak dapat dibaca: {reason}",
    "save it again from a spreadsheet as 'CSV UTF-8 (comma delimited)'",
    "simpan ulang dari lembar kerja sebagai 'CSV UTF-8 (comma delimited)'",
)

# Workbook: the sheets and the template's metadata.
MetadataMissing = _finding(
    "metadata-missing",
    "Not a Lindung template",
    "the workbook has no '{sheet}' sheet, so it was not made by `lindung template make`",
    "buku kerja tidak memiliki lembar '{sheet}', jadi bukan dari `lindung template make`",
    "make a template with `lindung template make` and copy your values into it",
    "buat templat dengan `lindung template make` lalu salin nilai Anda ke dalamnya",
)
MetadataInvalid = _finding(
    "metadata-invalid",
    "Template metadata damaged",
    "the template's hidden metadata has no valid '{key}' (found {found!r})",
    "metadata tersembunyi templat tidak memiliki '{key}' yang sah (ditemukan {found!r})",
    "make a fresh template with `lindung template make` and copy your values into it",
    "buat templat baru dengan `lindung template make` lalu salin nilai Anda ke dalamnya",
)
TemplateVersionMismatch = _finding(
    "template-version-mismatch",
    "Old template",
    "the file was made from template version {found}; this Lindung reads version {expected}",
    "berkas dibuat dari templat versi {found}; Lindung ini membaca versi {expected}",
    "make a new template with `lindung template make` and copy your values into it",
    "buat templat baru dengan `lindung template make` lalu salin nilai Anda ke dalamnya",
)
FrameworkVersionDiffers = _finding(
    "framework-version-differs",
    "Other framework version",
    "the template was made for framework {found}; the current framework is {expected}",
    "templat dibuat untuk kerangka {found}; kerangka saat ini {expected}",
    "check that the indicators are still the ones you meant; a new template is safest",
    "periksa bahwa indikatornya masih sesuai; templat baru paling aman",
    "warning",
)
UnknownCountry = _finding(
    "unknown-country",
    "Unknown country",
    "'{found}' is not the ISO3 code of an ASEAN Member State",
    "'{found}' bukan kode ISO3 Negara Anggota ASEAN",
    "use your country's code as `lindung countries` lists it (e.g. IDN)",
    "gunakan kode negara Anda seperti di `lindung countries` (mis. IDN)",
)
InvalidYear = _finding(
    "invalid-year",
    "Invalid year",
    "'{found}' is not a reference year between {low} and {high}",
    "'{found}' bukan tahun acuan antara {low} dan {high}",
    "write the year the data refer to as four digits, e.g. 2024",
    "tulis tahun acuan data dengan empat angka, mis. 2024",
)
SheetIgnored = _finding(
    "sheet-ignored",
    "Sheet ignored",
    "sheet '{sheet}' is not part of the template and was not read",
    "lembar '{sheet}' bukan bagian templat dan tidak dibaca",
    "move its values into the template's sheets, or delete the sheet",
    "pindahkan nilainya ke lembar templat, atau hapus lembar itu",
    "warning",
)
SheetMissing = _finding(
    "sheet-missing",
    "Sheet missing",
    "the template's sheet '{sheet}' is missing; its indicators count as not reported",
    "lembar templat '{sheet}' hilang; indikatornya dianggap tidak dilaporkan",
    "use the complete template if you meant to report these indicators",
    "gunakan templat lengkap jika ingin melaporkan indikator ini",
    "warning",
)
MergedCells = _finding(
    "merged-cells",
    "Merged cells",
    "cells {range} are merged, so their values cannot be read one by one",
    "sel {range} digabung, sehingga nilainya tidak dapat dibaca satu per satu",
    "select the range and choose Unmerge Cells, then fill each cell",
    "pilih rentang itu, pilih Unmerge Cells, lalu isi setiap sel",
)
MissingColumn = _finding(
    "missing-column",
    "Missing column",
    "the column '{name}' is missing",
    "kolom '{name}' tidak ada",
    "restore the header row as in the template: {expected}",
    "kembalikan baris judul seperti di templat: {expected}",
)
ExtraColumn = _finding(
    "extra-column",
    "Extra column",
    "the column '{name}' is not part of the template and was not read",
    "kolom '{name}' bukan bagian templat dan tidak dibaca",
    "move notes into the 'note' column and delete this column",
    "pindahkan catatan ke kolom 'note' lalu hapus kolom ini",
    "warning",
)
ValueMissing = _finding(
    "value-missing",
    "Row without value",
    "the row has '{column}' filled but no value, so it is not reported",
    "baris berisi '{column}' tetapi tidak ada nilai, sehingga tidak dilaporkan",
    "fill the 'value' cell, or clear the row if you do not report it; check that no column "
    "was shifted",
    "isi sel 'value', atau kosongkan baris jika tidak dilaporkan; periksa tidak ada kolom yang "
    "bergeser",
    "warning",
)
NothingReported = _finding(
    "nothing-reported",
    "No values",
    "the file holds no values: every 'value' cell is empty",
    "berkas tidak berisi nilai: semua sel 'value' kosong",
    "fill the 'value' column for the indicators you report",
    "isi kolom 'value' untuk indikator yang Anda laporkan",
)

# Cells and rows.
FormulaNotAllowed = _finding(
    "formula-not-allowed",
    "Formula",
    "the cell holds a formula ({formula}); Lindung reads values, not formulas",
    "sel berisi rumus ({formula}); Lindung membaca nilai, bukan rumus",
    "copy the cell and paste it back as values only (Paste Special > Values)",
    "salin sel lalu tempel kembali sebagai nilai saja (Paste Special > Values)",
)
FormulaInjection = _finding(
    "formula-injection",
    "Text that a spreadsheet would run",
    "the text {text!r} starts with '{first}', which a spreadsheet runs as a formula",
    "teks {text!r} diawali '{first}', yang dijalankan lembar kerja sebagai rumus",
    "remove the leading '{first}' or start the text with a letter",
    "hapus '{first}' di awal atau awali teks dengan huruf",
)
ControlCharacters = _finding(
    "control-characters",
    "Invisible characters",
    "the text holds invisible control characters ({found})",
    "teks berisi karakter kendali tak terlihat ({found})",
    "retype the text, or paste it as plain text",
    "ketik ulang teks, atau tempel sebagai teks biasa",
)
TextTooLong = _finding(
    "text-too-long",
    "Text too long",
    "the text is {length} characters long; the limit is {limit}",
    "panjang teks {length} karakter; batasnya {limit}",
    "shorten it; put long explanations in the metadata you send with the file",
    "persingkat; taruh penjelasan panjang di metadata yang dikirim bersama berkas",
)
NotANumber = _finding(
    "not-a-number",
    "Not a number",
    "{found!r} in '{column}' is not a number",
    "{found!r} di '{column}' bukan angka",
    "write the number with a dot for decimals and no thousands separator, e.g. 1234.5",
    "tulis angka dengan titik desimal tanpa pemisah ribuan, mis. 1234.5",
)
NotFinite = _finding(
    "not-finite",
    "Not a finite number",
    "{found!r} in '{column}' is not a finite number",
    "{found!r} di '{column}' bukan angka berhingga",
    "leave the cell empty if the value is not available",
    "kosongkan sel jika nilainya tidak tersedia",
)
MissingKey = _finding(
    "missing-key",
    "Key cell empty",
    "the row has a value but no '{column}'",
    "baris memiliki nilai tetapi tidak ada '{column}'",
    "restore the row from the template; do not clear the grey cells",
    "kembalikan baris dari templat; jangan kosongkan sel abu-abu",
)
UnknownSeries = _finding(
    "unknown-series",
    "Unknown indicator",
    "'{found}' is not a series of framework {version}",
    "'{found}' bukan seri dalam kerangka {version}",
    "use a series code from `lindung framework list`{hint}",
    "gunakan kode seri dari `lindung framework list`{hint}",
)
UnknownDimensionCode = _finding(
    "unknown-code",
    "Unknown code",
    "'{found}' is not a code of the {column} codelist",
    "'{found}' bukan kode dalam daftar kode {column}",
    "choose a code from the drop-down list; `_T` means total",
    "pilih kode dari daftar pilihan; `_T` berarti total",
)
DisaggregationNotDefined = _finding(
    "disaggregation-not-defined",
    "Disaggregation not defined",
    "{series} is not disaggregated by {column} in the framework",
    "{series} tidak dirinci menurut {column} dalam kerangka",
    "report this breakdown only for indicators whose template rows show it; set it to _T",
    "laporkan rincian ini hanya untuk indikator yang barisnya di templat memuatnya; isi _T",
)
CountryMismatch = _finding(
    "country-mismatch",
    "Other country",
    "the row is for '{found}' but the file is for '{expected}'",
    "baris ini untuk '{found}' tetapi berkas untuk '{expected}'",
    "send one file per country; move this row to that country's file",
    "kirim satu berkas per negara; pindahkan baris ini ke berkas negara itu",
)
YearMismatch = _finding(
    "year-mismatch",
    "Other year",
    "the row is for {found} but the file is for {expected}",
    "baris ini untuk {found} tetapi berkas untuk {expected}",
    "send one file per year; move this row to that year's file",
    "kirim satu berkas per tahun; pindahkan baris ini ke berkas tahun itu",
)
UnitMismatch = _finding(
    "unit-mismatch",
    "Other unit",
    "{series} is measured in '{expected}' but the row says '{found}'",
    "{series} diukur dalam '{expected}' tetapi baris menyebut '{found}'",
    "convert the value to {expected} and write '{expected}' as the unit",
    "ubah nilai ke {expected} dan tulis '{expected}' sebagai satuan",
)
DuplicateKey = _finding(
    "duplicate-key",
    "Duplicate row",
    "this row repeats the indicator and disaggregation of {first}",
    "baris ini mengulang indikator dan rincian pada {first}",
    "keep one of the two rows and delete the other",
    "simpan salah satu baris dan hapus yang lain",
)

#: Every finding type with a fixed code, for documentation and tests.
CATALOGUE: tuple[type[Finding], ...] = tuple(
    value
    for value in list(globals().values())
    if isinstance(value, type)
    and issubclass(value, Finding)
    and value.code != Finding.code
    and value is not RuleViolation
)

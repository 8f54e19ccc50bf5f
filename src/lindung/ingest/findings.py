"""The catalogue of findings a submission check can report, frictionless-style.

Each finding type is a small class with a stable ``code`` (what the UI translates and tests
assert on), a ``title``, a message template and a fix in English and Bahasa Indonesia, and a
severity: an ``error`` blocks the import, a ``warning`` only informs. Rule findings
(``RuleViolation``) take their code, severity, message and fix from the rule, which is data
(``ingest/rules/*.yaml``).
"""

from __future__ import annotations

from lindung.ingest.finding import Finding, Location, RuleViolation, Severity
from lindung.ingest.finding import declare as _finding

__all__ = ["CATALOGUE", "Finding", "Location", "RuleViolation", "Severity"]

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
    "the file is {size:~byte}; the limit is {limit:~byte}",
    "ukuran berkas {size:~byte}; batasnya {limit:~byte}",
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
    "the workbook expands to {size:~byte} when opened; the limit is {limit:~byte}",
    "buku kerja mengembang menjadi {size:~byte} saat dibuka; batasnya {limit:~byte}",
    "remove extra sheets, pictures and formatting; send the template's sheets only",
    "hapus lembar, gambar, dan format tambahan; kirim hanya lembar templat",
)
TooManyParts = _finding(
    "too-many-parts",
    "Too many workbook parts",
    "the workbook's zip holds {count:~part}; the limit is {limit:~part}",
    "zip buku kerja memuat {count:~bagian}; batasnya {limit:~bagian}",
    "remove extra sheets, pictures and formatting; send the template's sheets only",
    "hapus lembar, gambar, dan format tambahan; kirim hanya lembar templat",
)
TooManyRows = _finding(
    "too-many-rows",
    "Too many rows",
    "the file has more than {limit:~row}",
    "berkas memiliki lebih dari {limit:~baris}",
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
NotARegularFile = _finding(
    "not-a-regular-file",
    "Not a regular file",
    "'{name}' is {kind}, not a regular file, so it was not read",
    "'{name}' adalah {kind}, bukan berkas biasa, sehingga tidak dibaca",
    "save the data as an .xlsx or .csv file and check that file",
    "simpan data sebagai berkas .xlsx atau .csv lalu periksa berkas itu",
)
FileUnreadable = _finding(
    "file-unreadable",
    "File cannot be opened",
    "the file cannot be opened ({reason})",
    "berkas tidak dapat dibuka ({reason})",
    "check that the file exists and that you may read it",
    "periksa bahwa berkas ada dan Anda berhak membacanya",
)
DuplicatePart = _finding(
    "duplicate-part",
    "Workbook part repeated",
    "the workbook holds the part '{part}' twice; a spreadsheet and Lindung could read different "
    "ones",
    "buku kerja memuat bagian '{part}' dua kali; lembar kerja dan Lindung bisa membaca yang "
    "berbeda",
    "open the file in Excel or LibreOffice and save it again as .xlsx",
    "buka berkas di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx",
)
TooManyCells = _finding(
    "too-many-cells",
    "Too many cells",
    "the workbook holds more than {limit:~cell}",
    "buku kerja memuat lebih dari {limit:~sel}",
    "delete the rows and columns outside the template (select them, Delete), then save again",
    "hapus baris dan kolom di luar templat (pilih, lalu Delete), lalu simpan ulang",
)
TooManyEntries = _finding(
    "too-many-entries",
    "Workbook part too large",
    "the workbook's part '{part}' lists more than {limit:~entry|entries} (shared texts, "
    "cell styles or comments), far more than a filled template has",
    "bagian '{part}' buku kerja memuat lebih dari {limit:~entri} (teks bersama, gaya sel "
    "atau komentar), jauh lebih banyak dari templat yang terisi",
    "copy the filled cells into a fresh template (Paste Special > Values) and send that",
    "salin sel yang terisi ke templat baru (Paste Special > Values) lalu kirim berkas itu",
)
TooManyColumns = _finding(
    "too-many-columns",
    "Too many columns",
    "the header has {count:~column}; the limit is {limit:~column}",
    "baris judul memiliki {count:~kolom}; batasnya {limit:~kolom}",
    "restore the header row as in the template and delete the other columns",
    "kembalikan baris judul seperti di templat dan hapus kolom lainnya",
)
MalformedCsv = _finding(
    "malformed-csv",
    "Malformed CSV",
    "the CSV file cannot be read: {reason}",
    "berkas CSV tidak dapat dibaca: {reason}",
    "save it again from a spreadsheet as 'CSV UTF-8 (comma delimited)'",
    "simpan ulang dari lembar kerja sebagai 'CSV UTF-8 (comma delimited)'",
)
CellTooLarge = _finding(
    "cell-too-large",
    "Cell too large",
    "a cell starting on line {line} holds more than {limit:~character}, so the file is not read",
    "sel yang dimulai pada baris {line} berisi lebih dari {limit:~karakter}, sehingga berkas "
    "tidak dibaca",
    'a cell holds one value or a short note; look for a quote (") that is opened and never '
    "closed, which runs the rest of the file into one cell",
    'sel berisi satu nilai atau catatan singkat; cari tanda kutip (") yang dibuka tetapi '
    "tidak ditutup, sehingga sisa berkas masuk ke satu sel",
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
SheetRenamed = _finding(
    "sheet-renamed",
    "Sheet renamed",
    "sheet '{sheet}' is not a sheet of the template, but it has the template's columns, so its "
    "values were read (the template's sheet {missing} is missing)",
    "lembar '{sheet}' bukan lembar templat, tetapi memiliki kolom templat, sehingga nilainya "
    "dibaca "
    "(lembar templat {missing} tidak ada)",
    "give the sheet back its template name, or check that its values are the ones you meant",
    "kembalikan nama lembar seperti di templat, atau periksa bahwa nilainya memang yang dimaksud",
    "warning",
)
HiddenSheet = _finding(
    "hidden-sheet",
    "Values on a hidden sheet",
    "sheet '{sheet}' is hidden ({state}) but holds values, which would be imported unseen",
    "lembar '{sheet}' disembunyikan ({state}) tetapi berisi nilai, yang akan diimpor tanpa "
    "terlihat",
    "unhide the sheet (right-click a sheet tab, Unhide) and check its values, or delete it",
    "tampilkan lembar itu (klik kanan tab lembar, Unhide) dan periksa nilainya, atau hapus",
)
DuplicateCell = _finding(
    "duplicate-cell",
    "Cell stored twice",
    "the sheet's file holds cell {cell} twice; a spreadsheet shows one value and could import "
    "the other",
    "berkas lembar memuat sel {cell} dua kali; lembar kerja menampilkan satu nilai dan dapat "
    "mengimpor yang lain",
    "open the file in Excel or LibreOffice and save it again as .xlsx",
    "buka berkas di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx",
)
RowsOutOfOrder = _finding(
    "rows-out-of-order",
    "Rows out of order",
    "the sheet's file lists row {row} after row {after}; the file was not written by a spreadsheet",
    "berkas lembar mencantumkan baris {row} setelah baris {after}; berkas tidak ditulis oleh "
    "lembar kerja",
    "open the file in Excel or LibreOffice and save it again as .xlsx",
    "buka berkas di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx",
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
DuplicateColumn = _finding(
    "duplicate-column",
    "Column repeated",
    "the column '{name}' appears {count:~time} in the header, so which one holds the data "
    "is unclear; no row of this sheet is read",
    "kolom '{name}' muncul {count:~kali} di baris judul, sehingga tidak jelas mana yang berisi "
    "data; "
    "tidak ada baris lembar ini yang dibaca",
    "keep one '{name}' column and delete the others",
    "simpan satu kolom '{name}' dan hapus yang lain",
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
InvisibleCharacters = _finding(
    "invisible-characters",
    "Zero-width characters",
    "the text holds zero-width or formatting characters ({found}) that cannot be seen",
    "teks berisi karakter lebar-nol atau pemformatan ({found}) yang tidak terlihat",
    "retype the text, or paste it as plain text, unless your script needs them",
    "ketik ulang teks, atau tempel sebagai teks biasa, kecuali aksara Anda memerlukannya",
    "warning",
)
TextTooLong = _finding(
    "text-too-long",
    "Text too long",
    "the text is {length:~character} long; the limit is {limit:~character}",
    "panjang teks {length:~karakter}; batasnya {limit:~karakter}",
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
AmbiguousNumber = _finding(
    "ambiguous-number",
    "Ambiguous number",
    "{found!r} in '{column}' is ambiguous: the file writes decimals with a comma, so the dot "
    "could separate thousands or decimals",
    "{found!r} di '{column}' bermakna ganda: berkas menulis desimal dengan koma, sehingga titik "
    "bisa pemisah ribuan atau desimal",
    "write the number without a thousands separator, with a comma for decimals (e.g. 1500 or 1,5)",
    "tulis angka tanpa pemisah ribuan, dengan koma desimal (mis. 1500 atau 1,5)",
)
ImplausibleValue = _finding(
    "implausible-value",
    "Implausible value",
    "{found} is not a plausible value of {series}, measured in {unit} (at most {limit})",
    "{found} bukan nilai yang masuk akal untuk {series}, dalam satuan {unit} (paling besar "
    "{limit})",
    "check the figure and its unit; write the number itself, not in thousands or with extra digits",
    "periksa angka dan satuannya; tulis angkanya sendiri, bukan dalam ribuan atau dengan digit "
    "lebih",
)
PercentFormatRead = _finding(
    "percent-format-read",
    "Percent format",
    "the cell shows {shown} (the number {raw} in a percent format); it was read as {value}",
    "sel menampilkan {shown} (angka {raw} dalam format persen); dibaca sebagai {value}",
    "nothing to do if {value} is meant; otherwise type the percentage as a plain number",
    "tidak perlu apa-apa jika {value} yang dimaksud; jika tidak, ketik persentase sebagai angka "
    "biasa",
    "warning",
)
PercentFormatUnit = _finding(
    "percent-format-unit",
    "Percent format on a non-percentage",
    "the cell shows {shown} in a percent format, but {series} is measured in {unit}",
    "sel menampilkan {shown} dalam format persen, padahal {series} diukur dalam {unit}",
    "set the cell's format to Number and type the value in {unit}",
    "ubah format sel ke Number dan ketik nilai dalam {unit}",
)
CsvDialect = _finding(
    "csv-dialect",
    "CSV in another locale",
    "the CSV separates columns with {delimiter} and writes decimals with {decimal}; it was read "
    "that way",
    "CSV memisahkan kolom dengan {delimiter} dan menulis desimal dengan {decimal}; dibaca demikian",
    "nothing to do if the values read are right; 'CSV UTF-8 (comma delimited)' avoids the question",
    "tidak perlu apa-apa jika nilai yang dibaca benar; 'CSV UTF-8 (comma delimited)' "
    "menghindarinya",
    "warning",
)
YearInFuture = _finding(
    "year-in-future",
    "Year in the future",
    "the data are for {found}, a year that has not ended yet ({today})",
    "data untuk tahun {found}, tahun yang belum berakhir ({today})",
    "check the reference year; a projection belongs in the note, with nature E or M",
    "periksa tahun acuan; proyeksi dijelaskan di kolom note, dengan nature E atau M",
    "warning",
)
FindingsTruncated = _finding(
    "findings-truncated",
    "More findings",
    "only the first {shown:~} of {total:~finding} are listed",
    "hanya {shown:~} dari {total:~temuan} pertama yang dicantumkan",
    "fix these and check the file again to see the rest",
    "perbaiki temuan ini lalu periksa ulang berkas untuk melihat sisanya",
    "warning",
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
CodeNotApplicable = _finding(
    "code-not-applicable",
    "Breakdown not applicable",
    "{series} is not broken down by {column} {found} in the framework (its codes: {codes})",
    "{series} tidak dirinci menurut {column} {found} dalam kerangka (kodenya: {codes})",
    "report the breakdowns the template lists for this indicator",
    "laporkan rincian yang tercantum di templat untuk indikator ini",
    "warning",
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
Unmapped = _finding(
    "unmapped-code",
    "Not in the framework",
    "{count:~observation} with {column} '{code}', which the framework cannot hold; not imported",
    "{count:~observasi} memiliki {column} '{code}', yang tidak dapat dimuat kerangka; "
    "tidak diimpor",
    "leave these out of the file, or ask the secretariat to add the code to the framework",
    "keluarkan dari berkas, atau minta sekretariat menambahkan kode itu ke kerangka",
    "warning",
)

# Open SDG data folders (`lindung import open-sdg`): what does not map to the framework.
OpenSdgNoData = _finding(
    "opensdg-no-data",
    "No Open SDG data",
    "the folder holds no data file data/indicator_<id>.csv",
    "folder tidak memuat berkas data data/indicator_<id>.csv",
    "give the Open SDG data folder itself: the one holding data/ and meta/",
    "berikan folder data Open SDG itu sendiri: yang memuat data/ dan meta/",
)
OpenSdgUnknownIndicator = _finding(
    "opensdg-unknown-indicator",
    "Indicator not in the framework",
    "the file holds Open SDG indicator {indicator}, which is neither an SDG indicator of the "
    "framework nor one of its own series; no row of it is read",
    "berkas memuat indikator Open SDG {indicator}, yang bukan indikator SDG dalam kerangka "
    "maupun seri kerangka sendiri; tidak ada barisnya yang dibaca",
    "leave the file out, or rename it to an id `lindung export open-sdg` writes, such as "
    "indicator_1-3-1.csv or indicator_asp-cov.csv, if it holds that indicator",
    "keluarkan berkas itu, atau ganti namanya menjadi id yang ditulis `lindung export "
    "open-sdg`, seperti indicator_1-3-1.csv atau indicator_asp-cov.csv, jika isinya indikator itu",
)
OpenSdgMissingColumn = _finding(
    "opensdg-missing-column",
    "Open SDG column missing",
    "the file has no '{name}' column",
    "berkas tidak memiliki kolom '{name}'",
    "an Open SDG data file has a 'Year' column first and a 'Value' column last; restore it",
    "berkas data Open SDG memiliki kolom 'Year' di awal dan kolom 'Value' di akhir; kembalikan",
)
OpenSdgUnmappedColumn = _finding(
    "opensdg-unmapped-column",
    "Column not in the framework",
    "the column '{column}' is neither Year, Series, Units, GeoCode nor Value, nor a "
    "disaggregation of {indicator} in the framework ({known})",
    "kolom '{column}' bukan Year, Series, Units, GeoCode atau Value, dan bukan rincian "
    "{indicator} dalam kerangka ({known})",
    "rename the column to one of these, or delete it if it only repeats text such as the "
    "indicator's name",
    "ganti nama kolom menjadi salah satunya, atau hapus jika hanya mengulang teks seperti "
    "nama indikator",
)
OpenSdgUnmappedValue = _finding(
    "opensdg-unmapped-value",
    "Value not in the framework",
    "{found!r} in '{column}' is not {what}",
    "{found!r} di '{column}' bukan {what}",
    "write one of: {allowed}; leave the cell blank for the total",
    "tulis salah satu dari: {allowed}; kosongkan sel untuk total",
)
OpenSdgSeriesMissing = _finding(
    "opensdg-series-missing",
    "Series column missing",
    "indicator {indicator} has several series in the framework ({series}), but the file has "
    "no 'Series' column saying which one each row is",
    "indikator {indicator} memiliki beberapa seri dalam kerangka ({series}), tetapi berkas "
    "tidak memiliki kolom 'Series' yang menyebut seri setiap baris",
    "add a 'Series' column holding each row's series code",
    "tambahkan kolom 'Series' berisi kode seri setiap baris",
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

"""Findings about a workbook's sheets and the template's hidden metadata, and about how a
sheet's XML lists its rows and cells."""

from __future__ import annotations

from lindung.ingest.finding import declare as _finding

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
MetadataDisagrees = _finding(
    "metadata-disagrees",
    "Template metadata disagrees with the sheet",
    "the hidden sheet '{hidden_sheet}' gives the {key} as {hidden!r}, but {place} shows "
    "{shown!r}; nothing is imported until they agree",
    "lembar tersembunyi '{hidden_sheet}' menyebut {key} {hidden!r}, tetapi {place} "
    "menampilkan {shown!r}; tidak ada yang diimpor sampai keduanya sama",
    "make a fresh template for the {key} you mean with `lindung template make` and copy your "
    "values into it; do not edit the hidden sheet",
    "buat templat baru untuk {key} yang Anda maksud dengan `lindung template make` lalu salin "
    "nilai Anda ke dalamnya; jangan ubah lembar tersembunyi",
)
MetadataUnconfirmed = _finding(
    "metadata-unconfirmed",
    "Template metadata not shown",
    "the {key} ({hidden!r}) comes only from the hidden sheet '{hidden_sheet}': the visible "
    "instructions sheet ({visible}) does not show it",
    "{key} ({hidden!r}) hanya berasal dari lembar tersembunyi '{hidden_sheet}': lembar "
    "petunjuk yang terlihat ({visible}) tidak menampilkannya",
    "check that {hidden!r} is the {key} you mean; a fresh template from `lindung template "
    "make` shows it on its instructions sheet",
    "periksa bahwa {hidden!r} adalah {key} yang Anda maksud; templat baru dari `lindung "
    "template make` menampilkannya di lembar petunjuk",
    "warning",
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
HiddenRows = _finding(
    "hidden-rows",
    "Values in hidden rows",
    "rows {rows} of sheet '{sheet}' are hidden but hold values ({count:~row}); they are "
    "imported, though a reviewer looking at the sheet in Excel does not see them",
    "baris {rows} pada lembar '{sheet}' disembunyikan tetapi berisi nilai ({count:~baris}); "
    "nilainya diimpor, walaupun peninjau yang melihat lembar itu di Excel tidak melihatnya",
    "unhide them (select the rows around them, right-click, Unhide; or clear the filter) and "
    "check their values, or delete the rows",
    "tampilkan baris itu (pilih baris di sekitarnya, klik kanan, Unhide; atau hapus filter) "
    "dan periksa nilainya, atau hapus barisnya",
    "warning",
)
HiddenColumns = _finding(
    "hidden-columns",
    "Values in hidden columns",
    "columns {columns} of sheet '{sheet}' are hidden but hold values ({count:~column}); they "
    "are imported, though a reviewer looking at the sheet in Excel does not see them",
    "kolom {columns} pada lembar '{sheet}' disembunyikan tetapi berisi nilai ({count:~kolom}); "
    "nilainya diimpor, walaupun peninjau yang melihat lembar itu di Excel tidak melihatnya",
    "unhide them (select the columns around them, right-click, Unhide) and check their "
    "values, or clear them",
    "tampilkan kolom itu (pilih kolom di sekitarnya, klik kanan, Unhide) dan periksa "
    "nilainya, atau kosongkan",
    "warning",
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

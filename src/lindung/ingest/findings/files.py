"""Findings about the file itself: what it is, its size and its parts, before any cell is
read. Any one of them leaves the file unread (``reader.UNREADABLE``)."""

from __future__ import annotations

from lindung.ingest.finding import declare as _finding

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
    "cell styles, comments, or a sheet's data validations, conditional formats, merged "
    "ranges, hyperlinks), far more than a filled template has",
    "bagian '{part}' buku kerja memuat lebih dari {limit:~entri} (teks bersama, gaya sel, "
    "komentar, atau validasi data, format bersyarat, sel gabungan, tautan pada lembar), jauh "
    "lebih banyak dari templat yang terisi",
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

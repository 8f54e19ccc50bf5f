"""Findings about a sheet's or a CSV's header row, and about rows that report nothing."""

from __future__ import annotations

from lindung.ingest.finding import declare as _finding

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
KeyColumnInWorkbook = _finding(
    "key-column-in-workbook",
    "Country or year column in a workbook",
    "the column '{name}' would give each row its {field}, but a workbook takes its {field} from "
    "the template itself ({found}, kept in its hidden sheet '_lindung' and shown on the "
    "Instructions sheet); the column is not read, so every value in it would be replaced by "
    "{found}",
    "kolom '{name}' akan memberi setiap baris {field}-nya, tetapi buku kerja mengambil {field} "
    "dari templat itu sendiri ({found}, disimpan di lembar tersembunyi '_lindung' dan tampil di "
    "lembar Petunjuk); kolom ini tidak dibaca, sehingga setiap nilainya akan diganti dengan "
    "{found}",
    "delete the column; for another country or year make that template with `lindung template "
    "make --country ISO3 --year YYYY` and copy the values into it",
    "hapus kolom ini; untuk negara atau tahun lain buat templatnya dengan `lindung template "
    "make --country ISO3 --year YYYY` lalu salin nilainya ke sana",
)
KeyColumnInCsv = _finding(
    "key-column-in-csv",
    "Second country or year column in a CSV",
    "the column '{name}' would give each row its {field}, but a CSV takes each row's {field} "
    "from its '{field}' column; '{name}' is not read, so its values would be replaced by "
    "those of '{field}'",
    "kolom '{name}' akan memberi setiap baris {field}-nya, tetapi CSV mengambil {field} setiap "
    "baris dari kolom '{field}'; '{name}' tidak dibaca, sehingga nilainya akan diganti dengan "
    "nilai di '{field}'",
    "write each row's {field} in the '{field}' column and delete '{name}'",
    "tulis {field} setiap baris di kolom '{field}' lalu hapus '{name}'",
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

"""Findings about a row's key: its series, codes, country, year and unit, and a key given
twice."""

from __future__ import annotations

from lindung.ingest.finding import declare as _finding

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

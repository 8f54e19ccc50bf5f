"""Findings of an Open SDG data folder (`lindung import open-sdg`): what does not map to the
framework."""

from __future__ import annotations

from lindung.ingest.finding import declare as _finding

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

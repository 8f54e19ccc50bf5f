"""Findings about one cell's content: formulas, text a spreadsheet would run, invisible
characters, numbers that are not numbers or not plausible; and the report's own notes."""

from __future__ import annotations

from lindung.ingest.finding import declare as _finding

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
PercentSignInText = _finding(
    "percent-sign-in-text",
    "Percent sign typed",
    "{found!r} in '{column}' is a number with a percent sign typed after it",
    "{found!r} di '{column}' adalah angka dengan tanda persen diketik di belakangnya",
    "write the percentage as a plain number without the % sign: {number} (percentages are 0 "
    "to 100)",
    "tulis persentase sebagai angka biasa tanpa tanda %: {number} (persentase bernilai 0 "
    "sampai 100)",
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

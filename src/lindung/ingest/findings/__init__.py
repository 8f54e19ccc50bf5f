"""The catalogue of findings a submission check can report, frictionless-style.

Each finding type is a small class with a stable ``code`` (what the UI translates and tests
assert on), a ``title``, a message template and a fix in English and Bahasa Indonesia, and a
severity: an ``error`` blocks the import, a ``warning`` only informs. Rule findings
(``RuleViolation``) take their code, severity, message and fix from the rule, which is data
(``ingest/rules/*.yaml``).

The types are declared by concept, one module each: ``files`` (the file and its parts),
``workbook`` (sheets, the template's metadata, the sheet's XML), ``columns`` (the header),
``values`` (one cell's content), ``keys`` (a row's series, codes, country and year) and
``open_sdg``; every one is importable from here.
"""

from __future__ import annotations

from lindung.ingest.finding import Finding, Location, RuleViolation, Severity
from lindung.ingest.findings import columns, files, keys, open_sdg, values, workbook
from lindung.ingest.findings.columns import (
    DuplicateColumn,
    ExtraColumn,
    KeyColumnInCsv,
    KeyColumnInWorkbook,
    MissingColumn,
    NothingReported,
    ValueMissing,
)
from lindung.ingest.findings.files import (
    CellTooLarge,
    DuplicatePart,
    EncodingError,
    FileEmpty,
    FileTooLarge,
    FileUnreadable,
    MalformedCsv,
    NotARegularFile,
    NotAWorkbook,
    TooManyCells,
    TooManyColumns,
    TooManyEntries,
    TooManyParts,
    TooManyRows,
    UnsupportedFormat,
    UnzippedTooLarge,
)
from lindung.ingest.findings.keys import (
    CodeNotApplicable,
    CountryMismatch,
    DisaggregationNotDefined,
    DuplicateKey,
    MissingKey,
    UnitMismatch,
    UnknownDimensionCode,
    UnknownSeries,
    Unmapped,
    YearMismatch,
)
from lindung.ingest.findings.open_sdg import (
    OpenSdgMissingColumn,
    OpenSdgNoData,
    OpenSdgSeriesMissing,
    OpenSdgUnknownIndicator,
    OpenSdgUnmappedColumn,
    OpenSdgUnmappedValue,
)
from lindung.ingest.findings.values import (
    AmbiguousNumber,
    ControlCharacters,
    CsvDialect,
    FindingsTruncated,
    FormulaInjection,
    FormulaNotAllowed,
    ImplausibleValue,
    InvisibleCharacters,
    NotANumber,
    NotFinite,
    PercentFormatRead,
    PercentFormatUnit,
    PercentSignInText,
    TextTooLong,
    YearInFuture,
)
from lindung.ingest.findings.workbook import (
    DuplicateCell,
    FrameworkVersionDiffers,
    HiddenColumns,
    HiddenRows,
    HiddenSheet,
    InvalidYear,
    MergedCells,
    MetadataDisagrees,
    MetadataInvalid,
    MetadataMissing,
    MetadataUnconfirmed,
    RowsOutOfOrder,
    SheetIgnored,
    SheetMissing,
    SheetRenamed,
    TemplateVersionMismatch,
    UnknownCountry,
)

#: Every finding type with a fixed code, in the order the modules declare them, for
#: documentation and tests.
CATALOGUE: tuple[type[Finding], ...] = tuple(
    value
    for module in (files, workbook, columns, values, keys, open_sdg)
    for value in vars(module).values()
    if isinstance(value, type) and issubclass(value, Finding) and value.code != Finding.code
)

__all__ = [
    "CATALOGUE",
    "AmbiguousNumber",
    "CellTooLarge",
    "CodeNotApplicable",
    "ControlCharacters",
    "CountryMismatch",
    "CsvDialect",
    "DisaggregationNotDefined",
    "DuplicateCell",
    "DuplicateColumn",
    "DuplicateKey",
    "DuplicatePart",
    "EncodingError",
    "ExtraColumn",
    "FileEmpty",
    "FileTooLarge",
    "FileUnreadable",
    "Finding",
    "FindingsTruncated",
    "FormulaInjection",
    "FormulaNotAllowed",
    "FrameworkVersionDiffers",
    "HiddenColumns",
    "HiddenRows",
    "HiddenSheet",
    "ImplausibleValue",
    "InvalidYear",
    "InvisibleCharacters",
    "KeyColumnInCsv",
    "KeyColumnInWorkbook",
    "Location",
    "MalformedCsv",
    "MergedCells",
    "MetadataDisagrees",
    "MetadataInvalid",
    "MetadataMissing",
    "MetadataUnconfirmed",
    "MissingColumn",
    "MissingKey",
    "NotANumber",
    "NotARegularFile",
    "NotAWorkbook",
    "NotFinite",
    "NothingReported",
    "OpenSdgMissingColumn",
    "OpenSdgNoData",
    "OpenSdgSeriesMissing",
    "OpenSdgUnknownIndicator",
    "OpenSdgUnmappedColumn",
    "OpenSdgUnmappedValue",
    "PercentFormatRead",
    "PercentFormatUnit",
    "PercentSignInText",
    "RowsOutOfOrder",
    "RuleViolation",
    "Severity",
    "SheetIgnored",
    "SheetMissing",
    "SheetRenamed",
    "TemplateVersionMismatch",
    "TextTooLong",
    "TooManyCells",
    "TooManyColumns",
    "TooManyEntries",
    "TooManyParts",
    "TooManyRows",
    "UnitMismatch",
    "UnknownCountry",
    "UnknownDimensionCode",
    "UnknownSeries",
    "Unmapped",
    "UnsupportedFormat",
    "UnzippedTooLarge",
    "ValueMissing",
    "YearInFuture",
    "YearMismatch",
]

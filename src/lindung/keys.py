"""The observation key: the SDG DSD names of an observation's disaggregation dimensions and the
fields that identify one value. Dependency-free, so that every layer (store, ingest, assess,
exchange) names them from one place without loading another layer."""

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

#: The disaggregation dimensions of an observation key, SDG DSD names; "_T" means total.
DIMENSIONS: tuple[str, ...] = (
    "sex",
    "age",
    "urbanisation",
    "income_wealth_quantile",
    "disability_status",
    "group",
    "program",
    "poverty_line",
)

#: What identifies one value: its series, area, period and every dimension.
KEY: tuple[str, ...] = ("series", "ref_area", "time_period", *DIMENSIONS)

#: The largest id the store's INTEGER id columns hold on both engines (32 bits on PostgreSQL,
#: which refuses a larger parameter outright; SQLite, with 64 bits, overflows beyond 2**63).
MAX_ID = 2**31 - 1

#: The years an option or a query may name: every value the framework measures lies between.
FIRST_YEAR = 1900
LAST_YEAR = 2100

#: Kinds of submission that carry a country's own figures, each produced by a person and
#: published only through review: a filled template, a survey run, an SDMX or Open SDG
#: import, a registry run.
COUNTRY_KINDS: tuple[str, ...] = ("template", "survey", "sdmx", "opensdg", "registry")
#: Regional figures computed from published country values by the secretariat.
AGGREGATE_KIND = "assessment"
#: Shipped reference data (UN SDG database, World Bank, UN WPP, Maddison): published as loaded.
REFERENCE_KIND = "reference"
KINDS: tuple[str, ...] = (*COUNTRY_KINDS, AGGREGATE_KIND, REFERENCE_KIND)

#: The values a regional aggregate may be computed from, by the kinds of submission each
#: reads (None: every kind). ``current`` is the store's one rule, the latest published value
#: of each key whatever its source; ``international`` only the reference data (UN SDG
#: database and the other agencies); ``national`` only the countries' own submissions.
VALUE_BASES: dict[str, tuple[str, ...] | None] = {
    "current": None,
    "international": (REFERENCE_KIND,),
    "national": COUNTRY_KINDS,
}

#: The series of the shipped UN WPP population (persons), the weights of regional aggregates.
POPULATION_SERIES = "ASP_POP"


class Breakdown(TypedDict):
    """A series, an area and every dimension: a key without its period (the rows of a
    series' time line, judged across years). Rows that carry one extend this."""

    series: str
    ref_area: str
    sex: str
    age: str
    urbanisation: str
    income_wealth_quantile: str
    disability_status: str
    group: str
    program: str
    poverty_line: str


class Key(TypedDict):
    """Every field of ``KEY``, each given (totals as ``_T``): the rows that name one value."""

    series: str
    ref_area: str
    time_period: int
    sex: str
    age: str
    urbanisation: str
    income_wealth_quantile: str
    disability_status: str
    group: str
    program: str
    poverty_line: str


class Observation(TypedDict):
    """One value on its way into the store, as every reader (template, survey run, SDMX,
    Open SDG, registry) hands it to ``store.insert_observations``.

    A dimension left out is a total (``_T``); the store checks each row again and refuses a
    malformed one, naming it.
    """

    series: str
    ref_area: str
    time_period: int
    value: float
    unit: str
    sex: NotRequired[str]
    age: NotRequired[str]
    urbanisation: NotRequired[str]
    income_wealth_quantile: NotRequired[str]
    disability_status: NotRequired[str]
    group: NotRequired[str]
    program: NotRequired[str]
    poverty_line: NotRequired[str]
    se: NotRequired[float | None]
    ci_low: NotRequired[float | None]
    ci_high: NotRequired[float | None]
    nature: NotRequired[str | None]
    obs_status: NotRequired[str | None]
    source: NotRequired[str | None]
    comment: NotRequired[str | None]


def breakdown_fields(record: Mapping[Any, Any]) -> Breakdown:
    """Return the series, area and every dimension of ``record`` (a frame's row, every field
    present) as text: the fields a row judged across years starts with, in ``KEY`` order."""
    return Breakdown(
        series=str(record["series"]),
        ref_area=str(record["ref_area"]),
        sex=str(record["sex"]),
        age=str(record["age"]),
        urbanisation=str(record["urbanisation"]),
        income_wealth_quantile=str(record["income_wealth_quantile"]),
        disability_status=str(record["disability_status"]),
        group=str(record["group"]),
        program=str(record["program"]),
        poverty_line=str(record["poverty_line"]),
    )


def key_fields(record: Mapping[Any, Any]) -> Key:
    """Return every field of ``KEY`` of ``record`` (a frame's row, every field present), the
    codes as text and the period as a year: the fields a row naming one value starts with,
    in ``KEY`` order (a table's columns follow it)."""
    return Key(
        series=str(record["series"]),
        ref_area=str(record["ref_area"]),
        time_period=int(record["time_period"]),
        sex=str(record["sex"]),
        age=str(record["age"]),
        urbanisation=str(record["urbanisation"]),
        income_wealth_quantile=str(record["income_wealth_quantile"]),
        disability_status=str(record["disability_status"]),
        group=str(record["group"]),
        program=str(record["program"]),
        poverty_line=str(record["poverty_line"]),
    )


def key_of(row: Mapping[str, object]) -> tuple[object, ...]:
    """Return the key of an observation in ``KEY`` order; a dimension left out is a total."""
    return tuple(row.get(name, "_T") if name in DIMENSIONS else row.get(name) for name in KEY)


__all__ = [
    "AGGREGATE_KIND",
    "COUNTRY_KINDS",
    "DIMENSIONS",
    "KEY",
    "KINDS",
    "MAX_ID",
    "POPULATION_SERIES",
    "REFERENCE_KIND",
    "VALUE_BASES",
    "Breakdown",
    "Key",
    "Observation",
    "breakdown_fields",
    "key_fields",
    "key_of",
]

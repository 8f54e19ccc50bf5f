"""The options of ``lindung assess``: the shared declarations, and the checks that turn what a
user typed into the values the assessment takes. Each check refuses with one line saying how to
fix the input, before the store is read."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import typer

from lindung.cli.codes import canonical
from lindung.cli.output import Format
from lindung.cli.years import year_option
from lindung.errors import UnknownCode, UsageError
from lindung.framework import Catalogue
from lindung.text import shown_number

if TYPE_CHECKING:
    from lindung.assess.progress import Method

# Options that several commands share.
SeriesOption = typer.Option(
    [],
    "--series",
    help="Series code (repeatable); default: all.",
    metavar="SERIES",
    callback=canonical,
)
AreaOption = typer.Option(
    [],
    "--area",
    help="ISO3 code of a member state (repeatable).",
    metavar="AREA",
    callback=canonical,
)
YearOption = year_option(None, "--year", help="Assess as of this year (data up to it).")
UnpublishedOption = typer.Option(
    False,
    "--include-unpublished",
    help="Also use values not yet published (needs --as a secretariat or admin user).",
)
ActorOption = typer.Option(
    None,
    "--as",
    help="Which account logged in here reads unpublished values (default: the active one).",
)
FormatOption = typer.Option(Format.table, "--format", help="Output format.")

# Options of one or two commands: progress and matrix.
MethodOption = typer.Option("opensdg", "--method", help="escap or opensdg.")
TargetOption = typer.Option(None, "--target", help="Override the target value.")
TargetYearOption = year_option(None, "--target-year", help="Override the year.")
BaseYearOption = year_option(None, "--base-year", help="Override the base year.")
RegionalOption = typer.Option(
    False, "--regional", help="Also assess ASEAN and ASEAN10 (simple and weighted means)."
)
TotalsOnlyOption = typer.Option(False, "--totals-only", help="Only the _T series.")
MatrixAreaOption = typer.Option(
    "ASEAN", "--area", help="ISO3 code of a member state, or ASEAN.", callback=canonical
)

# availability and tiers.
AvailabilitySinceOption = year_option(
    2015, "--since", help="Baseline: count data points from here."
)
TiersSinceOption = year_option(2015, "--since", help="Baseline of 'regularly produced'.")
MinPointsOption = typer.Option(2, "--min-points", help="Points that make 'regular'.")

# consistency.
ToleranceOption = typer.Option(
    [],
    "--tolerance",
    help="SERIES=VALUE: allowed absolute difference (repeatable).",
    metavar="SERIES=VALUE",
)
SummaryOption = typer.Option(False, "--summary", help="Print the per-country summary.")

# aggregate.
AggregateYearOption = year_option(None, "--year", help="Only this year (default: all).")
RegionOption = typer.Option(
    [],
    "--region",
    help="ASEAN (11 members) or ASEAN10 (without TLS); default both.",
    metavar="REGION",
    callback=canonical,
)
MinShareOption = typer.Option(
    0.5, "--min-share", help="No aggregate below this share of the relevant population."
)
PopulationOption = typer.Option(
    None, "--population", help="Override the weights: TOTAL, Y0T14, Y0T17, Y15T64, Y_GE65..."
)
StoreOption = typer.Option(
    True, "--store/--no-store", help="Store the aggregates as observations for the region."
)
StoreMethodOption = typer.Option(
    "population_weighted",
    "--store-method",
    help="Which mean to store: population_weighted or simple_mean.",
)
BasisOption = typer.Option(
    "current",
    "--basis",
    help="Which member-state values: current (the latest published, national or "
    "international), international (reference data only) or national (countries' own only).",
)


def value_basis(basis: str) -> tuple[str, ...] | None:
    """Return the kinds of submission ``--basis`` reads (None: every kind)."""
    from lindung.keys import VALUE_BASES

    if basis not in VALUE_BASES:
        raise UsageError(f"--basis {basis!r} is not known; use one of {', '.join(VALUE_BASES)}")
    return VALUE_BASES[basis]


# spi.
CsvOption = typer.Option(
    None, "--csv", help="Expenditure and beneficiaries as CSV (columns in docs)."
)
Pre2016Option = typer.Option(
    False, "--pre-2016", help="ADB's old convention: divide by a quarter of GDP per capita."
)

# index.
IndexSeriesOption = typer.Option(
    [],
    "--series",
    help="Indicators of the index (repeatable); default: coverage pillar.",
    metavar="SERIES",
    callback=canonical,
)
WindowOption = typer.Option(
    5, "--window", help="Use each country's latest value within this many years."
)
NormalisationOption = typer.Option(
    "minmax", "--normalisation", help="minmax, zscore, goalposts or rank."
)
WeightingOption = typer.Option("equal", "--weighting", help="equal, pillar or custom.")
WeightOption = typer.Option(
    [], "--weight", help="SERIES=W for custom weights (repeatable).", metavar="SERIES=W"
)
GoalpostOption = typer.Option(
    [], "--goalpost", help="SERIES=LOW:HIGH (repeatable).", metavar="SERIES=LOW:HIGH"
)
AggregationOption = typer.Option("arithmetic", "--aggregation", help="arithmetic or geometric.")
MissingOption = typer.Option("available", "--missing", help="available, mean or exclude.")
MinCoverageOption = typer.Option(
    0.5, "--min-coverage", help="Weight a country needs (available rule)."
)
DrawsOption = typer.Option(1000, "--draws", min=1, help="Monte Carlo draws for the rank intervals.")
SeedOption = typer.Option(20130901, "--seed", help="Random seed (results are reproducible).")


Value = TypeVar("Value")


def checked_catalogue(series: list[str], areas: list[str]) -> Catalogue:
    """Return the catalogue once every ``--series`` and ``--area`` code is known to it
    (``assess.selection``, loaded only when a command runs)."""
    from lindung.assess import selection

    return selection.checked_catalogue(series, areas)


def assessable(catalogue: Catalogue, series: list[str]) -> list[str]:
    """Return the series asked for, or every indicator but the context series."""
    from lindung.assess import selection

    return selection.assessable(catalogue, series)


def member_states(catalogue: Catalogue, areas: list[str]) -> list[str]:
    """Return the areas asked for, or the eleven member states."""
    from lindung.assess import selection

    return selection.member_states(catalogue, areas)


def progress_method(method: str) -> Method:
    """Return ``--method`` as the progress method it names."""
    if method == "escap":
        return "escap"
    if method == "opensdg":
        return "opensdg"
    raise UsageError(f"unknown method {method!r}; use --method escap or opensdg")


def regions(catalogue: Catalogue, region: list[str]) -> dict[str, tuple[str, ...]]:
    """Return the ``--region`` codes asked for (default: every region of the catalogue, ASEAN
    and ASEAN10), each with its member states as the catalogue lists them."""
    from lindung.assess.aggregates import regions as catalogue_regions

    known = catalogue_regions(catalogue)
    for code in region:
        if code not in known:
            raise UnknownCode("region", code, f"use {' or '.join(known)}")
    return {code: known[code] for code in region} if region else known


def share(value: float, option: str, meaning: str) -> float:
    """Return ``value`` if it is a share, a number from 0 to 1; else raise UsageError
    saying so (``2`` or ``50`` is a percentage typed where a share is asked)."""
    if math.isfinite(value) and 0 <= value <= 1:
        return value
    hint = f" ({shown_number(value / 100)} for {shown_number(value)} %)" if 1 < value <= 100 else ""
    raise UsageError(
        f"{option} {shown_number(value)}: {meaning} is a share from 0 to 1, e.g. 0.5 for half{hint}"
    )


def at_least_one(value: int, option: str, meaning: str) -> int:
    """Return ``value`` if it is 1 or more; else raise UsageError saying so."""
    if value >= 1:
        return value
    raise UsageError(f"{option} {value}: {meaning} is a whole number of 1 or more")


def unpublished_allowed(include_unpublished: bool, actor: str | None) -> None:
    """Raise PermissionDenied when values not yet published are asked for by anyone but the
    secretariat or an admin (``--as``): drafts are theirs to review, not yet anyone's figures."""
    if include_unpublished:
        from lindung.cli.assess_store import require_unpublished_reader

        require_unpublished_reader(actor)


@dataclass(frozen=True)
class SeriesValueOption(Generic[Value]):
    """A ``--OPTION SERIES=VALUE`` option: how its value is written and read, and what it
    must be."""

    name: str
    #: The value's form as the error shows it, e.g. ``NUMBER``.
    form: str
    #: A value to show in examples, e.g. ``3``.
    example: str
    #: Read the text after ``=``; raises ValueError when it is not of the form.
    read: Callable[[str], Value]
    #: Whether the option can take the value read.
    valid: Callable[[Value], bool]
    #: What the value must be, in words, for the error.
    rule: str


def _goalposts(text: str) -> tuple[float, float]:
    low, high = text.split(":")
    return float(low), float(high)


def _finite_and_not_negative(value: float) -> bool:
    return math.isfinite(value) and value >= 0


TOLERANCE = SeriesValueOption(
    "--tolerance",
    "NUMBER",
    "3",
    float,
    _finite_and_not_negative,
    "the tolerance is the difference allowed, a number of 0 or more (in the series' unit)",
)
WEIGHT = SeriesValueOption(
    "--weight",
    "NUMBER",
    "1",
    float,
    _finite_and_not_negative,
    "a weight is a number of 0 or more (the weights are scaled to add up to 1)",
)
GOALPOST = SeriesValueOption(
    "--goalpost",
    "LOW:HIGH",
    "0:100",
    _goalposts,
    lambda posts: all(map(math.isfinite, posts)) and posts[0] < posts[1],
    "goalposts are two numbers in the series' unit, LOW below HIGH (a value at LOW scores 0 "
    "and at HIGH 1, the other way round for a lower-is-better series)",
)


def series_values(
    catalogue: Catalogue,
    items: list[str],
    option: SeriesValueOption[Value],
    used: Collection[str],
    unused: Callable[[str], str],
) -> dict[str, Value]:
    """Return ``option``'s ``SERIES=VALUE`` items by series: each series of the catalogue,
    given once and among ``used`` (else ``unused(code)`` says why and how to fix it), each
    value of the option's form and rule."""
    values: dict[str, Value] = {}
    given: dict[str, str] = {}
    for item in items:
        code, _, text = item.partition("=")
        code = canonical(code)
        try:
            catalogue.indicator(code)
        except UnknownCode as error:
            raise UsageError(f"{option.name} {item}: {error}") from None
        if code in given:
            raise UsageError(
                f"{option.name} {item}: {code} is given twice (also {option.name} "
                f"{given[code]}); keep one"
            )
        if code not in used:
            raise UsageError(f"{option.name} {item}: {unused(code)}")
        try:
            value = option.read(text)
        except ValueError:
            raise UsageError(
                f"{option.name} {item!r} is not SERIES={option.form}, e.g. {code}={option.example}"
            ) from None
        if not option.valid(value):
            raise UsageError(f"{option.name} {item}: {option.rule}, e.g. {code}={option.example}")
        given[code] = item
        values[code] = value
    return values


def tolerances(catalogue: Catalogue, items: list[str], compared: list[str]) -> dict[str, float]:
    """Return the ``--tolerance SERIES=VALUE`` overrides: each for a compared series that has
    an international equivalent, a finite number of 0 or more."""
    from lindung.assess.equivalents import equivalents

    def unused(code: str) -> str:
        if not equivalents(catalogue.indicator(code)):
            return (
                f"{code} has no international equivalent in the framework, so it is never "
                "compared; drop the tolerance"
            )
        return (
            f"{code} is not among the series compared; add --series {code}, or drop the tolerance"
        )

    with_equivalents = [code for code in compared if equivalents(catalogue.indicator(code))]
    return series_values(catalogue, items, TOLERANCE, with_equivalents, unused)


def index_series(catalogue: Catalogue, series: list[str]) -> list[str]:
    """Return the indicators of the index: those asked for, or the SDG 1.3.1 coverage series."""
    return series or [
        i.code
        for i in catalogue.indicators
        if i.pillar == "coverage" and i.unit == "percent" and i.code.startswith("SI_COV")
    ]


def index_weights_and_goalposts(
    catalogue: Catalogue,
    series: list[str],
    weighting: str,
    weights: list[str],
    goalposts: list[str],
) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Return the index's ``--weight SERIES=W`` (finite, 0 or more, not all 0; only with
    ``--weighting custom``) and ``--goalpost SERIES=LOW:HIGH`` (finite, LOW < HIGH), each for
    an indicator of the index."""
    codes = index_series(catalogue, series)

    def outside(noun: str) -> Callable[[str], str]:
        def unused(code: str) -> str:
            if series:
                return (
                    f"{code} is not among the indicators of the index; add --series {code}, "
                    f"or drop the {noun}"
                )
            return (
                f"{code} is not among the indicators of the index (by default the SI_COV_ "
                f"coverage series); name every indicator wanted with --series, {code} among "
                f"them, or drop the {noun}"
            )

        return unused

    custom = series_values(catalogue, weights, WEIGHT, codes, outside("weight"))
    if custom and weighting != "custom":
        raise UsageError(
            "--weight is used only with --weighting custom; add --weighting custom, "
            "or drop --weight"
        )
    if custom and not any(custom.values()):
        raise UsageError(
            "--weight: every weight is 0, so nothing would count; give one a weight above 0"
        )
    posts = series_values(catalogue, goalposts, GOALPOST, codes, outside("goalposts"))
    return custom, posts

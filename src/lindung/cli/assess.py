"""``lindung assess``: progress, the vulnerable-groups matrix, availability, tiers, consistency,
regional aggregates, the ADB SPI and a composite index, computed from the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from lindung.cli import assess_options as options
from lindung.cli.output import Format, console, error_console, print_rows
from lindung.errors import AssessmentError, UsageError
from lindung.framework import Catalogue
from lindung.text import counted, shown_number

if TYPE_CHECKING:
    from lindung.assess.aggregates import Aggregate
    from lindung.assess.progress_table import ProgressRow
    from lindung.assess.spi import Spi

# The assessment (and lindung.cli.assess_store) bring pandas and the store, so each command
# imports them itself: `lindung --help` and the other groups start without them.

app = typer.Typer(
    help="Assess progress, availability, consistency and regional figures.",
    no_args_is_help=True,
)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _print(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str,
    columns: str | None = None,
) -> None:
    """Print rows; a table shows ``columns`` (names separated by spaces) with numbers to 4
    decimals; JSON and CSV carry every field at full precision."""
    shown = (
        [{k: _rounded(v) for k, v in row.items()} for row in rows] if fmt is Format.table else rows
    )
    shown_columns = columns.split() if columns and fmt is Format.table else None
    print_rows(shown, fmt, title=title, columns=shown_columns)


@app.command("progress")
def progress(
    series: list[str] = options.SeriesOption,
    area: list[str] = options.AreaOption,
    year: int | None = options.YearOption,
    method: str = options.MethodOption,
    target: float | None = options.TargetOption,
    target_year: int | None = options.TargetYearOption,
    base_year: int | None = options.BaseYearOption,
    regional: bool = options.RegionalOption,
    totals_only: bool = options.TotalsOnlyOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print the progress of each series, area and disaggregation towards its target."""
    from lindung.assess.aggregates import aggregate_table
    from lindung.assess.headline import headline
    from lindung.assess.progress_table import (
        RegionalProgressRow,
        escap_selection,
        goal_for,
        progress_rows,
        regional_progress,
    )
    from lindung.cli.assess_store import read_current, read_population

    options.unpublished_allowed(include_unpublished, actor)

    chosen = options.progress_method(method)
    catalogue = options.checked_catalogue(series, area)
    codes = options.assessable(catalogue, series)
    goals = {
        code: goal_for(
            catalogue.indicator(code), target=target, target_year=target_year, base_year=base_year
        )
        for code in codes
    }
    frame = read_current(codes, options.member_states(catalogue, area), year, include_unpublished)
    if totals_only:
        frame = headline(frame)
    rows: Sequence[ProgressRow] = progress_rows(frame, goals, chosen)
    if regional:
        beside: list[RegionalProgressRow] = [
            RegionalProgressRow(**row, aggregation=None) for row in rows
        ]
        population = read_population()
        for region, members in options.regions(catalogue, []).items():
            excluded = escap_selection(frame, members) if chosen == "escap" else {}
            aggregates = aggregate_table(catalogue, codes, {region: members}, frame, population)
            beside.extend(regional_progress(aggregates, goals, chosen, excluded))
        rows = beside
    _print(
        rows,
        fmt,
        title=f"Progress ({method}): "
        f"{counted(len({r['series'] for r in rows}), 'series', 'series')}, "
        f"{counted(len(rows), 'row')}",
        columns=(
            "series ref_area sex age aggregation status base_year base_value current_year "
            "current_value target progress_value reason"
        ),
    )


@app.command("matrix")
def matrix(
    area: str = options.MatrixAreaOption,
    year: int | None = options.YearOption,
    method: str = options.MethodOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print the vulnerable-groups x life-dimensions matrix with each cell's indicators."""
    from lindung.assess.aggregates import aggregate_table
    from lindung.assess.matrix import (
        latest_values,
        matrix_axes,
        matrix_indicators,
        vulnerable_groups_matrix,
    )
    from lindung.assess.progress_table import goal_for, progress_rows
    from lindung.cli.assess_store import read_current, read_population
    from lindung.store.frames import as_frame

    options.unpublished_allowed(include_unpublished, actor)

    catalogue = options.checked_catalogue([], [area])
    chosen = options.progress_method(method)
    codes = options.assessable(catalogue, [])
    goals = {code: goal_for(catalogue.indicator(code)) for code in codes}
    known_regions = options.regions(catalogue, [])
    if area in known_regions:
        members = known_regions[area]
        frame = read_current(codes, list(members), year, include_unpublished)
        population = read_population()
        regional = [
            row
            for row in aggregate_table(catalogue, codes, {area: members}, frame, population)
            if row["method"] == "population_weighted" and row["value"] is not None
        ]
        frame = as_frame(regional)
    else:
        frame = read_current(codes, [area], year, include_unpublished)
    latest = latest_values(frame, progress_rows(frame, goals, chosen))
    indicators = matrix_indicators(catalogue, codes)
    groups, dimensions = matrix_axes(catalogue)
    rows = vulnerable_groups_matrix(
        indicators, latest, ref_area=area, groups=groups, dimensions=dimensions
    )
    # A table cell names each indicator in words; JSON and CSV carry the same words.
    shown = [
        {
            **row,
            "indicators": [
                f"{e['series']}{' (women)' if e['sex'] == 'F' else ''} "
                + (
                    f"{shown_number(e['value'])} ({e['year']}) {e['status']}"
                    if e["value"] is not None
                    else "no data"
                )
                for e in row["indicators"]
            ],
        }
        for row in rows
    ]
    weighting = ", ASEAN values population-weighted" if area in known_regions else ""
    _print(
        shown,
        fmt,
        title=f"Vulnerable groups x life dimensions, {area} ({method} progress{weighting})",
        columns="group life_dimension indicators summary",
    )


@app.command("availability")
def availability_command(
    series: list[str] = options.SeriesOption,
    area: list[str] = options.AreaOption,
    since: int = options.AvailabilitySinceOption,
    year: int | None = options.YearOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print indicator x member state: latest year, points since the baseline, breakdowns
    (a table shows the grid; JSON and CSV one row per indicator and member state)."""
    from lindung.assess.availability import availability, availability_grid
    from lindung.cli.assess_store import read_current

    options.unpublished_allowed(include_unpublished, actor)

    catalogue = options.checked_catalogue(series, area)
    codes = options.assessable(catalogue, series)
    members = options.member_states(catalogue, area)
    frame = read_current(codes, members, year, include_unpublished)
    rows = availability(frame, codes, members, since)
    if fmt is Format.table:
        _print(
            availability_grid(rows, members),
            fmt,
            title=f"Data availability: latest year (points since {since}), '-' no value",
            columns=" ".join(["series", *members]),
        )
        return
    _print(rows, fmt, title=f"Data availability since {since}")


@app.command("tiers")
def tiers(
    series: list[str] = options.SeriesOption,
    since: int = options.TiersSinceOption,
    min_points: int = options.MinPointsOption,
    year: int | None = options.YearOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print each indicator's ASEAN tier (IAEG-SDGs criteria) beside its global tier."""
    from lindung.assess.selection import tier_rows
    from lindung.cli.assess_store import read_current, read_population

    options.unpublished_allowed(include_unpublished, actor)

    options.at_least_one(min_points, "--min-points", "the points that make data regular")
    catalogue = options.checked_catalogue(series, [])
    codes = options.assessable(catalogue, series)
    members = options.member_states(catalogue, [])
    frame = read_current(codes, members, year, include_unpublished)
    rows = tier_rows(
        catalogue,
        codes,
        frame,
        read_population(),
        since=since,
        min_points=min_points,
        year=year,
    )
    _print(
        rows,
        fmt,
        title=f"ASEAN tiers (data regularly produced = {min_points}+ points since {since})",
        columns="series global_tier asean_tier reason",
    )


@app.command("consistency")
def consistency(
    series: list[str] = options.SeriesOption,
    area: list[str] = options.AreaOption,
    year: int | None = options.YearOption,
    tolerance: list[str] = options.ToleranceOption,
    per_country: bool = options.SummaryOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print national values beside their international equivalents, flagging differences."""
    from lindung.assess.consistency import compare, summary
    from lindung.assess.selection import consistency_inputs, national_only
    from lindung.cli.assess_store import read_by_kind

    options.unpublished_allowed(include_unpublished, actor)

    catalogue = options.checked_catalogue(series, area)
    codes = options.assessable(catalogue, series)
    allowed = options.tolerances(catalogue, tolerance, codes)
    mapping, wanted = consistency_inputs(catalogue, codes)
    national, international = read_by_kind(wanted, area or None, year, include_unpublished)
    rows = compare(national_only(national, codes), international, mapping, allowed)
    if per_country:
        _print(
            summary(rows),
            fmt,
            title="Consistency with international figures, by country: "
            + counted(len(rows), "pair"),
            columns="ref_area compared flagged mean_abs_difference flagged_series",
        )
        return
    _print(
        rows,
        fmt,
        title=f"National vs international: {counted(len(rows), 'pair')}, "
        f"{sum(1 for r in rows if r['flag'])} beyond tolerance",
        columns=(
            "series ref_area time_period sex national international agency "
            "international_series difference tolerance flag"
        ),
    )


def _aggregate_rows(
    catalogue: Catalogue,
    codes: list[str],
    regions: dict[str, tuple[str, ...]],
    year: int | None,
    min_share: float,
    population_override: str | None,
    include_unpublished: bool,
    basis: str,
) -> list[Aggregate]:
    from lindung.assess.aggregates import aggregate_table
    from lindung.cli.assess_store import read_current, read_population

    members = sorted({c for countries in regions.values() for c in countries})
    kinds = options.value_basis(basis)
    return aggregate_table(
        catalogue,
        codes,
        regions,
        read_current(codes, members, None, include_unpublished, kinds),
        read_population(),
        year=year,
        min_share=min_share,
        population_override=population_override,
        value_basis=basis,
    )


@app.command("aggregate")
def aggregate(
    series: list[str] = options.SeriesOption,
    year: int | None = options.AggregateYearOption,
    region: list[str] = options.RegionOption,
    min_share: float = options.MinShareOption,
    population: str | None = options.PopulationOption,
    basis: str = options.BasisOption,
    store: bool = options.StoreOption,
    store_method: str = options.StoreMethodOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print ASEAN-11 and ASEAN-10 means (simple and population-weighted), each naming where
    every member's value came from, and store them (only those made from the current published
    values)."""
    from lindung.assess.population import basis_for
    from lindung.cli.assess_store import require_aggregate_writer, store_aggregates

    options.share(min_share, "--min-share", "the least population share of an aggregate")
    if population is not None:
        basis_for("", (), population)  # a bad --population is refused before the store is read
    options.value_basis(basis)
    options.unpublished_allowed(include_unpublished, actor)
    writer = None
    if store and not include_unpublished and basis == "current":
        writer = require_aggregate_writer(actor)

    catalogue = options.checked_catalogue(series, [])
    regions = options.regions(catalogue, region)
    if store_method not in ("population_weighted", "simple_mean"):
        raise UsageError("--store-method must be population_weighted or simple_mean")
    codes = options.assessable(catalogue, series)
    rows = _aggregate_rows(
        catalogue, codes, regions, year, min_share, population, include_unpublished, basis
    )
    _print(
        rows,
        fmt,
        title=f"Regional aggregates (no value below {min_share:.0%} of the relevant population)",
        columns=(
            "series ref_area time_period sex method value population_share countries "
            "value_sources population reason"
        ),
    )
    if store and include_unpublished:
        # Stored aggregates are published figures; unpublished (draft or returned) country
        # values must not reach them.
        message = (
            "not stored: these aggregates include unpublished values; run without "
            "--include-unpublished to store the published ones"
        )
    elif store and basis != "current":
        # The stored regional figure is the one of the current values: a one-basis figure is
        # for comparison, and storing it would replace the published one under the same key.
        message = (
            f"not stored: --basis {basis} aggregates are for comparison; only those of the "
            "current values (--basis current) are stored"
        )
    elif store and writer is None:
        # Stored aggregates are published figures: someone of the secretariat answers for them.
        message = (
            "not stored: storing publishes regional figures; log in as a secretariat or "
            "admin user (`lindung login EMAIL`), or add --no-store"
        )
    elif writer is not None:
        message = store_aggregates(catalogue, rows, store_method, writer)
    if store:
        (console if fmt is Format.table else error_console).print(message)


@app.command("spi")
def spi(
    csv_file: Path | None = options.CsvOption,
    area: list[str] = options.AreaOption,
    year: int | None = options.YearOption,
    pre_2016: bool = options.Pre2016Option,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print the ADB SPI with depth and breadth, by program area, sex and poverty."""
    from lindung.assess.spi import SpiInput, social_protection_indicator
    from lindung.cli.assess_store import read_spi_inputs
    from lindung.cli.spi_csv import read_spi_csv

    options.unpublished_allowed(include_unpublished, actor)

    options.checked_catalogue([], area)
    frame = read_spi_csv(csv_file) if csv_file else read_spi_inputs(area, year, include_unpublished)
    if area:
        frame = frame[frame["ref_area"].isin(area)]
    if year is not None:
        frame = frame[frame["time_period"] == year]
    if frame.empty:
        raise AssessmentError(
            "no expenditure and beneficiary data: submit ASP_SPEXP_LCU, ASP_SP_BENEF_ACTUAL, "
            "ASP_SP_BENEF_INTENDED and ASP_GDP_PC_LCU, or pass --csv FILE"
        )
    rows: list[Spi] = []
    for (ref_area, time_period), part in frame.groupby(["ref_area", "time_period"]):
        inputs = [
            SpiInput(
                program=str(r["program"]).removeprefix("ALL_"),
                expenditure=float(r["expenditure"]),
                beneficiaries=float(r["beneficiaries"]),
                sex=str(r["sex"]),
                poverty=str(r["poverty"]),
            )
            for r in part.to_dict("records")
        ]
        rows.extend(
            social_protection_indicator(
                inputs,
                intended_beneficiaries=float(part["intended_beneficiaries"].iloc[0]),
                gdp_per_capita=float(part["gdp_per_capita"].iloc[0]),
                ref_area=str(ref_area),
                time_period=int(str(time_period)),
                quarter_gdp=pre_2016,
            )
        )
    _print(
        rows,
        fmt,
        title="ADB Social Protection Indicator (SPI = depth x breadth; parts add up)",
        columns="ref_area time_period breakdown program sex group spi depth breadth convention",
    )


@app.command("index")
def index(
    series: list[str] = options.IndexSeriesOption,
    area: list[str] = options.AreaOption,
    year: int | None = options.YearOption,
    window: int = options.WindowOption,
    normalisation: str = options.NormalisationOption,
    weighting: str = options.WeightingOption,
    weight: list[str] = options.WeightOption,
    goalpost: list[str] = options.GoalpostOption,
    aggregation: str = options.AggregationOption,
    missing: str = options.MissingOption,
    min_coverage: float = options.MinCoverageOption,
    draws: int = options.DrawsOption,
    seed: int = options.SeedOption,
    include_unpublished: bool = options.UnpublishedOption,
    actor: str | None = options.ActorOption,
    fmt: Format = options.FormatOption,
) -> None:
    """Print a composite index with rank intervals and each score's decomposition."""
    from lindung.assess.composite import (
        Choices,
        CompositeIndicator,
        check_choices,
        composite_index,
        latest_matrix,
    )
    from lindung.cli.assess_store import read_current

    options.unpublished_allowed(include_unpublished, actor)

    options.share(min_coverage, "--min-coverage", "the least weight a country's values hold")
    options.at_least_one(window, "--window", "the years a latest value may go back")
    catalogue = options.checked_catalogue(series, area)
    codes = options.index_series(catalogue, series)
    custom, posts = options.index_weights_and_goalposts(
        catalogue, series, weighting, weight, goalpost
    )
    indicators = [
        CompositeIndicator(
            code,
            -1 if catalogue.indicator(code).polarity == "lower_is_better" else 1,
            catalogue.indicator(code).pillar,
        )
        for code in codes
    ]
    choices = Choices(
        normalisation=normalisation,
        weighting=weighting,
        aggregation=aggregation,
        missing=missing,
        min_coverage=min_coverage,
        custom_weights=custom,
        goalposts=posts,
    )
    check_choices(choices, indicators)  # a bad option is refused before the store is read
    members = options.member_states(catalogue, area)
    frame = read_current(codes, members, year, include_unpublished)
    matrix_frame = latest_matrix(frame, codes, year=year, window=window)
    rows = composite_index(matrix_frame, indicators, choices, draws=draws, seed=seed)
    last = year if year is not None else (int(frame["time_period"].max()) if len(frame) else 0)
    # A member without any value in the window is listed, so that a country which reported a
    # newer year cannot silently push the others out of the index.
    rows.extend(
        {
            "ref_area": code,
            "score": None,
            "rank": None,
            "rank_median": None,
            "rank_low": None,
            "rank_high": None,
            "indicators_used": 0,
            "contributions": {},
            "choices": f"{choices.describe()}; no value of these indicators in "
            f"{last - window + 1}-{last}",
        }
        for code in members
        if code not in matrix_frame.index
    )
    _print(
        rows,
        fmt,
        title=f"Composite index of {', '.join(codes)}: {choices.describe()}; latest value "
        f"in {last - window + 1}-{last}; rank interval = 5th-95th percentile of "
        + counted(draws, "draw"),
        columns="ref_area score rank rank_low rank_high indicators_used contributions",
    )

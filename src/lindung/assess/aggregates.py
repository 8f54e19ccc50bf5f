"""Regional aggregates: means of member-state values over the catalogue's regions (ASEAN with
its eleven members, ASEAN10 without Timor-Leste), simple and weighted by the population the
indicator refers to.

Each aggregate names the countries it includes, where each country's value came from (the
kind of submission and its source: a national figure or an international one), the share of
the members' relevant population they hold and the source of the population that weighted
it; below ``min_share`` (50% unless set) there is no aggregate, only the reason. Formulas:
simple mean = sum(x_i) / n; population-weighted mean = sum(P_i x_i) / sum(P_i) over the
countries with a value; population share = sum(P_i, with a value) / sum(P_j, members). A value
or population that is not a finite number, or a value outside the range its series can take
(a percentage outside 0 to 100), is refused, naming it: an aggregate is always a finite number
in range.

The values are the store's current ones (the latest published value of each key, whatever its
source) unless the caller reads one basis only (``keys.VALUE_BASES``); the rows say which.
A row without a value says why in English (``reason``) and as a code with its numbers
(``reason_code``, ``reason_args``: ``REASON_CODES``) for ``lindung.i18n.reasons``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from lindung.assess.population import PopulationBasis, basis_for, population_table
from lindung.assess.progress_table import series_bounds
from lindung.errors import AssessmentError
from lindung.framework import Catalogue
from lindung.jsontypes import JSONObject
from lindung.keys import DIMENSIONS, REFERENCE_KIND, Key, key_fields
from lindung.text import shown_number

Method = Literal["simple_mean", "population_weighted"]
METHODS: tuple[Method, ...] = ("simple_mean", "population_weighted")
#: Units whose values are not averaged across countries, with the reason given instead.
UNITS_NOT_AVERAGED = {
    "LCU": "values in each country's own currency cannot be averaged across countries",
    "persons": "a count of persons: a mean of national counts is not a regional figure",
}
#: The codes of a row's ``reason_code`` ("" where it has a value), each with the names of its
#: ``reason_args``; ``population`` is the code of the population basis (``population.BASES``)
#: and ``sex`` the sex it is restricted to ("_T": both).
REASON_CODES: dict[str, tuple[str, ...]] = {
    "": (),
    "currency_not_averaged": (),
    "persons_not_averaged": (),
    "no_population": ("population", "sex", "areas", "year"),
    "below_share": ("share", "population", "sex", "min_share"),
}
_UNIT_CODES = {"LCU": "currency_not_averaged", "persons": "persons_not_averaged"}
#: What identifies one aggregate within a region.
_KEYS = ["series", "time_period", *DIMENSIONS]


class Aggregate(Key):
    """One regional aggregate of one key and method, or the reason there is none."""

    unit: str
    method: Method
    value: float | None
    countries: list[str]
    #: The values the aggregate was computed from: ``current`` or one basis only.
    basis: str
    #: Where each contributing member state's value came from, in the order of ``countries``:
    #: "IDN national (template: BPS)", "PHL international (reference: UN SDG database)".
    value_sources: list[str]
    population: str
    population_source: str
    population_share: float | None
    reason: str
    reason_code: str
    reason_args: JSONObject


def regions(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Return each regional aggregate of the catalogue that has members, with its members."""
    return {area.code: tuple(area.members) for area in catalogue.aggregates if area.members}


def regional_aggregates(
    values: pd.DataFrame,
    population: pd.DataFrame,
    basis: PopulationBasis,
    *,
    region: str,
    members: Sequence[str],
    min_share: float = 0.5,
    value_basis: str = "current",
) -> list[Aggregate]:
    """Return one row per key (series, year, disaggregation) and method with the aggregate.

    ``values``: observations (series, ref_area, time_period, the dimensions, value, unit, and
    optionally source and submission_kind) of one indicator; ``population``: ASP_POP
    observations (ref_area, time_period, sex, age, value, and optionally source). Rows below
    ``min_share`` carry value None and the reason. Raises AssessmentError for a value or
    population that is not finite.
    """
    bases = {str(series): basis for series in values["series"].unique()} if len(values) else {}
    return _aggregates(values, population, bases, {region: tuple(members)}, min_share, value_basis)


def aggregate_table(
    catalogue: Catalogue,
    codes: Sequence[str],
    regions: Mapping[str, Sequence[str]],
    values: pd.DataFrame,
    population: pd.DataFrame,
    *,
    year: int | None = None,
    min_share: float = 0.5,
    population_override: str | None = None,
    value_basis: str = "current",
) -> list[Aggregate]:
    """Return ``regional_aggregates`` of each series in ``codes`` for each region (of
    ``year`` only, if given), each weighted by the population its indicator refers to
    (``population.basis_for``): what ``lindung assess aggregate`` prints and the web shows.
    ``value_basis`` names what ``values`` hold (``keys.VALUE_BASES``), which each row says."""
    if year is not None and not values.empty:
        values = values[values["time_period"] == year]
    bases = {
        code: basis_for(code, catalogue.indicator(code).groups, population_override)
        for code in codes
    }
    return _aggregates(
        values, population, bases, {r: tuple(m) for r, m in regions.items()}, min_share, value_basis
    )


def _aggregates(
    values: pd.DataFrame,
    population: pd.DataFrame,
    bases: Mapping[str, PopulationBasis],
    regions: Mapping[str, tuple[str, ...]],
    min_share: float,
    value_basis: str,
) -> list[Aggregate]:
    """Every aggregate of the series in ``bases`` and every region, in the order of ``bases``,
    then of ``regions``, then of the key. One pass of table operations over all series: each
    relevant population is built once, whatever the number of series and years."""
    if values.empty or not bases:
        return []
    frame = values[values["series"].isin(list(bases))]
    if frame.empty:
        return []
    frame = frame.assign(
        time_period=frame["time_period"].astype(int),
        value=frame["value"].astype(float),
        basis_code=frame["series"].map({s: b.code for s, b in bases.items()}),
        provenance=_provenance(frame),
    )
    by_code = {b.code: b for b in bases.values()}
    pops = _populations(population, by_code, frame[["basis_code", "sex"]].drop_duplicates())
    order = {s: i for i, s in enumerate(bases)}
    rows: list[Aggregate] = []
    for region, members in regions.items():
        part = frame[frame["ref_area"].isin(members)]
        if part.empty:
            continue
        rows.extend(
            _region(
                part,
                pops[pops["ref_area"].isin(members)],
                by_code,
                (region, members),
                min_share,
                value_basis,
            )
        )
    ranks = {r: i for i, r in enumerate(regions)}
    rows.sort(key=lambda row: (order[row["series"]], ranks[row["ref_area"]]))
    return rows


def _provenance(frame: pd.DataFrame) -> list[str]:
    """Each value's origin as a text: national or international (reference data), then the
    kind of submission and the source, as far as the frame carries them."""
    blank = pd.Series("", frame.index)
    kinds = frame.get("submission_kind", blank)
    sources = frame.get("source", blank)
    return [
        _origin(kind if isinstance(kind, str) else "", source if isinstance(source, str) else "")
        for kind, source in zip(kinds, sources, strict=True)
    ]


def _origin(kind: str, source: str) -> str:
    if not (kind or source):
        return "not stated"
    side = "international" if kind == REFERENCE_KIND else "national"
    return f"{side} ({': '.join(part for part in (kind, source) if part)})"


def _populations(
    population: pd.DataFrame, by_code: Mapping[str, PopulationBasis], wanted: pd.DataFrame
) -> pd.DataFrame:
    """The relevant population of each (basis, sex) the values need, built once each: columns
    basis_code, sex, ref_area, time_period, population, source."""
    tables = [
        population_table(population, by_code[code], sex=sex).assign(basis_code=code, sex=sex)
        for code, sex in sorted(wanted.itertuples(index=False, name=None))
    ]
    pops = pd.concat(tables, ignore_index=True)
    return pops.astype({"time_period": int, "population": float, "ref_area": str})


def _region(
    part: pd.DataFrame,
    pops: pd.DataFrame,
    by_code: Mapping[str, PopulationBasis],
    area: tuple[str, tuple[str, ...]],
    min_share: float,
    value_basis: str,
) -> list[Aggregate]:
    """The aggregates of one region (its code and members), in key order."""
    region, members = area
    context_keys = ["basis_code", "sex", "time_period"]
    _refuse_non_finite_values(part)
    _refuse_out_of_bounds(part)
    contexts = part[context_keys].drop_duplicates()
    pops = pops.merge(contexts, on=context_keys)
    _refuse_bad_populations(pops)
    # Per basis, sex and year over the members: the largest population (the scale of the
    # weights, so that no sum can overflow), the sum of the scaled weights, who lacks one.
    largest = pops.groupby(context_keys)["population"].max().rename("largest")
    scaled = pops.merge(largest.reset_index(), on=context_keys)
    scaled = scaled.assign(weight=scaled["population"] / scaled["largest"])
    context = scaled.groupby(context_keys).agg(
        largest=("largest", "first"), weight_total=("weight", "sum")
    )
    present: dict[tuple[object, ...], set[str]] = {}
    sources: dict[tuple[object, ...], set[str]] = {}
    for code, sex, year, member, text in pops[[*context_keys, "ref_area", "source"]].itertuples(
        index=False, name=None
    ):
        present.setdefault((code, sex, year), set()).add(str(member))
        sources.setdefault((code, sex, year), set()).update(s for s in str(text).split("; ") if s)
    joined = part.merge(
        pops[[*context_keys, "ref_area", "population"]], on=[*context_keys, "ref_area"], how="left"
    ).merge(context.reset_index(), on=context_keys, how="left")
    joined = joined.sort_values([*_KEYS, "ref_area"], kind="stable").reset_index(drop=True)
    # Rows sorted by key: each aggregate is a run of rows, numbered once; every sum below is
    # one bincount over those numbers (no Python call per aggregate).
    number = joined.groupby(_KEYS, sort=True).ngroup().to_numpy()
    first = np.flatnonzero(np.r_[True, number[1:] != number[:-1]])
    size = np.bincount(number)
    value = joined["value"].to_numpy(dtype=float)
    weight = (joined["population"] / joined["largest"]).to_numpy(dtype=float)
    with_data = np.bincount(number, weights=weight)
    simple_mean = np.bincount(number, weights=value / size[number])
    weighted_mean = np.bincount(number, weights=weight / with_data[number] * value)
    heads = joined.iloc[first]
    summary = heads[[*_KEYS, "unit", "basis_code"]].assign(
        simple_mean=simple_mean,
        population_weighted=weighted_mean,
        with_data=with_data,
        weight_total=heads["weight_total"].to_numpy(dtype=float),
    )
    # The countries of each aggregate and their values' origins, in one pass over the rows.
    countries: list[list[str]] = [[] for _ in first]
    origins: list[list[str]] = [[] for _ in first]
    for run, member, origin in zip(number, joined["ref_area"], joined["provenance"], strict=True):
        countries[run].append(str(member))
        origins[run].append(f"{member} {origin}")
    rows: list[Aggregate] = []
    for at, item in enumerate(summary.to_dict("records")):
        record = {name: item[name] for name in _KEYS}
        basis = by_code[item["basis_code"]]
        year, sex = int(record["time_period"]), str(record["sex"])
        context_key = (item["basis_code"], sex, year)
        missing = [c for c in members if c not in present.get(context_key, set())]
        unit = str(item["unit"])
        source = "; ".join(sorted(sources.get(context_key, set())))
        refusal = UNITS_NOT_AVERAGED.get(unit) or (
            f"no {basis.label} for {', '.join(missing)} in {year}" if missing else None
        )
        code = ""
        args: JSONObject = {}
        if refusal:
            code = _UNIT_CODES.get(unit, "no_population")
            if code == "no_population":
                args = {"population": basis.code, "sex": sex, "areas": missing, "year": year}
        share = None if refusal else float(item["with_data"] / item["weight_total"])
        if share is not None and share < min_share:
            refusal = (
                f"countries with data hold {share:.1%} of the {basis.label}, below {min_share:.0%}"
            )
            code = "below_share"
            args = {"share": share, "population": basis.code, "sex": sex, "min_share": min_share}
        means = {
            "simple_mean": float(item["simple_mean"]),
            "population_weighted": float(item["population_weighted"]),
        }
        key = key_fields({**record, "ref_area": region})
        rows.extend(
            Aggregate(
                **key,
                unit=unit,
                method=method,
                value=None if refusal else means[method],
                countries=countries[at],
                basis=value_basis,
                value_sources=origins[at],
                population=basis.label if sex == "_T" else f"{basis.label}, sex {sex}",
                population_source=source or "not stated",
                population_share=share,
                reason=refusal or "",
                reason_code=code,
                reason_args=dict(args),
            )
            for method in METHODS
        )
    return rows


def _refuse_non_finite_values(part: pd.DataFrame) -> None:
    """Raise AssessmentError naming the first value that is not a finite number: it would make
    the aggregate meaningless."""
    bad = part[~np.isfinite(part["value"].to_numpy(dtype=float))]
    if bad.empty:
        return
    first = bad.sort_values([*_KEYS, "ref_area"]).iloc[0]
    raise AssessmentError(
        f"{first['series']} of {first['ref_area']} in {first['time_period']} is "
        f"{first['value']}, not a finite number; correct the submission that holds it before "
        "aggregating"
    )


def _refuse_out_of_bounds(part: pd.DataFrame) -> None:
    """Raise AssessmentError naming the first value outside the range its series can take
    (``progress_table.series_bounds``: a percentage of -50 or 1e300): an aggregate of it would
    be outside the range too, and no import stores such a value."""
    ordered = part.sort_values([*_KEYS, "ref_area"])
    for row, value in zip(
        ordered.itertuples(index=False), ordered["value"].to_numpy(dtype=float), strict=True
    ):
        series, unit = str(row.series), str(row.unit)
        low, high = series_bounds(series, unit)
        if (low is not None and value < low) or (high is not None and value > high):
            shown = "unbounded" if low is None else shown_number(low)
            top = "unbounded" if high is None else shown_number(high)
            found = shown_number(float(value))
            raise AssessmentError(
                f"{series} of {row.ref_area} in {row.time_period} is {found} {unit}, "
                f"outside the range {shown} to {top} its values can take; correct the submission "
                "that holds it before aggregating"
            )


def _refuse_bad_populations(pops: pd.DataFrame) -> None:
    """Raise AssessmentError naming the first population of a member that is not a finite
    number above zero."""
    people = pops["population"].to_numpy(dtype=float)
    bad = pops[~(np.isfinite(people) & (people > 0))]
    if bad.empty:
        return
    first = bad.sort_values(["time_period", "ref_area"]).iloc[0]
    raise AssessmentError(
        f"the population (ASP_POP) of {first['ref_area']} in {first['time_period']} is "
        f"{shown_number(first['population'])}, not a finite positive number; reload it with "
        "`lindung data load-reference`"
    )


def describe(row: Aggregate) -> str:
    """Return the comment stored with an aggregate: method, countries, population weights and
    their source, the population share, and what each country's value is (the basis)."""
    origins = ", ".join(row["value_sources"])
    share = row["population_share"]
    return (
        f"{row['method']} over {', '.join(row['countries'])}; weights: {row['population']} "
        f"({row['population_source']}); population share "
        f"{share if share is None else format(share, '.4f')}; values ({row['basis']}): {origins}"
    )

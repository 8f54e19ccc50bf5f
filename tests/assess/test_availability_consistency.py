"""Data availability, ASEAN tiers and national-vs-international consistency, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from lindung.assess.availability import TierInput, asean_tiers, availability
from lindung.assess.consistency import compare, summary, tolerance_for
from lindung.assess.equivalents import Equivalent, equivalents
from lindung.keys import DIMENSIONS


def _obs(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{**dict.fromkeys(DIMENSIONS, "_T"), "unit": "percent", **row} for row in rows]
    )


def test_availability_counts_total_points_since_the_baseline_and_lists_breakdowns() -> None:
    frame = _obs(
        [
            {"series": "S", "ref_area": "A", "time_period": 2012, "value": 1.0},
            {"series": "S", "ref_area": "A", "time_period": 2016, "value": 2.0},
            {"series": "S", "ref_area": "A", "time_period": 2019, "value": 3.0},
            {"series": "S", "ref_area": "A", "time_period": 2019, "value": 3.5, "sex": "F"},
        ]
    )
    rows = {r["ref_area"]: r for r in availability(frame, ["S"], ["A", "B"], since=2015)}
    # 2016 and 2019 are totals since 2015 -> 2 points; 2012 is before the baseline
    assert rows["A"]["points"] == 2
    assert rows["A"]["latest_year"] == 2019
    assert rows["A"]["disaggregations"] == ["sex"]
    assert rows["B"] == {
        **rows["B"],
        "latest_year": None,
        "points": 0,
        "disaggregations": [],
    }


def test_asean_tier_one_needs_half_the_members_and_half_the_population() -> None:
    # Members A (60 people), B (30), C (10). Series S regular in B and C: 2/3 of members but
    # 40% of the population -> Tier II. Series T regular in A and B: 2/3, 90% -> Tier I.
    available = [
        {"series": "S", "ref_area": "A", "points": 1},
        {"series": "S", "ref_area": "B", "points": 2},
        {"series": "S", "ref_area": "C", "points": 3},
        {"series": "T", "ref_area": "A", "points": 2},
        {"series": "T", "ref_area": "B", "points": 2},
        {"series": "T", "ref_area": "C", "points": 0},
        {"series": "U", "ref_area": "A", "points": 5},
    ]
    population = {"A": 60.0, "B": 30.0, "C": 10.0}
    rows = {
        r["series"]: r
        for r in asean_tiers(
            available,
            [TierInput("S", "I"), TierInput("T", "II"), TierInput("U", "III")],
            population,
        )
    }
    assert rows["S"]["asean_tier"] == "II"
    assert rows["S"]["population_share"] == pytest.approx(0.4)
    assert "2 of 3" in rows["S"]["reason"]
    assert rows["T"]["asean_tier"] == "I"
    assert rows["T"]["global_tier"] == "II"
    assert rows["T"]["population_share"] == pytest.approx(0.9)
    assert rows["U"]["asean_tier"] == "III"


def test_consistency_pairs_same_country_year_and_disaggregation_and_flags_beyond_tolerance() -> (
    None
):
    national = _obs(
        [
            {"series": "S", "ref_area": "A", "time_period": 2019, "value": 50.0},
            {"series": "S", "ref_area": "B", "time_period": 2019, "value": 30.0},
            {"series": "S", "ref_area": "B", "time_period": 2019, "value": 31.0, "sex": "F"},
        ]
    )
    international = _obs(
        [
            {"series": "S", "ref_area": "A", "time_period": 2019, "value": 54.0, "source": "ILO"},
            {"series": "S", "ref_area": "B", "time_period": 2019, "value": 40.0, "source": "ILO"},
        ]
    )
    rows = compare(national, international, {"S": [Equivalent("ILO", "S")]})
    # A: 50 - 54 = -4, within 5 points; B: 30 - 40 = -10, flagged; B female: no match
    assert [(r["ref_area"], r["difference"], r["flag"]) for r in rows] == [
        ("A", -4.0, False),
        ("B", -10.0, True),
    ]
    per_country = {r["ref_area"]: r for r in summary(rows)}
    assert per_country["B"]["flagged"] == 1
    assert per_country["A"]["mean_abs_difference"] == pytest.approx(4.0)


def test_tolerance_is_per_indicator_else_by_unit() -> None:
    assert tolerance_for("percent") == (5.0, "absolute")
    assert tolerance_for("LCU") == (0.10, "relative")
    assert tolerance_for("percent", 1.0) == (1.0, "absolute")


def test_a_fixed_dimension_of_the_equivalent_overrides_the_national_key() -> None:
    # national ASPIRE-like coverage (program _T) vs World Bank stored under program ALL_SP
    national = _obs([{"series": "S", "ref_area": "A", "time_period": 2016, "value": 60.0}])
    international = _obs(
        [
            {
                "series": "ASP_COV",
                "ref_area": "A",
                "time_period": 2016,
                "value": 58.5,
                "program": "ALL_SP",
                "source": "WB",
            }
        ]
    )
    rows = compare(
        national,
        international,
        {"S": [Equivalent("World Bank", "ASP_COV", (("program", "ALL_SP"),))]},
    )
    assert rows[0]["difference"] == pytest.approx(1.5)


def test_equivalents_come_from_the_sdg_series_and_the_crosswalk() -> None:
    from lindung.framework import load_catalogue

    catalogue = load_catalogue()
    found = equivalents(catalogue.indicator("SI_COV_BENFTS"))
    assert Equivalent("World Bank", "ASP_COV", (("program", "ALL_SP"),)) in found
    assert found[0].series == "SI_COV_BENFTS"
    socast = equivalents(catalogue.indicator("SI_COV_SOCAST"))
    assert ("ASP_COV", (("program", "ALL_SA"),)) in [(e.series, e.dimensions) for e in socast]


def test_a_series_published_only_for_ages_15_plus_counts_those_as_its_total() -> None:
    # SI_POV_EMP1 (working poor) exists for 15+ (Y_GE15), 15-24 and 25+, never for all ages
    frame = _obs(
        [
            {"series": "W", "ref_area": "A", "time_period": 2016, "value": 5.0, "age": "Y_GE15"},
            {"series": "W", "ref_area": "A", "time_period": 2019, "value": 4.0, "age": "Y_GE15"},
            {"series": "W", "ref_area": "A", "time_period": 2019, "value": 6.0, "age": "Y15T24"},
        ]
    )
    rows = availability(frame, ["W"], ["A"], since=2015)
    assert rows[0]["points"] == 2
    assert rows[0]["disaggregations"] == ["age"]

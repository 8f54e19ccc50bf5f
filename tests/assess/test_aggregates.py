"""Regional aggregates: hand-worked cases and the shipped real data (UN SDG database 2020
snapshot of SI_COV_BENFTS, UN WPP 2019 population)."""

from __future__ import annotations

import pandas as pd
import pytest

from lindung.assess.aggregates import describe, regional_aggregates
from lindung.assess.population import BASES, basis_for, population_table
from lindung.errors import AssessmentError
from lindung.keys import DIMENSIONS

from .conftest import MEMBERS, REFERENCE, benfts_2019_by_hand

ASEAN11 = MEMBERS
ASEAN10 = tuple(c for c in MEMBERS if c != "TLS")


def _values(rows: list[tuple[str, int, float]], series: str = "S") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "series": series,
                "ref_area": area,
                "time_period": year,
                "value": value,
                "unit": "percent",
                **dict.fromkeys(DIMENSIONS, "_T"),
            }
            for area, year, value in rows
        ]
    )


def _population(rows: list[tuple[str, int, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["ref_area", "time_period", "sex", "age", "value"])


def _by_method(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(row["method"]): row for row in rows}


def test_weighted_mean_uses_each_country_population_and_reports_the_share() -> None:
    # A: 10 percent, 100 people; B: 40 percent, 300 people; C: no value, 100 people.
    # simple mean = (10 + 40) / 2 = 25; weighted = (10*100 + 40*300) / 400 = 32.5
    # share = 400 / 500 = 0.8
    values = _values([("A", 2019, 10.0), ("B", 2019, 40.0)])
    pop = _population(
        [
            ("A", 2019, "_T", "_T", 100.0),
            ("B", 2019, "_T", "_T", 300.0),
            ("C", 2019, "_T", "_T", 100.0),
        ]
    )
    rows = _by_method(
        regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B", "C"])
    )
    assert rows["simple_mean"]["value"] == pytest.approx(25.0)
    assert rows["population_weighted"]["value"] == pytest.approx(32.5)
    assert rows["population_weighted"]["population_share"] == pytest.approx(0.8)
    assert rows["population_weighted"]["countries"] == ["A", "B"]
    assert rows["population_weighted"]["ref_area"] == "R"


def test_no_aggregate_when_countries_with_data_hold_less_than_half_the_population() -> None:
    # A holds 100 of 500 = 20% < 50%
    values = _values([("A", 2019, 10.0)])
    pop = _population([("A", 2019, "_T", "_T", 100.0), ("B", 2019, "_T", "_T", 400.0)])
    rows = regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B"])
    assert all(row["value"] is None for row in rows)
    assert "20.0%" in str(rows[0]["reason"])
    lowered = regional_aggregates(
        values, pop, BASES["TOTAL"], region="R", members=["A", "B"], min_share=0.1
    )
    assert _by_method(lowered)["simple_mean"]["value"] == pytest.approx(10.0)


def test_children_0_17_are_0_14_plus_three_fifths_of_15_19() -> None:
    # WPP groups are stored by sex: each of F and M has 5 per group.
    # 0-4, 5-9, 10-14, 15-19: 10 each for both sexes -> 0-14 = 30; 0-17 = 30 + 0.6 * 10 = 36
    pop = _population(
        [
            ("A", 2019, sex, age, 5.0)
            for age in ("Y0T4", "Y5T9", "Y10T14", "Y15T19")
            for sex in ("F", "M")
        ]
    )
    assert population_table(pop, BASES["Y0T14"])["population"].tolist() == [30.0]
    assert population_table(pop, BASES["Y0T17"])["population"].tolist() == [36.0]
    # girls 0-14 only: 15
    assert population_table(pop, BASES["Y0T14"], sex="F")["population"].tolist() == [15.0]


def test_a_country_year_missing_an_age_group_gets_no_population() -> None:
    pop = _population([("A", 2019, "F", "Y0T4", 5.0), ("A", 2019, "M", "Y0T4", 5.0)])
    assert population_table(pop, BASES["Y0T14"]).empty


def test_relevant_population_follows_the_series_then_the_groups() -> None:
    assert basis_for("SI_COV_PENSN").code == "Y_GE65"
    assert basis_for("SI_COV_CHLD").code == "Y0T14"
    assert basis_for("X", ["OLDER_PERSONS"]).code == "Y_GE65"
    assert basis_for("SI_COV_BENFTS").code == "TOTAL"
    assert basis_for("SI_COV_CHLD", override="Y0T17").code == "Y0T17"


def _shipped_wpp() -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE / "asean_population_by_age5_sex_wpp2019_1990_2050.csv")
    frame = frame[frame["year"] == 2019]
    total = frame.groupby(["iso3", "year"], as_index=False)["population_thousands"].sum()
    return pd.DataFrame(
        {
            "ref_area": total["iso3"],
            "time_period": total["year"],
            "sex": "_T",
            "age": "_T",
            "value": total["population_thousands"] * 1000.0,
        }
    )


def test_asean_coverage_2019_from_the_shipped_un_data() -> None:
    # Oracle: read the two CSVs with the csv module, sum by hand (independent of pandas and
    # of lindung.assess). SI_COV_BENFTS 2019 exists for 10 of 11 members (no BRN).
    values, population = benfts_2019_by_hand()
    assert sorted(values) == sorted(set(ASEAN11) - {"BRN"})
    expected_simple = sum(values.values()) / len(values)
    expected_weighted = sum(values[c] * population[c] for c in values) / sum(
        population[c] for c in values
    )
    expected_share = sum(population[c] for c in values) / sum(population[c] for c in ASEAN11)
    # 298.5 / 10 = 29.85; the weighted mean is pulled up by Indonesia (54%, 271 million)
    assert expected_simple == pytest.approx(29.85)

    frame = _values([(c, 2019, v) for c, v in values.items()], series="SI_COV_BENFTS")
    rows = _by_method(
        regional_aggregates(frame, _shipped_wpp(), BASES["TOTAL"], region="ASEAN", members=ASEAN11)
    )
    assert rows["simple_mean"]["value"] == pytest.approx(expected_simple, rel=1e-12)
    assert rows["population_weighted"]["value"] == pytest.approx(expected_weighted, rel=1e-12)
    assert rows["population_weighted"]["population_share"] == pytest.approx(
        expected_share, rel=1e-12
    )
    assert 0.999 < expected_share < 1.0

    asean10 = _by_method(
        regional_aggregates(
            frame, _shipped_wpp(), BASES["TOTAL"], region="ASEAN10", members=ASEAN10
        )
    )
    nine = {c: v for c, v in values.items() if c in ASEAN10}
    assert asean10["simple_mean"]["value"] == pytest.approx(sum(nine.values()) / 9)
    assert "TLS" not in asean10["simple_mean"]["countries"]


@pytest.mark.parametrize(
    ("unit", "reason"),
    [("LCU", "own currency cannot be averaged"), ("persons", "a count of persons")],
)
def test_amounts_in_national_currency_and_counts_of_persons_get_a_reason_not_a_mean(
    unit: str, reason: str
) -> None:
    # A mean of 5 000 000 rupiah and 2 000 pesos, or of two head counts, is no ASEAN figure.
    values = _values([("A", 2019, 5_000_000.0), ("B", 2019, 2_000.0)]).assign(unit=unit)
    pop = _population([("A", 2019, "_T", "_T", 100.0), ("B", 2019, "_T", "_T", 300.0)])
    rows = regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B"])
    assert {row["method"] for row in rows} == {"simple_mean", "population_weighted"}
    assert all(row["value"] is None and reason in str(row["reason"]) for row in rows)


# --- Non-finite input never makes a non-finite aggregate ----------------------------------


@pytest.mark.parametrize("people", [float("inf"), float("nan"), 0.0, -5.0])
def test_a_population_that_is_not_a_finite_positive_number_is_refused_naming_it(
    people: float,
) -> None:
    # "1.8e308" in a file reads as inf: the weighted mean would be inf or nan.
    values = _values([("A", 2019, 10.0), ("B", 2019, 40.0)])
    pop = _population([("A", 2019, "_T", "_T", people), ("B", 2019, "_T", "_T", 300.0)])
    with pytest.raises(AssessmentError) as refused:
        regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B"])
    message = str(refused.value)
    assert message.startswith(f"the population (ASP_POP) of A in 2019 is {people:g}, not a finite")


def test_a_member_value_that_is_not_finite_is_refused_naming_series_country_and_year() -> None:
    values = _values([("A", 2019, 10.0), ("B", 2019, float("inf"))])
    pop = _population([("A", 2019, "_T", "_T", 100.0), ("B", 2019, "_T", "_T", 300.0)])
    with pytest.raises(AssessmentError, match=r"^S of B in 2019 is inf, not a finite number"):
        regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B"])


def test_populations_near_the_largest_float_still_give_the_exact_finite_mean() -> None:
    # P_A = 1e308, P_B = 3e308 is not representable; take P_B = 1.5e308 (1.5 x P_A):
    # weighted = (10 * 1 + 40 * 1.5) / 2.5 = 28; share = 2.5 / 2.5 = 1. Summing P_i x_i
    # directly would overflow to inf.
    values = _values([("A", 2019, 10.0), ("B", 2019, 40.0)])
    pop = _population([("A", 2019, "_T", "_T", 1e308), ("B", 2019, "_T", "_T", 1.5e308)])
    rows = _by_method(
        regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B"])
    )
    assert rows["population_weighted"]["value"] == pytest.approx(28.0, rel=1e-15)
    assert rows["population_weighted"]["population_share"] == pytest.approx(1.0, rel=1e-15)
    # values near the float limit: the mean of 1.5e308 and 1.5e308 is 1.5e308, not inf (a ratio,
    # unbounded above; a percentage or index that large is refused: test_import_value_rules)
    huge = _values([("A", 2019, 1.5e308), ("B", 2019, 1.5e308)]).assign(unit="ratio")
    means = _by_method(
        regional_aggregates(huge, pop, BASES["TOTAL"], region="R", members=["A", "B"])
    )
    assert means["simple_mean"]["value"] == 1.5e308
    assert means["population_weighted"]["value"] == pytest.approx(1.5e308, rel=1e-15)


def test_each_aggregate_names_the_source_of_the_population_that_weighted_it() -> None:
    values = _values([("A", 2019, 10.0), ("B", 2019, 40.0)])
    pop = _population([("A", 2019, "_T", "_T", 100.0), ("B", 2019, "_T", "_T", 300.0)]).assign(
        source=["UN World Population Prospects 2019", "UN World Population Prospects 2024"]
    )
    rows = regional_aggregates(values, pop, BASES["TOTAL"], region="R", members=["A", "B"])
    assert {row["population_source"] for row in rows} == {
        "UN World Population Prospects 2019; UN World Population Prospects 2024"
    }
    assert (
        "(UN World Population Prospects 2019; UN World Population Prospects 2024); "
        "population share 1.0000; " in describe(rows[0])
    )

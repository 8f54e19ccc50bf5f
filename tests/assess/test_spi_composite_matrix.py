"""ADB SPI, the composite index and the vulnerable-groups matrix, worked by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import lindung
from lindung.assess.composite import Choices, CompositeIndicator, composite_index, score
from lindung.assess.matrix import Latest, MatrixIndicator, matrix_axes, vulnerable_groups_matrix
from lindung.assess.spi import SpiInput, social_protection_indicator
from lindung.errors import AssessmentError, UsageError
from lindung.framework import load_catalogue

CATALOGUE = Path(lindung.__file__).parent / "framework" / "catalogue"


def _spi(quarter: bool = False) -> dict[tuple[str, str], dict[str, object]]:
    # Country: GDP per capita 2000; 1000 intended beneficiaries.
    # SI: 600 000 spent on 200 people; SA: 150 000 on 300; LM: 50 000 on 100.
    # Women/men split of the same spending: F 300 000 on 350, M 500 000 on 250.
    parts = [
        SpiInput("SI", 600_000, 200),
        SpiInput("SA", 150_000, 300),
        SpiInput("LM", 50_000, 100),
        SpiInput("SI", 200_000, 150, sex="F"),
        SpiInput("SA", 100_000, 200, sex="F"),
        SpiInput("SI", 400_000, 50, sex="M"),
        SpiInput("SA", 100_000, 200, sex="M"),
        SpiInput("SA", 120_000, 250, poverty="POOR"),
        SpiInput("SA", 30_000, 50, poverty="NONPOOR"),
    ]
    rows = social_protection_indicator(
        parts,
        intended_beneficiaries=1000,
        gdp_per_capita=2000,
        ref_area="AAA",
        time_period=2015,
        quarter_gdp=quarter,
    )
    return {
        (
            str(r["breakdown"]),
            str(
                r["program"]
                if r["breakdown"] == "program"
                else r["sex"]
                if r["breakdown"] == "sex"
                else r["group"]
            ),
        ): r
        for r in rows
    }


def test_spi_is_expenditure_per_intended_beneficiary_over_gdp_per_capita_in_percent() -> None:
    rows = _spi()
    # The catalogue's unit of ASP_SPI, its depth and breadth is percent. total: 100 x 800 000 /
    # 1000 / 2000 = 40; breadth 100 x 600/1000 = 60; depth 100 x 800000/600/2000 = 66.67
    total = rows[("total", "_T")]
    assert total["unit"] == "percent"
    assert total["spi"] == pytest.approx(40.0)
    assert total["breadth"] == pytest.approx(60.0)
    assert total["depth"] == pytest.approx(100 * 800_000 / 600 / 2000)
    # the catalogue's definition: SPI = depth x breadth / 100
    assert float(total["depth"]) * float(total["breadth"]) / 100 == pytest.approx(40.0)  # type: ignore[arg-type]
    # SI: 100 x 600 000/1000/2000 = 30; SA 7.5; LM 2.5 -> they add up to 40
    programs = [rows[("program", p)]["spi"] for p in ("SI", "SA", "LM")]
    assert programs == pytest.approx([30.0, 7.5, 2.5])
    assert sum(programs) == pytest.approx(40.0)  # type: ignore[arg-type]
    # women: 100 x 300 000/1000/2000 = 15; men 25 -> 40
    assert rows[("sex", "F")]["spi"] == pytest.approx(15.0)
    assert rows[("sex", "M")]["spi"] == pytest.approx(25.0)
    # poor: 100 x 120 000/1000/2000 = 6; depth = 100 x 120000/250/2000 = 24; breadth 25
    assert rows[("poverty", "POOR")]["spi"] == pytest.approx(6.0)
    assert rows[("poverty", "POOR")]["depth"] == pytest.approx(24.0)
    assert rows[("poverty", "POOR")]["breadth"] == pytest.approx(25.0)


def test_the_spi_unit_is_the_catalogues() -> None:
    from lindung.framework import load_catalogue

    catalogue = load_catalogue()
    units = {
        code: catalogue.indicator(code).unit
        for code in ("ASP_SPI", "ASP_SPI_DEPTH", "ASP_SPI_BREADTH")
    }
    assert units == dict.fromkeys(units, _spi()[("total", "_T")]["unit"])


def test_spi_before_2016_divides_by_a_quarter_of_gdp_per_capita() -> None:
    old = _spi(quarter=True)[("total", "_T")]
    assert old["spi"] == pytest.approx(160.0)  # 4 x 40
    assert "quarter" in str(old["convention"])


def test_spi_refuses_zero_intended_beneficiaries_with_a_message() -> None:
    with pytest.raises(
        AssessmentError, match="intended beneficiaries must be a finite positive number"
    ):
        social_protection_indicator(
            [SpiInput("SI", 1, 1)],
            intended_beneficiaries=0,
            gdp_per_capita=1,
            ref_area="AAA",
            time_period=2015,
        )


@pytest.mark.parametrize(
    ("part", "intended", "gdp", "message"),
    [
        (
            SpiInput("SI", float("inf"), 1),
            10.0,
            1.0,
            "expenditure of SI (sex _T, poverty _T) is inf",
        ),
        (
            SpiInput("SI", 1, float("nan")),
            10.0,
            1.0,
            "beneficiaries of SI (sex _T, poverty _T) is nan",
        ),
        (SpiInput("SA", -5, 1), 10.0, 1.0, "expenditure of SA (sex _T, poverty _T) is -5"),
        (SpiInput("SI", 1, 1), float("inf"), 1.0, "intended beneficiaries must be a finite"),
        (SpiInput("SI", 1, 1), 10.0, float("nan"), "GDP per capita must be a finite"),
    ],
)
def test_spi_refuses_inputs_that_are_not_finite_naming_them(
    part: SpiInput, intended: float, gdp: float, message: str
) -> None:
    # inf read from a CSV ("1e400") would make every SPI of the country infinite
    with pytest.raises(AssessmentError, match=re.escape(f"SPI for AAA 2015: {message}")):
        social_protection_indicator(
            [part], intended_beneficiaries=intended, gdp_per_capita=gdp, ref_area="AAA",
            time_period=2015,
        )  # fmt: skip


INDICATORS = [
    CompositeIndicator("COV", 1, "coverage"),
    CompositeIndicator("POV", -1, "outcomes"),
    CompositeIndicator("ADQ", 1, "coverage"),
]
MATRIX = pd.DataFrame(
    {"COV": [10.0, 50.0, 90.0], "POV": [30.0, 20.0, 10.0], "ADQ": [20.0, 40.0, None]},
    index=["A", "B", "C"],
)


def test_min_max_equal_weights_arithmetic_by_hand() -> None:
    # min-max: COV A 0, B 0.5, C 1; POV (lower better) A 0, B 0.5, C 1; ADQ A 0, B 1, C -
    # A: (0+0+0)/3 = 0; B: (0.5+0.5+1)/3 = 0.6667; C (ADQ missing, 2/3 weight >= 0.5):
    # (1+1)/2 = 1
    scores, parts = score(MATRIX, INDICATORS, Choices())
    assert scores.tolist() == pytest.approx([0.0, 2 / 3, 1.0])
    assert parts.loc["B"].sum() == pytest.approx(2 / 3)
    assert parts.loc["B", "ADQ"] == pytest.approx(1 / 3)


def test_pillar_weights_split_each_pillar_equally() -> None:
    # pillars: coverage (COV, ADQ) -> 1/4 each; outcomes (POV) -> 1/2
    # B: 0.25*0.5 + 0.5*0.5 + 0.25*1 = 0.625
    scores, _ = score(MATRIX, INDICATORS, Choices(weighting="pillar"))
    assert scores["B"] == pytest.approx(0.625)


def test_geometric_mean_on_one_to_hundred_scale() -> None:
    # B: values 1+99*0.5 = 50.5, 50.5, 100 -> (50.5 * 50.5 * 100)^(1/3)
    scores, _ = score(MATRIX, INDICATORS, Choices(aggregation="geometric"))
    assert scores["B"] == pytest.approx((50.5 * 50.5 * 100) ** (1 / 3))


def test_missing_rule_exclude_drops_the_incomplete_country() -> None:
    scores, _ = score(MATRIX, INDICATORS, Choices(missing="exclude"))
    assert list(scores.index) == ["A", "B"]


def test_composite_ranks_follow_the_hand_worked_scores_and_state_the_choices() -> None:
    # scores by hand (test above): A 0, B 2/3, C 1 -> ranks C 1, B 2, A 3
    rows = composite_index(MATRIX, INDICATORS, Choices(), draws=50, seed=1)
    assert {r["ref_area"]: r["rank"] for r in rows} == {"A": 3, "B": 2, "C": 1}
    assert [r["ref_area"] for r in rows] == ["C", "B", "A"]
    assert "normalisation minmax" in rows[0]["choices"]
    assert "50 Monte Carlo draws" in rows[0]["choices"]


def test_rank_intervals_of_a_hand_worked_case() -> None:
    # Two indicators, four countries. A is best and D worst in both, so every normalisation
    # (min-max, z-score, rank: all increasing), every positive weight and either aggregation
    # ranks A first and D last: their intervals are [1, 1] and [4, 4]. B and C mirror each
    # other (B: 3 and 2, C: 2 and 3), so under any of those choices B beats C exactly when
    # its better indicator, X, weighs more: w_X > w_Y. The draws scale each weight by
    # U(0.5, 1.5), so w_X > w_Y in about half of them: B and C are 2nd in some draws and 3rd
    # in the others, and their 5th-95th percentile interval is [2, 3]. The nominal equal
    # weights tie them, and a tie takes the better rank: both 2.
    matrix = pd.DataFrame(
        {"X": [4.0, 3.0, 2.0, 1.0], "Y": [4.0, 2.0, 3.0, 1.0]}, index=["A", "B", "C", "D"]
    )
    indicators = [CompositeIndicator("X", 1, "p"), CompositeIndicator("Y", 1, "p")]
    rows = composite_index(matrix, indicators, Choices(), draws=200, seed=7)
    intervals = {r["ref_area"]: (r["rank"], r["rank_low"], r["rank_high"]) for r in rows}
    assert intervals == {"A": (1, 1, 1), "B": (2, 2, 3), "C": (2, 2, 3), "D": (4, 4, 4)}
    medians = {r["ref_area"]: r["rank_median"] for r in rows}
    assert medians["A"] == 1 and medians["D"] == 4
    assert 2 <= medians["B"] <= 3 and medians["B"] + medians["C"] == 5


def test_z_scores_cannot_be_aggregated_geometrically() -> None:
    with pytest.raises(UsageError, match="geometrically"):
        composite_index(
            MATRIX, INDICATORS, Choices(normalisation="zscore", aggregation="geometric")
        )


def test_matrix_cells_list_indicators_and_summarise_them() -> None:
    indicators = [
        MatrixIndicator("SI_COV_PENSN", "Pension coverage", ("OLDER",), "income_security", True),
        MatrixIndicator("ASP_OLD_CARE", "Care", ("OLDER",), "care"),
        MatrixIndicator("SI_COV_BENFTS", "Coverage", (), "income_security"),
    ]
    latest = {
        ("SI_COV_PENSN", "_T"): Latest(64.0, 2019, "percent", "substantial_progress"),
        ("SI_COV_PENSN", "F"): Latest(58.0, 2019, "percent", None),
        ("SI_COV_BENFTS", "_T"): Latest(44.1, 2019, "percent", "deterioration"),
    }
    groups, dimensions = matrix_axes(load_catalogue())
    rows = {
        (r["group"], r["life_dimension"]): r
        for r in vulnerable_groups_matrix(
            indicators, latest, ref_area="PHL", groups=groups, dimensions=dimensions
        )
    }
    older_income = rows[("OLDER", "income_security")]
    assert older_income["indicators"][0]["value"] == 64.0
    assert "1 on track or achieved" in older_income["summary"]
    assert "none with data" in rows[("OLDER", "care")]["summary"]
    assert rows[("CHILDREN", "health")]["summary"] == "no indicator in the framework"
    assert "1 limited, deteriorating" in rows[("ALL", "income_security")]["summary"]
    # women's row shows the female value of indicators disaggregated by sex
    women = rows[("WOMEN", "income_security")]["indicators"]
    assert women == [
        {
            "series": "SI_COV_PENSN",
            "sex": "F",
            "value": 58.0,
            "year": 2019,
            "unit": "percent",
            "status": "not_assessed",
        }
    ]


def test_the_matrix_has_a_row_for_every_vulnerable_group_and_life_dimension_of_the_catalogue() -> (
    None
):
    # Oracle: the catalogue's YAML read directly, not through lindung.framework.
    codelists = yaml.safe_load((CATALOGUE / "codelists.yaml").read_text())["codelists"]
    listed = next(c for c in codelists if c["name"] == "group")["codes"]
    indicators = [
        MatrixIndicator("SI_COV_WKINJRY", "Work injury", ("WORK_INJURY",), "employment"),
    ]
    latest = {("SI_COV_WKINJRY", "_T"): Latest(30.0, 2019, "percent", None)}
    groups, dimensions = matrix_axes(load_catalogue())
    rows = vulnerable_groups_matrix(
        indicators, latest, ref_area="PHL", groups=groups, dimensions=dimensions
    )
    assert list(dict.fromkeys(r["group"] for r in rows)) == ["ALL", *(c["code"] for c in listed)]
    assert {"NONPOOR", "WORK_INJURY"} <= set(groups)
    assert list(dict.fromkeys(r["life_dimension"] for r in rows)) == [
        "income_security",
        "health",
        "education",
        "care",
        "employment",
    ]
    injury = next(
        r for r in rows if r["group"] == "WORK_INJURY" and r["life_dimension"] == "employment"
    )
    assert [e["value"] for e in injury["indicators"]] == [30.0]

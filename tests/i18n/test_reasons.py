"""Why an assessment says what it says, in English and Indonesian: the codes and numbers that
``lindung.assess`` gives beside its English sentence, said through the catalogues.

Oracles by hand: Open SDG's ratio R = s·d·CAGR_observed / |CAGR_required| (sdg-build
ProgressMeasure.py), CAGR = (x_t / x_0)^(1/(t - t0)) - 1; a cell of the matrix counted from the
statuses given; numbers written as each language writes them (1.234,5 and 12,94% in Indonesian).
"""

from __future__ import annotations

import pandas as pd
import pytest

from lindung.assess.aggregates import regional_aggregates
from lindung.assess.matrix import Latest, MatrixIndicator, vulnerable_groups_matrix
from lindung.assess.population import BASES
from lindung.assess.progress import REASON_CODES, Goal, escap_progress, opensdg_progress
from lindung.i18n.reasons import (
    NOTES,
    PROGRESS_REASONS,
    aggregate_reason,
    matrix_summary,
    progress_reason,
)
from lindung.keys import DIMENSIONS


def test_every_reason_code_of_assess_is_said_and_every_argument_named() -> None:
    assert set(PROGRESS_REASONS) == set(REASON_CODES)
    for code, names in REASON_CODES.items():
        # ESCAP's unbounded trend value is said only where a bound held it ("held at ...").
        for name in set(names) - {"trend_value"}:
            assert f"%({name})s" in PROGRESS_REASONS[code], (code, name)


def test_a_growth_ratio_is_said_with_the_readers_percentages_and_decimals() -> None:
    # Higher is better, 40 (2015) -> 50 (2020), target 80 by 2030.
    progress = opensdg_progress([2015, 2020], [40.0, 50.0], Goal(direction=1, target=80.0))
    observed = (50 / 40) ** (1 / 5) - 1  # 4.564 %
    required = (80 / 40) ** (1 / 15) - 1  # 4.729 %
    ratio = observed / required
    assert progress.reason_code == "growth_ratio"
    assert progress.reason_args["ratio"] == pytest.approx(ratio)
    assert progress_reason(progress.reason_code, progress.reason_args, "en") == (
        f"growth of {observed:.2%} a year observed against {required:.2%} a year required "
        f"(2015–2030): ratio R = {ratio:.3f}"
    )
    indonesian = progress_reason(progress.reason_code, progress.reason_args, "id")
    assert indonesian == (
        f"pertumbuhan teramati {observed * 100:.2f}% per tahun dibandingkan {required * 100:.2f}% "
        f"per tahun yang diperlukan (2015–2030): rasio R = {ratio:.3f}"
    ).translate(str.maketrans(".", ","))


def test_a_value_is_grouped_and_a_replaced_zero_noted_in_the_readers_language() -> None:
    met = opensdg_progress([2015, 2020], [900.0, 1234.5], Goal(direction=1, target=1000.0))
    assert met.status == "target_achieved"
    assert progress_reason(met.reason_code, met.reason_args, "en") == (
        "1,234.5 in 2020 meets the target 1,000"
    )
    assert progress_reason(met.reason_code, met.reason_args, "id") == (
        "1.234,5 pada 2020 memenuhi target 1.000"
    )
    # Lower is better, target 0: Open SDG takes the target as 0.001 and says so.
    zero = opensdg_progress([2015, 2020], [10.0, 5.0], Goal(direction=-1, target=0.0))
    assert zero.reason_args["notes"] == ["target_zero"]
    said = progress_reason(zero.reason_code, zero.reason_args, "id")
    assert said is not None and said.endswith("; target 0 diganti dengan 0,001")
    assert set(NOTES) == {"target_zero", "base_zero"}


def test_every_edge_case_has_a_code_and_says_its_year() -> None:
    goal = Goal(direction=1, target=None)
    none = opensdg_progress([], [], goal)
    late = opensdg_progress([2010], [5.0], goal)
    single = opensdg_progress([2016], [5.0], goal)
    assert (none.reason_code, late.reason_code, single.reason_code) == (
        "no_data",
        "no_base_value",
        "one_point",
    )
    assert progress_reason("no_data", {}, "id") == "tidak ada data"
    assert progress_reason(late.reason_code, late.reason_args, "id") == (
        "tidak ada nilai pada atau setelah tahun dasar 2015"
    )
    assert progress_reason("a_code_of_tomorrow", {}, "id") is None  # the page shows English


def test_escaps_indices_are_said_with_the_status_in_words() -> None:
    # 20 (2015), 30 (2020), target 40 by 2030: the weighted trend of two points is the line
    # through them, 2 a year, so 50 in 2030; CSI = 10 / 20, expected by 2020 5 / 15,
    # API = 30 / 20 = 1.5 (maintain progress); bounded at 45, the API is 25 / 20 = 1.25.
    progress = escap_progress([2015, 2020], [20.0, 30.0], Goal(direction=1, target=40.0))
    assert progress.status == "maintain_progress"
    said = progress_reason(progress.reason_code, progress.reason_args, "id")
    assert said == (
        "indeks status terkini 0,500 dari jalan antara 20 (2015) dan 40 (yang diharapkan pada "
        "2020: 0,333); tren 2015–2020 memberikan 50 pada 2030, indeks kemajuan yang "
        "diantisipasi 1,500: Pertahankan kemajuan untuk mencapai target"
    )
    held = escap_progress(
        [2015, 2020], [20.0, 30.0], Goal(direction=1, target=40.0, bounds=(0.0, 45.0))
    )
    said = progress_reason(held.reason_code, held.reason_args, "en")
    assert said is not None
    assert "gives 50, held at the indicator's bound 45 in 2030" in said
    assert "anticipated progress index 1.250: Maintain progress to achieve the target" in said


def test_a_matrix_cell_is_summed_up_in_both_languages() -> None:
    indicators = [
        MatrixIndicator("A", "a", (), "health"),
        MatrixIndicator("B", "b", (), "health"),
        MatrixIndicator("C", "c", (), "health"),
        MatrixIndicator("D", "d", (), "care"),
    ]
    latest = {
        ("A", "_T"): Latest(10.0, 2019, "percent", "substantial_progress"),
        ("B", "_T"): Latest(20.0, 2021, "percent", "deterioration"),
    }
    rows = vulnerable_groups_matrix(
        indicators,
        latest,
        ref_area="PHL",
        groups=("ALL",),
        dimensions=("health", "care", "education"),
    )
    cells = {row["life_dimension"]: row for row in rows}
    health = cells["health"]
    # 2 of 3 with data, the newest 2021; one favourable, one unfavourable.
    assert health["summary_args"] == {
        "with_data": 2,
        "indicators": 3,
        "latest": 2021,
        "favourable": 1,
        "unfavourable": 1,
        "intermediate": 0,
        "unassessed": 0,
    }
    english = "2 of 3 indicators with data (latest 2021); 1 on track or achieved; 1 limited, deteriorating or regressing"
    assert health["summary"] == english
    assert matrix_summary(health["summary_code"], health["summary_args"], "en") == english
    assert matrix_summary(health["summary_code"], health["summary_args"], "id") == (
        "2 dari 3 indikator memiliki data (terbaru 2021); 1 sesuai jalur atau tercapai; "
        "1 terbatas, memburuk atau mundur"
    )
    care = cells["care"]
    assert matrix_summary(care["summary_code"], care["summary_args"], "en") == care["summary"]
    assert matrix_summary(care["summary_code"], care["summary_args"], "en") == (
        "1 indicator, none with data: a data gap"
    )
    assert matrix_summary(care["summary_code"], care["summary_args"], "id") == (
        "1 indikator, tidak satu pun memiliki data: kesenjangan data"
    )
    education = cells["education"]
    assert matrix_summary(education["summary_code"], {}, "id") == (
        "tidak ada indikator dalam kerangka kerja"
    )


def _aggregates(values: dict[str, float], unit: str = "percent") -> list[dict[str, object]]:
    """The ASEAN aggregates of SI_COV_BENFTS 2020 of ``values``, by population: IDN 60, PHL 30
    and VNM 10 (millions, UN WPP 2020), BRN none."""
    keys = {name: "_T" for name in DIMENSIONS}
    frame = pd.DataFrame(
        [
            {"series": "SI_COV_BENFTS", "ref_area": area, "time_period": 2020, **keys}
            | {"value": value, "unit": unit}
            for area, value in values.items()
        ]
    )
    population = pd.DataFrame(
        [
            {"ref_area": area, "time_period": 2020, "sex": "_T", "age": "_T", "value": people}
            for area, people in (("IDN", 60e6), ("PHL", 30e6), ("VNM", 10e6))
        ]
    )
    return regional_aggregates(
        frame, population, BASES["TOTAL"], region="ASEAN", members=("IDN", "PHL", "VNM")
    )


def test_why_a_regional_aggregate_has_no_value_is_said_in_both_languages() -> None:
    # VNM alone holds 10 / 100 of the population: below half, no aggregate.
    row = _aggregates({"VNM": 50.0})[0]
    assert row["value"] is None and row["reason_code"] == "below_share"
    assert aggregate_reason(row["reason_code"], row["reason_args"], "en") == (
        "the member states with data hold 10.0% of the total population, below 50%"
    )
    assert aggregate_reason(row["reason_code"], row["reason_args"], "id") == (
        "negara anggota yang memiliki data mencakup 10,0% dari penduduk total, di bawah 50%"
    )
    # IDN and PHL hold 90 %: a value, and nothing to explain.
    held = _aggregates({"IDN": 40.0, "PHL": 70.0})
    weighted = next(r for r in held if r["method"] == "population_weighted")
    assert weighted["value"] == pytest.approx((60 * 40 + 30 * 70) / 90)
    assert aggregate_reason(weighted["reason_code"], weighted["reason_args"], "id") == ""
    money = _aggregates({"IDN": 1.0, "PHL": 2.0}, unit="LCU")[0]
    assert aggregate_reason(money["reason_code"], money["reason_args"], "id") == (
        "nilai dalam mata uang masing-masing negara tidak dapat dirata-ratakan antarnegara"
    )

"""Progress to targets, each case worked by hand in the test (ESCAP and Open SDG methods).

Open SDG formulas and thresholds: open-sdg/sdg-build sdg/ProgressMeasure.py (SeriesProgress,
commit 139fede7) and open-sdg docs/progress-methodology.md. ESCAP: "Progress Assessment
Methodology", technical notes of the Asia and the Pacific SDG Progress Report.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lindung.assess.progress import (
    Goal,
    Progress,
    anticipated_value,
    escap_progress,
    opensdg_progress,
    status_from_score,
)

UP = 1
DOWN = -1


# --- Open SDG, with a target --------------------------------------------------------------


def test_opensdg_ratio_of_observed_to_required_growth_gives_moderate_progress() -> None:
    # 2015: 20, 2020: 25, target 50 in 2030.
    # observed CAGR = (25/20)^(1/5) - 1 = 0.0456396; required = (50/20)^(1/15) - 1 = 0.0629904
    # R = 0.0456396 / 0.0629904 = 0.724548 -> 0.6 <= R < 0.95: moderate progress
    result = opensdg_progress([2015, 2020], [20.0, 25.0], Goal(UP, 50.0))
    assert result.status == "moderate_progress"
    assert result.progress_value == pytest.approx(0.724548, rel=1e-5)
    # score = 7.1429 R - 4.2857 = 0.889674
    assert result.score == pytest.approx(0.889674, abs=1e-5)


def test_opensdg_fast_growth_towards_the_target_is_substantial_progress() -> None:
    # 2015: 20, 2018: 30, target 50 in 2030: observed (1.5)^(1/3)-1 = 0.144714,
    # required 0.062989, R = 2.2975 >= 0.95
    result = opensdg_progress([2015, 2018], [20.0, 30.0], Goal(UP, 50.0))
    assert result.status == "substantial_progress"
    assert result.progress_value == pytest.approx(0.144714 / 0.062989, rel=1e-4)
    assert result.score == 5.0


def test_opensdg_falling_coverage_is_deterioration() -> None:
    # 2015: 40, 2019: 38, target 60: observed (0.95)^(1/4)-1 = -0.012741 -> R < 0
    result = opensdg_progress([2015, 2019], [40.0, 38.0], Goal(UP, 60.0))
    assert result.status == "deterioration"
    assert result.progress_value is not None and result.progress_value < 0


def test_opensdg_lower_is_better_reverses_the_sign() -> None:
    # poverty 2015: 10, 2020: 8, target 5 in 2030 (d = -1)
    # observed (0.8)^(1/5)-1 = -0.043648; required (0.5)^(1/15)-1 = -0.045158
    # R = (+1)(-1)(-0.043648)/0.045158 = 0.96657 -> substantial
    result = opensdg_progress([2015, 2020], [10.0, 8.0], Goal(DOWN, 5.0))
    assert result.status == "substantial_progress"
    assert result.progress_value == pytest.approx(0.043648 / 0.045158, rel=1e-4)


def test_opensdg_value_beyond_the_target_is_target_achieved_with_score_five() -> None:
    result = opensdg_progress([2015, 2019], [40.0, 70.0], Goal(UP, 60.0))
    assert result.status == "target_achieved"
    assert result.score == 5.0
    assert "meets the target" in result.reason


def test_opensdg_target_already_met_at_base_stays_achieved() -> None:
    result = opensdg_progress([2015, 2019], [4.0, 3.0], Goal(DOWN, 5.0))
    assert result.status == "target_achieved"


def test_opensdg_one_data_point_is_not_available_with_a_reason() -> None:
    result = opensdg_progress([2019], [30.0], Goal(UP, 60.0))
    assert result.status == "not_available"
    assert "one data point" in result.reason


def test_opensdg_base_year_moves_to_the_first_year_after_it() -> None:
    # no 2015 value: base becomes 2016 (Open SDG rule); 2016: 30 -> 2019: 33
    result = opensdg_progress([2010, 2016, 2019], [10.0, 30.0, 33.0], Goal(UP, None))
    assert result.base_year == 2016
    assert result.base_value == 30.0


def test_opensdg_only_data_before_the_base_year_is_not_available() -> None:
    result = opensdg_progress([2010, 2012], [10.0, 12.0], Goal(UP, 60.0))
    assert result.status == "not_available"
    assert "base year 2015" in result.reason


def test_opensdg_zero_base_is_replaced_by_0_001_and_says_so() -> None:
    # base 0 -> 0.001; 2015 -> 2019, current 2: CAGR = (2/0.001)^(1/4) - 1 = 5.6874
    result = opensdg_progress([2015, 2019], [0.0, 2.0], Goal(UP, None))
    assert result.progress_value == pytest.approx((2 / 0.001) ** 0.25 - 1, rel=1e-9)
    assert result.status == "substantial_progress"
    assert "base value 0 replaced by 0.001" in result.reason


def test_opensdg_sign_change_is_not_available() -> None:
    result = opensdg_progress([2015, 2019], [-2.0, 3.0], Goal(UP, None))
    assert result.status == "not_available"
    assert "differ in sign" in result.reason


def test_opensdg_all_negative_values_flip_the_direction() -> None:
    # growth rate of GDP -4 -> -2 (higher is better): CAGR = (0.5)^(1/4) - 1 = -0.159104,
    # s = -1, d = +1: value = +0.159104 -> substantial
    result = opensdg_progress([2015, 2019], [-4.0, -2.0], Goal(UP, None))
    assert result.progress_value == pytest.approx(1 - 0.5**0.25, rel=1e-9)
    assert result.status == "substantial_progress"


def test_opensdg_base_equal_to_target_not_met_now_gives_a_reason_not_a_crash() -> None:
    result = opensdg_progress([2015, 2019], [50.0, 40.0], Goal(UP, 50.0))
    assert result.status == "not_available"
    assert "required growth is 0" in result.reason


def test_opensdg_on_sdg_builds_own_fixture_3_3_3_is_deterioration() -> None:
    # open-sdg/sdg-build tests/assets/progress-calculation: indicator_3-3-3.csv (totals) with
    # indicator-config 3-3-3.yml (direction negative, target 0). sdg-build ships no expected
    # output, so the expectation is worked here: base 2015 = 1.55, current 2019 = 1.82,
    # target 0 -> 0.001. observed = (1.82/1.55)^(1/4) - 1 = 0.0409621;
    # required = (0.001/1.55)^(1/15) - 1 = -0.3872106; R = (+1)(-1)(0.0409621)/0.3872106
    # = -0.105788 -> deterioration
    years = list(range(2010, 2020))
    values = [1.51, 1.51, 1.38, 1.4, 1.27, 1.55, 1.69, 1.65, 1.62, 1.82]
    result = opensdg_progress(years, values, Goal(DOWN, 0.0))
    assert result.base_year == 2015
    assert result.progress_value == pytest.approx(-0.105788, rel=1e-5)
    assert result.status == "deterioration"
    assert "target 0 replaced by 0.001" in result.reason


# --- Open SDG, without a target ------------------------------------------------------------


def test_opensdg_without_target_compares_cagr_with_one_and_a_half_and_half_percent() -> None:
    # 100 -> 104 over 4 years: CAGR = 1.04^(1/4) - 1 = 0.009853 -> 0.5% <= CAGR < 1.5%
    result = opensdg_progress([2015, 2019], [100.0, 104.0], Goal(UP, None))
    assert result.status == "moderate_progress"
    assert result.progress_value == pytest.approx(1.04**0.25 - 1, rel=1e-9)
    # score = 250 * 0.009853 - 1.25 = 1.2133
    assert result.score == pytest.approx(250 * (1.04**0.25 - 1) - 1.25, rel=1e-9)


def test_opensdg_limit_scales_the_thresholds_near_a_natural_bound() -> None:
    # base 95 percent, limit 100: C = 1 - 0.95^4.44 = 0.203670
    # 95 -> 96 over 4 years: CAGR = (96/95)^(1/4)-1 = 0.0026213
    # high threshold 0.015 C = 0.0030551, med 0.005 C = 0.0010184 -> moderate (would be
    # limited without the limit: 0.0026 < 0.005)
    with_limit = opensdg_progress([2015, 2019], [95.0, 96.0], Goal(UP, None, limit=100.0))
    without = opensdg_progress([2015, 2019], [95.0, 96.0], Goal(UP, None))
    assert with_limit.status == "moderate_progress"
    assert without.status == "limited_progress"
    assert "C = 0.204" in with_limit.reason


def test_opensdg_mean_score_maps_to_bands_of_two_and_a_half() -> None:
    assert status_from_score(3.0, False) == "substantial_progress"
    assert status_from_score(0.0, False) == "moderate_progress"
    assert status_from_score(-2.5, False) == "limited_progress"
    assert status_from_score(-2.6, False) == "deterioration"
    assert status_from_score(1.0, True) == "target_achieved"
    assert status_from_score(None, False) == "not_available"


# --- ESCAP ---------------------------------------------------------------------------------


def test_escap_two_points_give_the_straight_line_trend() -> None:
    # 2015: 20, 2020: 30, target 60 in 2030. CSI = (30-20)/(60-20) = 0.25.
    # With two points the weighted line passes through both: slope 2/yr, 2030 value = 50.
    # API = (50-20)/(60-20) = 0.75 -> accelerate progress (ESCAP dashboard category)
    result = escap_progress([2015, 2020], [20.0, 30.0], Goal(UP, 60.0))
    assert result.progress_value == pytest.approx(0.25)
    assert result.anticipated_value == pytest.approx(50.0)
    assert result.anticipated_index == pytest.approx(0.75)
    assert result.status == "accelerate_progress"
    # expected progress by 2020: (2020-2015)/(2030-2015) = 1/3 > CSI 0.25: behind schedule
    assert "expected by 2020: 0.333" in result.reason


def test_escap_maintain_progress_when_the_trend_reaches_the_target() -> None:
    # 2015: 20, 2020: 40: slope 4/yr -> 2030: 80 >= 60; API = 60/40 = 1.5
    result = escap_progress([2015, 2020], [20.0, 40.0], Goal(UP, 60.0))
    assert result.status == "maintain_progress"
    assert result.anticipated_index == pytest.approx(1.5)


def test_escap_reverse_trend_when_moving_away_from_the_target() -> None:
    # lower is better: 10 -> 12 with target 5: CSI = (12-10)/(5-10) = -0.4; API = (16-10)/-5
    result = escap_progress([2015, 2020], [10.0, 12.0], Goal(DOWN, 5.0))
    assert result.progress_value == pytest.approx(-0.4)
    assert result.anticipated_value == pytest.approx(16.0)
    assert result.anticipated_index == pytest.approx(-1.2)
    assert result.status == "reverse_trend"


def test_escap_weighted_trend_gives_recent_years_more_weight() -> None:
    # years 2015, 2016, 2017 with values 10, 10, 13; weights 1, 2, 3.
    # weighted mean year = (2015 + 4032 + 6051)/6 = 2016.3333; mean value = (10+20+39)/6 = 11.5
    # Sxy = 1(-1.3333)(-1.5) + 2(-0.3333)(-1.5) + 3(0.6667)(1.5) = 2 + 1 + 3 = 6
    # Sxx = 1(1.7778) + 2(0.1111) + 3(0.4444) = 3.3333 -> slope 1.8
    # 2030: 11.5 + 1.8 * 13.6667 = 36.1
    assert anticipated_value([2015, 2016, 2017], [10.0, 10.0, 13.0], 2030) == pytest.approx(36.1)


def test_escap_without_a_numeric_target_is_not_assessed() -> None:
    result = escap_progress([2015, 2020], [20.0, 30.0], Goal(UP, None))
    assert result.status == "no_target"
    assert "quantitative target" in result.reason


def test_escap_one_data_point_is_insufficient() -> None:
    result = escap_progress([2019], [20.0], Goal(UP, 60.0))
    assert result.status == "insufficient_data"


def test_escap_zero_base_is_fine_for_a_linear_index() -> None:
    # 0 -> 10 over 2015-2020, target 30: CSI = 10/30; trend 2030 = 30 -> API = 1
    result = escap_progress([2015, 2020], [0.0, 10.0], Goal(UP, 30.0))
    assert result.progress_value == pytest.approx(1 / 3)
    assert result.anticipated_index == pytest.approx(1.0)
    assert result.status == "maintain_progress"


def test_escap_sign_change_is_fine_for_a_linear_index() -> None:
    # -2 -> 3, target 10: CSI = 5/12
    result = escap_progress([2015, 2020], [-2.0, 3.0], Goal(UP, 10.0))
    assert result.progress_value == pytest.approx(5 / 12)


def test_escap_target_met_is_achieved() -> None:
    result = escap_progress([2015, 2020], [20.0, 65.0], Goal(UP, 60.0))
    assert result.status == "target_achieved"


def test_escap_base_met_target_but_current_does_not_is_reverse_trend() -> None:
    result = escap_progress([2015, 2020], [60.0, 55.0], Goal(UP, 60.0))
    assert result.status == "reverse_trend"
    # the numbers behind the status are the inputs themselves, and no index is made up
    assert (result.base_year, result.base_value) == (2015, 60.0)
    assert (result.current_year, result.current_value, result.target) == (2020, 55.0, 60.0)
    assert (result.progress_value, result.anticipated_index) == (None, None)
    assert result.reason == "the base value met the target 60; the current value no longer does"


def test_escap_regional_assessment_needs_two_points_in_more_than_half_the_members() -> None:
    # members A, B, C: only A has two points (2015, 2019) -> 1 of 3 <= half: excluded
    import pandas as pd

    from lindung.assess.progress_table import escap_selection
    from lindung.keys import DIMENSIONS

    frame = pd.DataFrame(
        [
            {
                "series": "S",
                "ref_area": area,
                "time_period": year,
                "value": 1.0,
                **dict.fromkeys(DIMENSIONS, "_T"),
            }
            for area, year in (("A", 2015), ("A", 2019), ("B", 2019), ("C", 2019))
        ]
    )
    assert "1 of 3" in escap_selection(frame, ["A", "B", "C"])["S"]
    assert escap_selection(frame, ["A"]) == {}


# --- A target year that is not after the base year (e.g. --target-year 2015) --------------


@pytest.mark.parametrize(
    ("assess", "status"),
    [(opensdg_progress, "not_available"), (escap_progress, "not_assessed")],
)
def test_a_target_year_not_after_the_base_year_gives_a_reason_not_a_division_by_zero(
    assess: Callable[..., Progress], status: str
) -> None:
    # 2015: 20, 2020: 25, target 50 "in 2015": the required growth and ESCAP's expected
    # progress to date both divide by target year - base year = 0.
    result = assess([2015, 2020], [20.0, 25.0], Goal(UP, 50.0, target_year=2015))
    assert result.status == status
    assert result.reason.startswith("the target year 2015 is not after the base year 2015")


# --- ESCAP: the trend starts at the base year and stays within the indicator's bounds -----


def test_escap_anticipated_poverty_rate_is_held_at_zero_not_extrapolated_below_it() -> None:
    # Poverty rate 20 % (2015) -> 5 % (2020), target 3 %: the line falls 3 points a year and
    # gives 5 - 3 x 10 = -25 % in 2030, which no poverty rate can be. Held at the bound 0:
    # API = (0 - 20) / (3 - 20) = 20/17 = 1.1765 -> maintain progress.
    result = escap_progress([2015, 2020], [20.0, 5.0], Goal(DOWN, 3.0, bounds=(0.0, 100.0)))
    assert result.anticipated_value == 0.0
    assert result.anticipated_index == pytest.approx(20 / 17)
    assert result.status == "maintain_progress"
    assert "gives -25, held at the indicator's bound 0 in 2030" in result.reason


def test_escap_anticipated_coverage_is_held_at_one_hundred() -> None:
    # 40 % -> 90 % over 2015-2020: the line gives 190 % in 2030; held at 100.
    # API = (100 - 40) / (95 - 40) = 60/55
    result = escap_progress([2015, 2020], [40.0, 90.0], Goal(UP, 95.0, bounds=(0.0, 100.0)))
    assert result.anticipated_value == 100.0
    assert result.anticipated_index == pytest.approx(60 / 55)


def test_escap_trend_uses_only_the_values_from_the_base_year_on() -> None:
    # 2000: 50 and 2010: 50 come before the base year 2015. From 2015 on, the line through
    # (2015, 20) and (2020, 30) gives 50 in 2030: API = (50-20)/(60-20) = 0.75. With the older
    # points in the regression the trend would be flatter.
    result = escap_progress([2000, 2010, 2015, 2020], [50.0, 50.0, 20.0, 30.0], Goal(UP, 60.0))
    assert result.anticipated_value == pytest.approx(50.0)
    assert result.anticipated_index == pytest.approx(0.75)
    assert "trend 2015-2020 gives 50 in 2030" in result.reason


def test_escap_needs_two_points_since_the_base_year_whatever_came_before() -> None:
    result = escap_progress([2005, 2010, 2016], [10.0, 12.0, 15.0], Goal(UP, 60.0))
    assert result.status == "insufficient_data"
    assert result.reason == "one data point since the base year 2015; ESCAP needs two or more"
    assert result.anticipated_value is None


def test_the_bounds_of_a_series_come_from_its_unit_or_its_own_definition() -> None:
    from lindung.assess.progress_table import goal_for
    from lindung.framework import load_catalogue

    catalogue = load_catalogue()

    def bounds(code: str) -> tuple[float | None, float | None]:
        goal = goal_for(catalogue.indicator(code))
        assert goal is not None
        return goal.bounds

    assert bounds("SI_POV_DAY1") == (0.0, 100.0)  # a poverty rate
    assert bounds("SI_POV_GINI") == (0.0, 100.0)  # Gini index on the 0-100 scale
    assert bounds("ASP_SPI") == (0.0, None)  # percent of GDP per capita
    assert bounds("ASP_GINI_RED") == (None, 100.0)  # a reduction can be negative
    assert bounds("ASP_BCR") == (0.0, None)  # a ratio of amounts


def test_the_percentages_held_in_0_100_are_those_the_validation_rule_holds_there() -> None:
    # Oracle: the ingest rule percent-out-of-range, read from its YAML; a percentage it
    # exempts must not be held in 0-100 by the extrapolation, and every other one must.
    from fnmatch import fnmatch
    from pathlib import Path

    import yaml

    import lindung
    from lindung.assess.progress_table import value_bounds
    from lindung.framework import load_catalogue

    rules = yaml.safe_load(
        (Path(lindung.__file__).parent / "ingest" / "rules" / "default.yaml").read_text()
    )["rules"]
    rule = next(r for r in rules if r["code"] == "percent-out-of-range")
    exempt = rule["applies_to"]["exclude_series"]
    for indicator in load_catalogue().indicators:
        if indicator.unit != "percent":
            continue
        exempted = any(fnmatch(indicator.code, pattern) for pattern in exempt)
        assert (value_bounds(indicator) != (0.0, 100.0)) == exempted, indicator.code

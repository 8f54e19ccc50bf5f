"""Reading a spec: a domain's dimension and codes are the framework's, and every problem says
where it is (file:line:column) and how to fix it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lindung.errors import SurveySpecError
from lindung.survey import load_spec, parse_spec

from .conftest import Run, minimal_spec
from .test_bad_input import people


def domain(**fields: Any) -> dict[str, Any]:
    return minimal_spec(domains=[{"column": "sex", **fields}])


def test_a_domain_on_an_unknown_dimension_is_refused_with_the_closest_one() -> None:
    spec = domain(dimension="urbanization", codes={1: "U", 2: "R"})
    with pytest.raises(
        SurveySpecError,
        match=r"domains\.0\.dimension: 'urbanization' is not a dimension a domain can map to; "
        r"did you mean 'urbanisation'\?",
    ):
        parse_spec(spec)


@pytest.mark.parametrize("dimension", ["income_wealth_quantile", "program", "poverty_line"])
def test_a_domain_may_not_take_a_dimension_the_engine_fills_itself(dimension: str) -> None:
    with pytest.raises(SurveySpecError, match=r"is not a dimension a domain can map to"):
        parse_spec(domain(dimension=dimension, codes={1: "Q1"}))


def test_a_level_code_outside_the_codelist_is_refused_with_the_closest_code() -> None:
    with pytest.raises(
        SurveySpecError,
        match=r"domains\.0\.codes\.2: 'WOMAN' is not a group code; did you mean 'WOMEN'.*"
        r"choose from CHILDREN, ",
    ):
        parse_spec(domain(dimension="group", codes={1: "OLDER", 2: "WOMAN"}))
    with pytest.raises(SurveySpecError, match=r"'FEMALE' is not a sex code; choose from F, M$"):
        parse_spec(domain(dimension="sex", codes={1: "M", 2: "FEMALE"}))


def test_a_level_coded_as_the_total_is_refused() -> None:
    with pytest.raises(SurveySpecError, match=r"'_T' is not a sex code"):
        parse_spec(domain(dimension="sex", codes={1: "M", 2: "_T"}))


def test_two_levels_with_one_code_are_refused() -> None:
    with pytest.raises(SurveySpecError, match=r"levels '1' and '2' both map to 'F'"):
        parse_spec(domain(dimension="sex", codes={1: "F", 2: "F"}))


def test_two_domains_on_one_dimension_are_refused() -> None:
    spec = minimal_spec(
        domains=[
            {"column": "sex", "dimension": "sex", "codes": {1: "M", 2: "F"}},
            {"column": "sex_reported", "dimension": "sex", "codes": {1: "M", 2: "F"}},
        ]
    )
    with pytest.raises(SurveySpecError, match=r"domains\.1\.dimension: domain 'sex' already maps"):
        parse_spec(spec)


def test_a_dimension_without_codes_is_refused() -> None:
    with pytest.raises(SurveySpecError, match=r"domains\.0\.codes: give the sex code of each"):
        parse_spec(domain(dimension="sex"))


def test_a_plain_domain_with_declared_levels_is_accepted() -> None:
    spec = parse_spec(domain(codes={1: "men", 2: "women"}))
    assert spec.domains[0].dimension is None


def test_a_yaml_syntax_error_gives_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("survey: {country: IDN, year: 2024}\ndesign: [weight: wt\n", encoding="utf-8")
    with pytest.raises(SurveySpecError, match=rf"^{path}:3:1: not valid YAML \("):
        load_spec(path)


def test_an_entry_that_breaks_a_rule_is_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "survey: {country: IDN, year: 2024}\n"
        "design: {weight: wt}\n"
        "household: hh\n"
        "welfare: y\n"
        "programs:\n"
        "  - {code: cash, area: social_assistance, amount: cash}\n"
        "  - {code: pension, area: pensions, amount: pension}\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveySpecError, match=rf"^{path}:7:21: programs\.1\.area: "):
        load_spec(path)


def test_an_unknown_dimension_in_a_file_is_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "survey: {country: IDN, year: 2024}\n"
        "design: {weight: wt}\n"
        "household: hh\n"
        "welfare: y\n"
        "programs: [{code: cash, area: social_assistance, amount: cash}]\n"
        "domains:\n"
        "  - column: urban\n"
        "    dimension: urbanization\n"
        "    codes: {1: U, 0: R}\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveySpecError, match=rf"^{path}:8:5: domains\.0\.dimension: "):
        load_spec(path)


def test_a_misspelt_column_is_named_with_the_intended_one(run: Run) -> None:
    """The intended column sorts after the twelfth, where a bare listing would stop."""
    frame = people(**{f"a{i:02d}": 0 for i in range(14)}, welfare_pc=people()["y"])
    with pytest.raises(
        SurveySpecError,
        match=r"column 'welfare_cp' \(welfare\) is not in the data; did you mean "
        r"'welfare_pc'\?",
    ):
        run(minimal_spec(welfare="welfare_cp"), frame)


SPEC_TEXT = (
    "survey: {country: IDN, year: 2024}\n"
    "design: {weight: wt}\n"
    "household: hh\n"
    "welfare: y\n"
    "programs: [{code: cash, area: social_assistance, amount: cash}]\n"
    "domains:\n"
    "  - column: age\n"
    "    dimension: age\n"
    "    codes:\n"
    "      0-14: Y0T14\n"
    "      15-64: Y15T64\n"
    "      0-14: Y_GE65\n"
)


def test_a_level_given_twice_in_a_domains_codes_is_refused_where_it_repeats(
    tmp_path: Path,
) -> None:
    # PyYAML alone keeps the last one: the children's estimates would be labelled 65 and over.
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC_TEXT, encoding="utf-8")
    with pytest.raises(
        SurveySpecError, match=rf"^{path}:12:7: not valid YAML \(key '0-14' is given twice"
    ):
        load_spec(path)


def test_a_top_level_key_given_twice_is_refused_where_it_repeats(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC_TEXT.replace("welfare: y\n", "welfare: y\nwelfare: pkh_amt\n"), "utf-8")
    with pytest.raises(
        SurveySpecError, match=rf"^{path}:5:1: not valid YAML \(key 'welfare' is given twice"
    ):
        load_spec(path)

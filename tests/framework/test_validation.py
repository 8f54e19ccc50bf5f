"""Broken catalogues: every problem is reported with its file, entry and field, nothing loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lindung.errors import CatalogueInvalid
from lindung.framework import load_catalogue
from lindung.framework.loader import DEFAULT_CATALOGUE

COVERAGE = "indicators/1_coverage.yaml"
CONTEXT = "indicators/5_context.yaml"


def _copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogue."""
    root = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE, root)
    return root


def _edit(root: Path, file: str, old: str, new: str) -> None:
    """Replace the first ``old`` in a catalogue file, failing if it is not there."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(path: Path) -> list[str]:
    with pytest.raises(CatalogueInvalid) as raised:
        load_catalogue(path)
    return raised.value.problems


def test_an_untouched_copy_of_the_shipped_catalogue_is_valid(tmp_path: Path) -> None:
    catalogue = load_catalogue(_copy(tmp_path))
    assert len(catalogue.indicators) == len(load_catalogue().indicators)


def test_a_missing_field_is_named_with_its_file_and_indicator(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "    custodian: ILO\n", "")
    assert _problems(root) == [f"{COVERAGE}: SI_COV_BENFTS: custodian: Field required"]


def test_a_tier_outside_i_ii_iii_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "series: SI_COV_CHLD, tier: I}", "series: SI_COV_CHLD, tier: IV}")
    assert _problems(root) == [
        f"{COVERAGE}: SI_COV_CHLD: sdg.tier: Input should be 'I', 'II' or 'III'"
    ]


def test_a_duplicate_code_names_the_file_of_the_first_definition(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, CONTEXT, "code: ASP_POP\n", "code: SI_COV_BENFTS\n")
    problems = _problems(root)
    assert (
        f"{CONTEXT}: SI_COV_BENFTS: code: duplicate SI_COV_BENFTS; first defined in {COVERAGE}"
        in problems
    )


def test_a_formula_over_an_unknown_series_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "numerator: ASP_PENSN_BENEF,", "numerator: ASP_PENSION_RECIPIENTS,")
    assert _problems(root) == [
        f"{COVERAGE}: SI_COV_PENSN: computation.numerator: unknown series 'ASP_PENSION_RECIPIENTS'"
    ]


def test_a_yaml_syntax_error_gives_the_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "indicators" / "9_broken.yaml").write_text(
        "indicators:\n  - code: ASP_X\n    name: {en: 'open\n", encoding="utf-8"
    )
    problems = _problems(root)
    assert len(problems) == 1
    assert problems[0].startswith("indicators/9_broken.yaml: line ")
    assert ": yaml: " in problems[0]


def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "multiplier: 100}", "multiplier: hundred}")
    assert _problems(root) == [
        f"{COVERAGE}: SI_COV_PENSN: computation.multiplier: "
        "Input should be a valid number, unable to parse string as a number"
    ]


def test_a_text_without_bahasa_indonesia_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, "catalogue.yaml", 'name: {en: "Coverage", id: "Cakupan"}', 'name: {en: "Coverage"}')
    assert _problems(root) == ["catalogue.yaml: coverage: name.id: Field required"]


def test_a_crosswalk_note_without_bahasa_indonesia_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(
        root,
        COVERAGE,
        '          id: "UNICEF melaporkan seri ILO; tidak ada definisi tersendiri."\n',
        "",
    )
    assert _problems(root) == [f"{COVERAGE}: SI_COV_CHLD: crosswalk.1.note.id: Field required"]


def test_references_to_unknown_pillars_groups_and_dimensions_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "pillar: coverage", "pillar: reach")
    _edit(root, COVERAGE, "groups: [CHILDREN]", "groups: [KIDS]")
    _edit(root, COVERAGE, "disaggregations: [SEX]", "disaggregations: [COLOUR]")
    assert _problems(root) == [
        f"{COVERAGE}: SI_COV_BENFTS: pillar: unknown pillar 'reach'",
        f"{COVERAGE}: SI_COV_BENFTS: disaggregations.0: no codelist for dimension 'COLOUR'",
        f"{COVERAGE}: SI_COV_CHLD: groups.0: unknown group 'KIDS'",
    ]


def test_a_target_before_its_baseline_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, "indicators/3_outcomes.yaml", "year: 2030", "year: 2010")
    assert _problems(root) == [
        "indicators/3_outcomes.yaml: SI_POV_DAY1: target: "
        "target year 2010 is before the baseline year 2015"
    ]


def test_a_formula_without_denominator_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, " denominator: ASP_POP_PENSAGE,", "")
    assert _problems(root) == [
        f"{COVERAGE}: SI_COV_PENSN: computation: a formula needs both numerator and denominator"
    ]


def test_an_aggregate_of_unknown_members_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(
        root,
        "member_states.yaml",
        "members: [BRN, KHM, IDN, LAO, MYS, MMR, PHL, SGP, THA, VNM]",
        "members: [BRN, KHM, IDN, LAO, MYS, MMR, PHL, SGP, THA, VNM, PNG]",
    )
    assert _problems(root) == [
        "member_states.yaml: ASEAN10: members.10: 'PNG' is not a member state"
    ]


def test_every_problem_is_reported_at_once_and_nothing_is_returned(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "    custodian: ILO\n", "")
    _edit(root, CONTEXT, "unit: persons", "unit: people")
    _edit(root, "catalogue.yaml", 'version: "1.0.0"', "version: 1.0")
    problems = _problems(root)
    assert len(problems) == 3
    assert "catalogue.yaml: (file): version: 1.0 is not a version like '1.0.0'" in problems
    assert any(p.startswith(f"{CONTEXT}: ASP_POP: unit: Input should be") for p in problems)


def test_the_error_message_is_one_line_that_names_the_first_problems(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(root, COVERAGE, "    custodian: ILO\n", "")
    with pytest.raises(CatalogueInvalid) as raised:
        load_catalogue(root)
    message = str(raised.value)
    assert "\n" not in message
    assert message == (
        f"the catalogue is invalid: {COVERAGE}: SI_COV_BENFTS: custodian: Field required"
    )


def test_unknown_sections_and_a_second_version_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "extra.yaml").write_text('version: "2.0.0"\nindikator: []\n', encoding="utf-8")
    problems = _problems(root)
    assert "extra.yaml: (file): version: defined again (first in catalogue.yaml)" in problems
    assert any(p.startswith("extra.yaml: (file): indikator: unknown section") for p in problems)


def test_a_custom_file_of_national_indicators_takes_the_reference_sections(tmp_path: Path) -> None:
    custom = tmp_path / "national.yaml"
    custom.write_text(
        """
version: "1.1.0"
indicators:
  - code: IDN_PKH_COV
    name: {en: "PKH coverage", id: "Cakupan PKH"}
    definition:
      en: "Households receiving PKH as a percentage of households."
      id: "Rumah tangga penerima PKH sebagai persentase dari rumah tangga."
    unit: percent
    polarity: higher_is_better
    pillar: coverage
    computation: {method: reported}
    custodian: Kementerian Sosial
    disaggregations: [PROGRAM, URBANISATION]
    groups: [POOR]
    source: "Kementerian Sosial, program records."
""",
        encoding="utf-8",
    )
    catalogue = load_catalogue(custom)
    assert catalogue.version == "1.1.0"
    assert [indicator.code for indicator in catalogue.indicators] == ["IDN_PKH_COV"]
    assert len(catalogue.member_states) == 11
    assert "PD" in catalogue.codes("disability_status")


def test_a_path_that_does_not_exist_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    assert _problems(tmp_path / "missing") == [
        f"{tmp_path / 'missing'}: (path): -: no such file or directory"
    ]


def test_a_key_given_twice_in_a_catalogue_file_is_refused_at_its_line_and_column(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    (root / "indicators" / "9_twice.yaml").write_text(
        "indicators:\n  - code: ASP_X\n    code: ASP_Y\n", encoding="utf-8"
    )
    assert _problems(root) == [
        "indicators/9_twice.yaml: line 3, column 5: yaml: key 'code' is given twice; keep one"
    ]

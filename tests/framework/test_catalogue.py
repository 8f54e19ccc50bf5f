"""The shipped catalogue: what it holds, and the facts it encodes checked against their sources."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

import lindung.framework
from lindung.errors import UnknownCode
from lindung.framework import Indicator, Text, load_catalogue
from lindung.framework.loader import shipped_codelists, shipped_member_states
from lindung.survey.spec import DOMAIN_DIMENSIONS

SDG_131_SERIES = {
    "SI_COV_BENFTS",
    "SI_COV_CHLD",
    "SI_COV_DISAB",
    "SI_COV_LMKT",
    "SI_COV_MATNL",
    "SI_COV_PENSN",
    "SI_COV_POOR",
    "SI_COV_SOCAST",
    "SI_COV_SOCINS",
    "SI_COV_UEMP",
    "SI_COV_VULN",
    "SI_COV_WKINJRY",
}

# Series the survey engine stores its estimates under, with the estimator that produces them.
SURVEY_SERIES = {
    "ASP_COV": "coverage",
    "ASP_BENINC": "beneficiary_incidence",
    "ASP_BFTINC": "benefit_incidence",
    "ASP_ADQ": "adequacy",
    "ASP_POV_HC": "poverty_headcount",
    "ASP_POV_GAP": "poverty_gap",
    "ASP_POV_HC_RED": "poverty_headcount_reduction",
    "ASP_POV_GAP_RED": "poverty_gap_reduction",
    "ASP_GINI": "gini",
    "ASP_GINI_RED": "gini_reduction",
    "ASP_BCR": "benefit_cost_ratio",
}

# Tiers as published in the UN SDG API Indicator/List, release 2022.Q1.G.03.
PUBLISHED_TIERS = {
    "1.1.1": "I",
    "1.2.1": "I",
    "1.3.1": "I",
    "1.a.2": "II",
    "3.8.1": "I",
    "3.8.2": "I",
    "5.4.1": "II",
    "8.3.1": "II",
    "8.5.2": "I",
    "10.2.1": "II",
    "10.4.1": "I",
    "10.4.2": "II",
}

# ISO 3166-1 alpha-3 and UN M49 (unstats.un.org/unsd/methodology/m49) codes of the members.
MEMBER_CODES = {
    "BRN": 96,
    "KHM": 116,
    "IDN": 360,
    "LAO": 418,
    "MYS": 458,
    "MMR": 104,
    "PHL": 608,
    "SGP": 702,
    "THA": 764,
    "VNM": 704,
    "TLS": 626,
}


def _texts(model: BaseModel) -> Iterator[Text]:
    """Every Text inside a model, however deeply nested."""
    if isinstance(model, Text):
        yield model
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel):
                yield from _texts(item)


def test_the_package_exports_exactly_its_public_names() -> None:
    assert sorted(lindung.framework.__all__) == [
        "Aggregate",
        "Catalogue",
        "Code",
        "Codelist",
        "Computation",
        "CrosswalkEntry",
        "Indicator",
        "MemberState",
        "Pillar",
        "SdgLink",
        "Target",
        "Text",
        "load_catalogue",
    ]


def test_the_shipped_catalogue_is_version_1_0_0_with_at_least_40_indicators() -> None:
    catalogue = load_catalogue()
    assert catalogue.version == "1.0.0"
    assert len(catalogue.indicators) >= 40
    assert load_catalogue() is catalogue


def test_the_catalogue_starts_with_coverage_and_keeps_file_order() -> None:
    codes = [indicator.code for indicator in load_catalogue().indicators]
    assert codes[0] == "SI_COV_BENFTS"
    assert codes.index("SI_COV_WKINJRY") < codes.index("ASP_BENINC") < codes.index("ASP_POP")


def test_all_twelve_sdg_1_3_1_series_are_tier_i_with_their_custodian() -> None:
    catalogue = load_catalogue()
    for code in SDG_131_SERIES:
        indicator = catalogue.indicator(code)
        assert indicator.sdg is not None
        assert (indicator.sdg.indicator, indicator.sdg.series, indicator.sdg.tier) == (
            "1.3.1",
            code,
            "I",
        )
        expected = (
            "World Bank" if code in {"SI_COV_SOCAST", "SI_COV_SOCINS", "SI_COV_LMKT"} else "ILO"
        )
        assert indicator.custodian == expected
        assert "2022.Q1.G.03" in indicator.source


def test_sdg_tiers_match_the_un_sdg_api_release_named_as_source() -> None:
    seen = set()
    for indicator in load_catalogue().indicators:
        if indicator.sdg is None:
            continue
        seen.add(indicator.sdg.indicator)
        assert indicator.sdg.tier == PUBLISHED_TIERS[indicator.sdg.indicator], indicator.code
        assert "UN SDG API" in indicator.source
    assert seen == set(PUBLISHED_TIERS)


def test_every_text_has_english_and_bahasa_indonesia() -> None:
    catalogue = load_catalogue()
    models: list[BaseModel] = [
        *catalogue.indicators,
        *catalogue.pillars,
        *catalogue.codelists.values(),
        *catalogue.member_states,
        *catalogue.aggregates,
    ]
    texts = [text for model in models for text in _texts(model)]
    assert len(texts) > 200
    assert all(text.en.strip() and text.id.strip() for text in texts)
    for indicator in catalogue.indicators:
        assert indicator.definition.en != indicator.definition.id, indicator.code
        # Each crosswalk note is translated, but for one that is only the agency's codes.
        for entry in indicator.crosswalk:
            words = re.sub(r"\b[A-Z0-9_]+=[A-Z0-9_]+\b|[.,; ]", "", entry.note.en)
            assert not words or entry.note.en != entry.note.id, (indicator.code, entry.agency)


def test_the_survey_engine_series_are_survey_indicators_with_their_estimators() -> None:
    catalogue = load_catalogue()
    for code, estimator in SURVEY_SERIES.items():
        computation = catalogue.indicator(code).computation
        assert (computation.method, computation.estimator) == ("survey", estimator)
    for code in ("ASP_COV", "ASP_BENINC", "ASP_BFTINC", "ASP_ADQ"):
        assert {"PROGRAM", "INCOME_WEALTH_QUANTILE"} <= set(
            catalogue.indicator(code).disaggregations
        )


def test_survey_coverage_and_adequacy_cross_walk_to_the_aspire_codes() -> None:
    catalogue = load_catalogue()
    coverage = {entry.code for entry in catalogue.indicator("ASP_COV").crosswalk}
    assert {"per_allsp.cov_pop_tot", "per_sa_allsa.cov_pop_tot", "per_si_allsi.cov_pop_tot"} <= (
        coverage
    )
    adequacy = {entry.code for entry in catalogue.indicator("ASP_ADQ").crosswalk}
    assert "per_allsp.adq_pop_tot" in adequacy


def test_the_reference_data_series_are_defined_with_their_units() -> None:
    catalogue = load_catalogue()
    population = catalogue.indicator("ASP_POP")
    assert (population.unit, population.disaggregations) == ("persons", ["SEX", "AGE"])
    assert "2019" in population.source
    assert catalogue.indicator("ASP_GDP_PC").unit == "int$_2011"
    assert "Maddison" in catalogue.indicator("ASP_GDP_PC").source
    assert catalogue.indicator("SI_POV_GINI").unit == "index"
    relative_poverty = catalogue.indicator("SI_POV_50MI").sdg
    assert relative_poverty is not None and relative_poverty.indicator == "10.2.1"


def _evaluate(code: str, reported: dict[str, float]) -> float:
    """Evaluate a formula indicator from reported values, following nested formulas."""
    if code in reported:
        return reported[code]
    computation = load_catalogue().indicator(code).computation
    assert computation.method == "formula"
    assert computation.numerator is not None and computation.denominator is not None
    ratio = _evaluate(computation.numerator, reported) / _evaluate(
        computation.denominator, reported
    )
    return (computation.multiplier or 1) * ratio


def test_the_adb_spi_is_depth_times_breadth_relative_to_gdp_per_capita() -> None:
    # Hand calculation: 1,000 spent, 100 intended and 50 actual beneficiaries, GDP per capita 200.
    # SPI = 100 * (1000 / 100) / 200 = 5; depth = 100 * (1000 / 50) / 200 = 10; breadth = 50.
    reported = {
        "ASP_SPEXP_LCU": 1000.0,
        "ASP_SP_BENEF_INTENDED": 100.0,
        "ASP_SP_BENEF_ACTUAL": 50.0,
        "ASP_GDP_PC_LCU": 200.0,
    }
    spi = _evaluate("ASP_SPI", reported)
    depth = _evaluate("ASP_SPI_DEPTH", reported)
    breadth = _evaluate("ASP_SPI_BREADTH", reported)
    assert (spi, depth, breadth) == pytest.approx((5.0, 10.0, 50.0))
    assert spi == pytest.approx(depth * breadth / 100)


def test_pension_coverage_is_recipients_over_the_population_above_pensionable_age() -> None:
    # Hand calculation: 300 pensioners among 1,200 persons above pensionable age is 25 per cent.
    reported = {"ASP_PENSN_BENEF": 300.0, "ASP_POP_PENSAGE": 1200.0}
    assert _evaluate("SI_COV_PENSN", reported) == pytest.approx(25.0)


def test_targets_are_the_sdg_ones_with_2015_baselines_and_none_for_coverage() -> None:
    catalogue = load_catalogue()
    extreme = catalogue.indicator("SI_POV_DAY1").target
    assert extreme is not None
    assert (extreme.value, extreme.year, extreme.baseline_year) == (0, 2030, 2015)
    national = catalogue.indicator("SI_POV_NAHC").target
    assert national is not None and national.value is None
    assert "half" in national.note.en and "setengah" in national.note.id
    assert all(catalogue.indicator(code).target is None for code in SDG_131_SERIES)


def test_the_eleven_member_states_have_their_iso3_and_m49_codes() -> None:
    states = load_catalogue().member_states
    assert {state.iso3: state.m49 for state in states} == MEMBER_CODES
    timor_leste = load_catalogue().member_state("TLS")
    assert (timor_leste.member_since, timor_leste.name.en) == (2025, "Timor-Leste")
    assert load_catalogue().member_state("IDN").member_since == 1967


def test_areas_are_the_member_states_then_asean_asean10_and_world() -> None:
    catalogue = load_catalogue()
    assert catalogue.areas == [*MEMBER_CODES, "ASEAN", "ASEAN10", "WLD"]
    aggregates = {aggregate.code: aggregate for aggregate in catalogue.aggregates}
    assert set(aggregates["ASEAN"].members) == set(MEMBER_CODES)
    assert set(aggregates["ASEAN10"].members) == set(MEMBER_CODES) - {"TLS"}
    assert aggregates["WLD"].m49 == 1


def test_codelists_hold_the_sdg_dsd_codes_and_always_the_total() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.codelists) == {
        "sex",
        "age",
        "urbanisation",
        "income_wealth_quantile",
        "disability_status",
        "group",
        "program",
        "poverty_line",
        "nature",
    }
    assert catalogue.codes("sex") == {"_T", "F", "M"}
    assert catalogue.codes("SEX") == {"_T", "F", "M"}
    assert catalogue.codes("urbanisation") == {"_T", "U", "R"}
    assert catalogue.codes("disability_status") == {"_T", "PD", "PWD"}
    assert catalogue.codes("nature") == {"_T", "C", "CA", "E", "G", "M", "N"}
    assert {"Q1", "Q5", "B40", "B50"} <= catalogue.codes("income_wealth_quantile")
    ages = catalogue.codes("age")
    five_year_groups = {f"Y{low}T{low + 4}" for low in range(0, 100, 5)} | {"Y_GE100"}
    assert five_year_groups <= ages
    assert {"Y0T14", "Y0T17", "Y15T24", "Y15T64", "Y_GE15", "Y_GE25", "Y_GE65"} <= ages


def test_the_program_codelist_is_open_to_national_programs_and_sex_is_not() -> None:
    catalogue = load_catalogue()
    program = catalogue.codelist("program")
    assert {"ALL_SP", "ALL_SA", "ALL_SI", "ALL_LM"} <= program.code_set()
    assert program.open and program.accepts("PKH_IDN") and not program.accepts("pkh")
    assert not catalogue.codelist("sex").accepts("X")


def test_every_group_an_indicator_speaks_for_is_a_group_code() -> None:
    catalogue = load_catalogue()
    groups = catalogue.codes("group")
    assert {"CHILDREN", "OLDER", "DISABLED", "WOMEN", "POOR", "INFORMAL", "MIGRANT"} <= groups
    assert {"UNEMPLOYED", "MOTHERS_NEWBORN", "WORK_INJURY"} <= groups
    assert all(set(indicator.groups) <= groups for indicator in catalogue.indicators)


def test_an_unknown_series_suggests_the_close_match() -> None:
    with pytest.raises(UnknownCode) as raised:
        load_catalogue().indicator("SI_COV_BENFT")
    assert raised.value.kind == "series"
    assert "SI_COV_BENFTS" in str(raised.value)


def test_an_unknown_country_or_dimension_names_its_kind() -> None:
    catalogue = load_catalogue()
    with pytest.raises(UnknownCode, match="unknown country 'IND'; did you mean IDN"):
        catalogue.member_state("IND")
    with pytest.raises(UnknownCode, match="unknown dimension 'colour'"):
        catalogue.codes("colour")


def test_the_summary_holds_the_keys_the_cli_json_promises() -> None:
    summary = load_catalogue().indicator("SI_COV_BENFTS").summary()
    assert summary["name"] == {
        "en": "Population covered by at least one social protection benefit",
        "id": "Penduduk yang tercakup oleh sedikitnya satu manfaat perlindungan sosial",
    }
    assert (summary["sdg_indicator"], summary["sdg_series"], summary["tier"]) == (
        "1.3.1",
        "SI_COV_BENFTS",
        "I",
    )
    assert summary["computation"] == {"method": "reported"}
    context: Indicator = load_catalogue().indicator("ASP_POP")
    assert context.summary()["tier"] is None


def test_a_text_reads_in_either_language_and_falls_back_to_english() -> None:
    coverage = load_catalogue().pillar("coverage").name
    assert (coverage.get("en"), coverage.get("id"), coverage.get("th")) == (
        "Coverage",
        "Cakupan",
        "Coverage",
    )


def test_the_reference_sections_read_alone_are_the_catalogues_own() -> None:
    # A survey spec's country and domain codes are checked against these two sections, read
    # from their own files: they must be exactly what the whole catalogue holds.
    catalogue = load_catalogue()
    assert shipped_member_states() == catalogue.member_states
    assert len(shipped_member_states()) == 11
    assert shipped_codelists() == catalogue.codelists
    assert set(DOMAIN_DIMENSIONS) <= set(shipped_codelists())

"""``lindung import sdmx FILE --source ILO``: ILOSTAT's SDMX in its own codes (ISO3 areas,
``SEX_T``, ``AGE_YTHADULT_YGE15``, the indicator ids such as SDG_0131_SEX_SOC_RT) mapped to the
framework's series and codes through the crosswalk of the catalogue.

The files under ``data/ilostat/`` follow the SDMX-CSV 1.0 and SDMX-ML 2.1 structure-specific
messages ILOSTAT's SDMX API (sdmx.ilo.org/rest) returns, with ILOSTAT's dimension ids and codes
and invented values (``data/ilostat/README.md`` says what follows ILOSTAT and what is assumed).
The expected observations below are read off the file by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import CatalogueInvalid
from lindung.framework.loader import DEFAULT_CATALOGUE, load_catalogue
from lindung.store import count, list_submissions, submission_observations, transaction

SECRETARIAT = "analyst@asean.org"
DATA = Path(__file__).parent / "data" / "ilostat"
CSV = DATA / "ilostat_sdg_0131_and_0852.csv"
XML = DATA / "ilostat_sdg_0131_structure-specific.xml"
SSI = "ILO - Social Security Inquiry Database"
LFS = "BA - Labour Force Survey"

#: (series, area, year, sex, age, value, OBS_STATUS, source) of every row the crosswalk maps.
MAPPED_CSV = {
    ("SI_COV_BENFTS", "IDN", 2020, "_T", "_T", 28.2, None, SSI),
    ("SI_COV_BENFTS", "IDN", 2020, "F", "_T", 27.4, None, SSI),
    ("SI_COV_PENSN", "IDN", 2020, "_T", "_T", 14.5, None, SSI),
    ("SI_COV_MATNL", "IDN", 2020, "F", "_T", 6.1, None, SSI),
    ("SI_COV_CHLD", "PHL", 2020, "_T", "_T", 34.6, None, SSI),
    # ILOSTAT's B (break in series) is the SDG DSD's B.
    ("SI_COV_BENFTS", "THA", 2019, "_T", "_T", 68.0, "B", SSI),
    # SDG_0852_SEX_AGE_RT is SL_TLF_UEM; AGE_YTHADULT_YGE15 is 15+, _Y15-24 is 15 to 24.
    ("SL_TLF_UEM", "IDN", 2020, "_T", "Y_GE15", 7.07, None, LFS),
    ("SL_TLF_UEM", "IDN", 2020, "M", "Y15T24", 17.2, None, LFS),
}


@pytest.fixture
def analyst(sign_up: Callable[..., None]) -> str:
    sign_up({SECRETARIAT: ("secretariat", None)})
    return SECRETARIAT


def _stored(engine: Engine) -> set[tuple[Any, ...]]:
    with transaction(engine) as connection:
        return {
            (
                r["series"],
                r["ref_area"],
                r["time_period"],
                r["sex"],
                r["age"],
                r["value"],
                r["obs_status"],
                r["source"],
            )
            for submission in list_submissions(connection, kind="reference")
            for r in submission_observations(connection, submission["id"])
        }


def test_an_ilostat_csv_is_stored_in_the_frameworks_series_and_codes_from_source_ilo(
    lindung: Callable[..., Any], engine: Engine, analyst: str
) -> None:
    done = lindung("import", "sdmx", str(CSV), "--source", "ILO", "--as", analyst)

    assert done.exit_code == 0, done.stderr
    assert _stored(engine) == MAPPED_CSV
    with transaction(engine) as connection:
        submissions = list_submissions(connection, kind="reference")
    assert sorted(s["ref_area"] for s in submissions) == ["IDN", "PHL", "THA"]
    assert {(s["source"], s["status"]) for s in submissions} == {("ILO (SDMX)", "draft")}
    assert "8 observations stored as ILO reference data; 7 observations not mapped" in done.stdout


def test_every_series_and_code_the_crosswalk_lacks_is_reported_by_name_with_its_count(
    lindung: Callable[..., Any], engine: Engine, analyst: str
) -> None:
    done = lindung("import", "sdmx", str(CSV), "--source", "ILO", "--as", analyst)

    said = " ".join(done.stdout.split())
    for expected in (
        "2 observations with REF_AREA 'FRA'",  # not a member state
        "1 observation with SEX 'SEX_O'",  # ILOSTAT's "other": no framework code
        "1 observation with SOC 'SOC_CONTIG_SICK of SDG_0131_SEX_SOC_RT'",  # no such series
        "1 observation with OBS_STATUS 'M'",  # model-based: no SDG status
        "1 observation with AGE 'AGE_AGGREGATE_Y25-54'",  # a band the framework lacks
        "1 observation with INDICATOR 'EAP_DWAP_SEX_AGE_RT'",  # no crosswalk entry
    ):
        assert expected in said, expected


def test_the_same_ilostat_file_imported_twice_is_stored_once(
    lindung: Callable[..., Any], engine: Engine, analyst: str
) -> None:
    assert lindung("import", "sdmx", str(CSV), "--source", "ILO", "--as", analyst).exit_code == 0
    with transaction(engine) as connection:
        before = count(connection)

    again = lindung("import", "sdmx", str(CSV), "--source", "ILO", "--as", analyst)

    assert again.exit_code == 0
    assert "Already imported from this file: IDN, PHL, THA" in again.stdout
    with transaction(engine) as connection:
        assert count(connection) == before


def test_ilostats_sdmx_ml_maps_as_its_csv_does(
    lindung: Callable[..., Any], engine: Engine, analyst: str
) -> None:
    done = lindung("import", "sdmx", str(XML), "--source", "ILO", "--as", analyst)

    assert done.exit_code == 0, done.stderr
    assert _stored(engine) == {row for row in MAPPED_CSV if row[0] == "SI_COV_BENFTS"}
    assert "1 observation with OBS_STATUS 'M'" in " ".join(done.stdout.split())


def test_a_file_with_nothing_the_crosswalk_maps_is_refused_and_nothing_stored(
    lindung: Callable[..., Any], engine: Engine, analyst: str, tmp_path: Path
) -> None:
    lines = CSV.read_text(encoding="utf-8").splitlines()
    only_france = tmp_path / "fra.csv"
    only_france.write_text("\n".join([lines[0]] + [x for x in lines if ",FRA," in x]) + "\n")

    refused = lindung("import", "sdmx", str(only_france), "--source", "ILO", "--as", analyst)

    assert refused.exit_code == 5
    assert "no observation maps to the framework; nothing was imported" in refused.stderr
    with transaction(engine) as connection:
        assert list_submissions(connection, kind="reference") == []


def _catalogue_with(tmp_path: Path, old: str, new: str) -> Path:
    """Copy the shipped catalogue with one text of its agency codes replaced."""
    folder = tmp_path / "catalogue"
    for file in DEFAULT_CATALOGUE.rglob("*.yaml"):
        target = folder / file.relative_to(DEFAULT_CATALOGUE)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = file.read_text(encoding="utf-8")
        target.write_text(text.replace(old, new) if file.name == "agency_codes.yaml" else text)
    return folder


def test_the_ilo_codes_are_catalogue_data_checked_against_the_frameworks_codelists(
    tmp_path: Path,
) -> None:
    shipped = load_catalogue().agency("ILO")
    sex = shipped.dimension("SEX") if shipped is not None else None
    assert sex is not None and sex.codes == {"SEX_T": "_T", "SEX_F": "F", "SEX_M": "M"}

    broken = _catalogue_with(tmp_path, "SEX_F: F", "SEX_F: W")
    with pytest.raises(CatalogueInvalid) as refused:
        load_catalogue(broken)

    assert any("SEX_F maps to 'W', not a sex code" in p for p in refused.value.problems)


def test_an_ilostat_indicator_of_several_series_is_not_taken_for_a_stored_series() -> None:
    # Its figures are stored under the framework's series (SI_COV_CHLD), which the UN SDG
    # equivalent already names; no series SDG_0131_SEX_SOC_RT is looked for.
    from lindung.assess.equivalents import equivalents

    found = equivalents(load_catalogue().indicator("SI_COV_CHLD"))

    assert [item.series for item in found] == ["SI_COV_CHLD"]

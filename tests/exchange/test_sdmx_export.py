"""``lindung export sdmx``: current published values as SDMX keyed to the SDG DSD, every code
checked first; read back by sdmx1 (PyPI ``sdmx1``), a reader independent of pysdmx."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sdmx
from tests.exchange.conftest import AWKWARD, observation


def test_sdmx_ml_export_is_read_by_sdmx1_with_m49_areas_dsd_units_and_bounds(
    lindung: Callable[..., Any],
    publish: Callable[..., int],
    tmp_path: Path,
    sdg_dsd_for_sdmx1: Any,
) -> None:
    publish([observation(comment=AWKWARD), observation(sex="F", value=0.00001)])
    publish([observation(ref_area="PHL", value=36.7, nature="E")], kind="reference", area="PHL")
    out = tmp_path / "sdg.xml"

    done = lindung("export", "sdmx", "--series", "SI_COV_BENFTS", "--out", str(out))

    assert done.exit_code == 0, done.stderr
    message = sdmx.read_sdmx(io.BytesIO(out.read_bytes()), structure=sdg_dsd_for_sdmx1)
    observations = {(o.key["REF_AREA"].value, o.key["SEX"].value): o for o in message.data[0].obs}
    assert set(observations) == {("360", "_T"), ("360", "F"), ("608", "_T")}
    total = observations[("360", "_T")]
    assert float(total.value) == 27.8
    assert total.key["REPORTING_TYPE"].value == "N"
    assert total.key["AGE"].value == "_T" and total.key["PRODUCT"].value == "_T"
    attributes = {name: value.value for name, value in total.attrib.items()}
    assert attributes["UNIT_MEASURE"] == "PT"
    assert attributes["LOWER_BOUND"] == "26.1" and attributes["UPPER_BOUND"] == "29.5"
    assert attributes["COMMENT_OBS"] == AWKWARD
    assert float(observations[("360", "F")].value) == 0.00001
    agencies = observations[("608", "_T")]
    assert agencies.key["REPORTING_TYPE"].value == "G"
    assert agencies.attrib["NATURE"].value == "E"


def test_sdmx_csv2_export_is_read_by_sdmx1(
    lindung: Callable[..., Any],
    publish: Callable[..., int],
    tmp_path: Path,
    sdg_dsd_for_sdmx1: Any,
) -> None:
    publish([observation(), observation(urbanisation="R", value=19.5)])
    out = tmp_path / "sdg.csv"

    done = lindung("export", "sdmx", "--out", str(out), "--format", "csv2")

    assert done.exit_code == 0, done.stderr
    message = sdmx.read_sdmx(
        io.BytesIO(out.read_bytes()), format="csv", structure=sdg_dsd_for_sdmx1
    )
    values = {o.key["URBANISATION"].value: float(o.value) for o in message.data[0].obs}
    assert values == {"_T": 27.8, "R": 19.5}


def test_sdmx_csv1_export_names_the_structure_and_neutralises_formula_text(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish([observation(source='=HYPERLINK("http://x","y")')])
    out = tmp_path / "sdg.csv"

    done = lindung("export", "sdmx", "--out", str(out), "--format", "csv1")

    assert done.exit_code == 0, done.stderr
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert row["DATAFLOW"] == "IAEG-SDGs:SDG(1.5)"
    assert (row["REF_AREA"], row["TIME_PERIOD"], row["OBS_VALUE"]) == ("360", "2019", "27.8")
    assert row["SOURCE_DETAIL"] == '\'=HYPERLINK("http://x","y")'


def test_own_series_go_out_under_lindungs_asean_dsd(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish([observation(series="ASP_COV", program="ALL_SP", value=61.2, se=1.4)])
    out = tmp_path / "own.csv"

    done = lindung("export", "sdmx", "--out", str(out), "--format", "csv1")

    assert done.exit_code == 0, done.stderr
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert row["DATAFLOW"].startswith("ASEAN:LINDUNG(")
    assert (row["REF_AREA"], row["PROGRAM"], row["STANDARD_ERROR"]) == ("IDN", "ALL_SP", "1.4")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"sex": "M"}, "SEX 'M'"),  # in the DSD, but SI_COV_MATNL counts mothers only
        ({"sex": "F", "group": "CHILDREN"}, "group 'CHILDREN'"),  # no such SDG dimension
    ],
)
def test_a_code_the_dsd_lacks_refuses_the_export_naming_series_key_and_code(
    lindung: Callable[..., Any],
    publish: Callable[..., int],
    tmp_path: Path,
    fields: dict[str, str],
    named: str,
) -> None:
    publish([observation(series="SI_COV_MATNL", **fields)])
    out = tmp_path / "sdg.xml"

    done = lindung("export", "sdmx", "--out", str(out))

    assert done.exit_code == 5
    assert "SI_COV_MATNL IDN 2019" in done.stderr and named in done.stderr
    assert "nothing was written" in done.stderr
    assert not out.exists()

"""The survey command does not import pandas: importing it takes about a quarter of a second, a
good part of a small survey's whole run, and nothing on that path needs it. The Arrow-to-NumPy
conversions that replace pyarrow's own (which import pandas) give the values pyarrow gives."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import yaml

from lindung.survey import estimate, load_spec, synthetic_spec, synthetic_survey, write_survey
from lindung.survey.arrays import float_values, int_array, int_values

RUN = """
import sys
from lindung.cli.main import main

sys.argv = ["lindung", "survey", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    if stop.code:
        raise
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "pandas")
print("pandas modules:", len(loaded), loaded[:3])
"""


@pytest.fixture(scope="module")
def small_survey(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("small")
    data = folder / "survey.csv"
    write_survey(synthetic_survey(300, 5), data)
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(synthetic_spec(data.name), sort_keys=False), encoding="utf-8")
    return spec, data


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_estimating_a_survey_to_csv_or_json_imports_no_pandas(
    small_survey: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    spec, data = small_survey
    out = tmp_path / f"estimates.{fmt}"
    arguments = ["estimate", str(spec), "--data", str(data), "--out", str(out), "--format", fmt]
    done = subprocess.run(
        [sys.executable, "-c", RUN, *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "pandas modules: 0 []" in done.stdout
    assert out.stat().st_size > 10_000


def test_describing_a_survey_imports_no_pandas(small_survey: tuple[Path, Path]) -> None:
    spec, data = small_survey
    done = subprocess.run(
        [sys.executable, "-c", RUN, "describe", str(spec), "--data", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "persons (rows)" in done.stdout
    assert "pandas modules: 0 []" in done.stdout


def test_the_files_written_from_the_rows_equal_those_written_from_the_dataframe(
    small_survey: tuple[Path, Path], tmp_path: Path
) -> None:
    """A run's rows and its DataFrame (what a caller holds) give the same CSV and JSON."""
    from lindung.survey import OutputFormat, write_estimates

    spec, data = small_survey
    result = estimate(load_spec(spec), [data])
    for fmt in (OutputFormat.csv, OutputFormat.json):
        from_rows, from_frame = tmp_path / f"rows.{fmt}", tmp_path / f"frame.{fmt}"
        write_estimates(result, from_rows, fmt)
        write_estimates(result.estimates, from_frame, fmt)
        assert from_rows.read_bytes() == from_frame.read_bytes()
    with (tmp_path / "rows.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = json.loads((tmp_path / "rows.json").read_text(encoding="utf-8"))
    assert len(rows) == len(records) == len(result.rows) == len(result.estimates)
    missing = [r for r in records if r["estimate"] is None]
    assert len(missing) == len(result.rows) - result.defined
    assert all(row["estimate"] == "" for row in rows if row["note"])
    # Every number as the 17 significant digits that give back the same double.
    first = next(r for r in rows if r["estimate"])
    assert float(first["estimate"]) == result.estimates["estimate"].dropna().iloc[0]


def test_float_values_read_missing_values_as_nan_across_chunks_and_offsets() -> None:
    chunked = pa.chunked_array([[1, None, 3], [4, 5]], type=pa.int32())
    assert np.array_equal(float_values(chunked), [1.0, np.nan, 3.0, 4.0, 5.0], equal_nan=True)
    sliced = pa.array([0.5, 1.5, None, 2.5, 3.5])[2:]
    assert np.array_equal(float_values(sliced), [np.nan, 2.5, 3.5], equal_nan=True)
    assert float_values(pa.array([True, False, None])).tolist()[:2] == [1.0, 0.0]
    assert float_values(pa.array([], type=pa.float64())).shape == (0,)
    # pyarrow's own conversion (which imports pandas) as the oracle.
    values = pa.array(np.random.default_rng(1).normal(size=1000))[7:900]
    assert np.array_equal(float_values(values), values.to_numpy())


def test_int_values_and_int_array_keep_whole_numbers_exactly() -> None:
    big = np.array([0, -1, 2**62, 17], dtype=np.int64)
    back = int_array(big)
    assert back.type == pa.int64()
    assert back.to_pylist() == [0, -1, 2**62, 17]
    assert int_values(back).tolist() == [0, -1, 2**62, 17]
    assert int_values(pa.chunked_array([[3, 4], [5]], type=pa.int16())).tolist() == [3, 4, 5]
    assert int_values(pa.array([True, False, True])).tolist() == [1, 0, 1]
    assert int_values(pa.array([9, 8, 7, 6])[1:3]).tolist() == [8, 7]

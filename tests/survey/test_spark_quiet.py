"""A survey estimated on Spark shows its user no PySpark Arrow fallback warning.

PySpark warns (``warnings.warn``: a UserWarning, which Python prints on stderr) when it cannot
send a pandas frame to the JVM through Arrow and converts it row by row instead. The survey
engine hands Spark two such frames: a Stata or SPSS file's rows (no backend reads those files)
and the design's PSU index, which came out of Spark itself: one Arrow batch per partition of
the query's last shuffle, so its text columns are Arrow arrays of several chunks wherever
adaptive execution does not coalesce that shuffle into one partition. It is turned off here, as
a cluster's ``spark-defaults.conf`` may have it (and tests/registry's Spark tests do), so the
index comes back in the session's four partitions.

Oracle: the words PySpark's own message opens with (pyspark/sql/pandas/conversion.py), looked
for in every warning raised and in everything written to stdout, stderr and the log.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from lindung.survey import estimate, load_spec, synthetic_spec, synthetic_survey

from .test_spark_parity import assert_same_numbers, written_estimates

FALLBACK = "attempted Arrow optimization"
ADAPTIVE = "spark.sql.adaptive.enabled"


@pytest.fixture
def no_adaptive_execution(spark: Any) -> Iterator[None]:
    """Adaptive query execution off in the shared session for one test, then as it was."""
    before = spark.conf.get(ADAPTIVE)
    spark.conf.set(ADAPTIVE, "false")
    yield
    spark.conf.set(ADAPTIVE, before)


def _stata_survey(folder: Path) -> tuple[Path, Path]:
    """The synthetic survey's 300 households as a Stata file, with a spec for coverage."""
    data, spec = folder / "survey.dta", folder / "survey.yaml"
    synthetic_survey(300, 11).to_pandas().to_stata(data, write_index=False)
    raw = synthetic_spec(data.name)
    raw["indicators"] = ["coverage"]
    raw["programs"] = [p for p in raw["programs"] if p["code"] == "pkh"]
    raw["domains"] = []
    spec.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return data, spec


@pytest.mark.spark
def test_a_survey_estimated_on_spark_shows_no_arrow_fallback_warning(
    no_adaptive_execution: None,
    tmp_path: Path,
    cli: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    data, spec = _stata_survey(tmp_path)
    out = tmp_path / "estimates.csv"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = cli(
            "survey",
            "estimate",
            str(spec),
            "--data",
            str(data),
            "--out",
            str(out),
            "--engine",
            "spark",
        )
    assert done.exit_code == 0, done.stderr
    assert "wrote " in done.stdout
    assert [str(w.message) for w in caught if FALLBACK in str(w.message)] == []
    assert FALLBACK not in done.stdout + done.stderr
    assert FALLBACK not in caplog.text
    # The rows that went to Spark through Arrow are the file's: DuckDB's numbers.
    assert_same_numbers(estimate(load_spec(spec), [data]).estimates, written_estimates(out))

"""How many partitions each Spark shuffle gets (``spark.sql.shuffle.partitions``) in a session
Lindung starts: the ``spark_shuffle_partitions`` setting, else the value Spark's own
configuration has, else two per core of the application (docs/scaling.md, "What Spark is
told"). Spark's default of 200 is what the rule replaces: every cached table keeps its
shuffle's partitions, each a task in every later query.

Oracle: the arithmetic written out here from the cores each case gives the application. The
standalone cluster's session (two one-core workers: 4) is checked in test_spark_parity.py.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from lindung.errors import SettingInvalid
from lindung.survey.spark import shuffle_partitions


def _not_asked() -> int:
    raise AssertionError("the registered executors were counted though the configuration says")


@pytest.fixture(autouse=True)
def no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINDUNG_SPARK_SHUFFLE_PARTITIONS", raising=False)


@pytest.mark.parametrize(
    ("master", "partitions"),
    [("local[2]", 4), ("local[8]", 16), ("local[3,2]", 6), ("local[1]", 4), ("local", 4)],
)
def test_local_mode_has_two_partitions_per_thread_and_at_least_four(
    master: str, partitions: int
) -> None:
    assert shuffle_partitions(master, {}, _not_asked) == partitions


def test_local_mode_on_every_core_has_two_partitions_per_core_of_this_machine() -> None:
    cores = os.cpu_count() or 1
    assert shuffle_partitions("local[*]", {}, _not_asked) == max(4, 2 * cores)


@pytest.mark.parametrize(
    ("conf", "partitions"),
    [
        ({"spark.default.parallelism": "6", "spark.cores.max": "12"}, 12),
        ({"spark.cores.max": "12"}, 24),
        ({"spark.executor.instances": "8", "spark.executor.cores": "4"}, 64),
        (
            {
                "spark.dynamicAllocation.enabled": "true",
                "spark.dynamicAllocation.maxExecutors": "10",
                "spark.executor.cores": "4",
                "spark.executor.instances": "2",
            },
            80,
        ),
    ],
)
def test_a_cluster_sized_by_its_configuration_has_two_partitions_per_core(
    conf: dict[str, str], partitions: int
) -> None:
    assert shuffle_partitions("spark://cluster:7077", conf, _not_asked) == partitions


def test_a_cluster_of_unstated_size_has_two_partitions_per_registered_core() -> None:
    # A standalone cluster giving the application every core of its workers: 3 cores.
    assert shuffle_partitions("spark://cluster:7077", {"spark.executor.cores": "1"}, lambda: 3) == 6


def test_dynamic_allocation_with_no_most_executors_keeps_sparks_own_setting() -> None:
    conf = {"spark.dynamicAllocation.enabled": "true", "spark.executor.cores": "4"}
    assert shuffle_partitions("yarn", conf, _not_asked) is None


@pytest.mark.parametrize("master", ["local[2]", "spark://cluster:7077"])
def test_sparks_own_configuration_of_the_partitions_is_kept(master: str) -> None:
    conf = {"spark.sql.shuffle.partitions": "64", "spark.cores.max": "12"}
    assert shuffle_partitions(master, conf, _not_asked) is None


@pytest.mark.parametrize("master", ["local[2]", "spark://cluster:7077"])
def test_the_setting_wins_over_sparks_configuration_and_the_cores(
    master: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINDUNG_SPARK_SHUFFLE_PARTITIONS", "7")
    conf = {"spark.sql.shuffle.partitions": "64", "spark.cores.max": "12"}
    assert shuffle_partitions(master, conf, _not_asked) == 7


def test_a_setting_that_is_no_count_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDUNG_SPARK_SHUFFLE_PARTITIONS", "0")
    with pytest.raises(SettingInvalid, match="LINDUNG_SPARK_SHUFFLE_PARTITIONS"):
        shuffle_partitions("local[2]", {}, _not_asked)


@pytest.mark.spark
def test_the_local_session_has_two_shuffle_partitions_per_thread(spark: Any) -> None:
    """The tests' session, started by ``spark_session(threads=2)`` on ``local[2]``."""
    assert spark.sparkContext.master == "local[2]"
    assert spark.conf.get("spark.sql.shuffle.partitions") == "4"

"""The scores written once: NumPy reads them as DuckDB's SQL does, and the in-process totals
equal the query's, row for row.

The oracle is DuckDB itself, running the Ibis expressions of the same scores
(:func:`lindung.survey.scores.to_ibis`) over the same rows: the in-process path must give the
totals the Spark path's queries give, missing values and rows with no part included.
"""

from __future__ import annotations

import ibis
import numpy as np
import pyarrow as pa
import pytest

from lindung.survey import totals
from lindung.survey.scores import (
    Below,
    BelowAny,
    Column,
    Gap,
    One,
    Product,
    Score,
    to_ibis,
    to_numpy,
)
from lindung.survey.spec import SurveySpec
from lindung.survey.totals import DeclaredScores, PartTotals, array_totals, psu_totals
from lindung.survey.welfare import (
    PARTS_PER_BREAKDOWN,
    Cells,
    DomainSpread,
    stacked_row_set,
    stacked_rows,
)

Y = [5.0, 10.0, None, 0.0, 12.5, 10.0]
B = [1.0, 0.0, 1.0, None, 1.0, 0.0]
SCORES: dict[str, Score] = {
    "one": One(),
    "y": Column("y"),
    "yB": Product("y", "b"),
    "below_10": Below("y", 10.0),
    "gap_10": Gap("y", 10.0),
    "gap_0": Gap("y", 0.0),
}


@pytest.fixture(scope="module")
def con() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def test_each_score_sums_in_numpy_to_what_duckdb_sums(con: ibis.BaseBackend) -> None:
    """A missing value adds nothing (SQL's sum leaves NULLs out); a value at the line is not
    below it; the gap at a line of 0 is 0, not 0/0."""
    table = con.create_table("scored", pa.table({"y": Y, "b": B}), overwrite=True)
    # Selected first, as the engine does: a constant score is a literal until it is a column.
    scored = table.select(**{name: to_ibis(score, table) for name, score in SCORES.items()})
    sql = scored.aggregate(**{name: scored[name].sum() for name in SCORES}).execute()
    columns = {
        "y": np.array(Y, dtype=np.float64),  # None becomes NaN
        "b": np.array(B, dtype=np.float64),
    }
    for name, score in SCORES.items():
        values = to_numpy(score, columns, len(Y))
        assert np.nansum(values) == pytest.approx(float(sql[name].iloc[0]), rel=1e-15), name
    # By hand: below 10 are 5 and 0 (10 is not below it, the missing one is not known to be).
    assert float(sql["below_10"].iloc[0]) == 2.0
    assert float(sql["gap_10"].iloc[0]) == pytest.approx(0.5 + 1.0)
    assert float(sql["yB"].iloc[0]) == 5.0 + 12.5


def _households(seed: int) -> pa.Table:
    """A household table as the engine stores it: quintiles as text, one of them missing,
    a household-level domain (0) and a person-level one (1) with a level nobody is in."""
    rng = np.random.default_rng(seed)
    n = 400
    quintile_pre = rng.integers(1, 6, n).astype(str).astype(object)
    quintile_pre[7] = None
    members = rng.integers(1, 6, n)
    women = rng.binomial(members, 0.5)
    urban = rng.integers(0, 2, n)
    weight = rng.uniform(50, 150, n)
    y = rng.lognormal(1.0, 0.8, n)
    y[11] = np.nan
    t = np.where(rng.random(n) < 0.4, rng.uniform(0, 2, n), 0.0)
    return pa.table(
        {
            "_row": rng.integers(0, 37, n),
            "_w": weight * members,
            "_n": members,
            "_y": pa.array(y, from_pandas=True),
            "_B_a": (t > 0).astype(np.float64),
            "_T_a": t,
            "_ypre_a": np.maximum(0.0, y - t),
            "_quintile_pre": pa.array(quintile_pre, type=pa.string()),
            "_quintile_post": rng.integers(1, 6, n).astype(str),
            "_n_0_0": np.where(urban == 0, members, 0),
            "_n_0_1": np.where(urban == 1, members, 0),
            "_w_0_0": pa.array(np.where(urban == 0, weight * members, np.nan), from_pandas=True),
            "_w_0_1": pa.array(np.where(urban == 1, weight * members, np.nan), from_pandas=True),
            "_n_1_0": members - women,
            "_n_1_1": women,
            "_n_1_2": np.zeros(n, dtype=np.int64),
            "_w_1_0": weight * (members - women),
            "_w_1_1": weight * women,
            "_w_1_2": pa.nulls(n, pa.float64()),
        }
    )


def _groups() -> list[DeclaredScores]:
    plain: dict[str, Score] = {
        "one": One(),
        "y": Column("_y"),
        "B:a": Column("_B_a"),
        "T:a": Column("_T_a"),
        "yB:a": Product("_y", "_B_a"),
    }
    poor: dict[str, Score] = {
        f"{kind}:{column}": score(column, 2.5)
        for column in ("_y", "_ypre_a")
        for kind, score in (("poor", Below), ("fgt1", Gap))
    }
    keep = BelowAny(("_y", "_ypre_a"), 2.5)
    return [
        DeclaredScores(plain, ["_y", "_B_a", "_T_a"]),
        DeclaredScores(poor, ["_y", "_ypre_a"], keep),
    ]


def _as_dict(totals: PartTotals) -> dict[tuple[int, int], tuple[float, ...]]:
    return {
        (int(p), int(r)): (float(n), *(float(v) for v in values))
        for p, r, n, values in zip(totals.part, totals.row, totals.n, totals.values, strict=True)
    }


def _same(ours: PartTotals, theirs: PartTotals) -> None:
    assert ours.columns == theirs.columns
    mine, query = _as_dict(ours), _as_dict(theirs)
    assert mine.keys() == query.keys()
    for key, values in query.items():
        assert mine[key] == pytest.approx(values, rel=1e-12, abs=1e-9), key


def _columns(table: pa.Table) -> tuple[dict[str, np.ndarray], np.ndarray]:
    columns = {
        name: table[name].cast(pa.float64()).to_numpy()
        for name in table.column_names
        if name != "_row"
    }
    return columns, table["_row"].to_numpy().astype(np.int64)


@pytest.fixture(params=[None, 7], ids=["shipped-block", "7-row-blocks"])
def block(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows summed at a time in NumPy: the shipped block, and blocks of a few rows, each of
    which touches only some of the totals rows (a part or two, a few PSUs)."""
    if request.param:
        monkeypatch.setattr(totals, "ARRAY_BLOCK", request.param)


@pytest.mark.usefixtures("block")
def test_in_process_cell_totals_equal_the_querys(con: ibis.BaseBackend) -> None:
    fetched = _households(1)
    homes = con.create_table("homes_cells", fetched, overwrite=True)
    urban = DomainSpread(number=3, domain=0, households=400, level_rows=(200, 200), complete=True)
    cells = Cells([urban])
    columns, psu_row = _columns(fetched)
    rows = cells.row_set(columns)
    # The household with no pre-transfer quintile has no cell, in both.
    assert rows.household is not None and 7 not in set(rows.household)
    for group in _groups():
        query = psu_totals(cells.rows(homes, group.inputs), group.group)
        _same(array_totals(rows, group, columns, psu_row), query)


@pytest.mark.usefixtures("block")
def test_in_process_stacked_totals_equal_the_querys(con: ibis.BaseBackend) -> None:
    fetched = _households(2)
    homes = con.create_table("homes_stacked", fetched, overwrite=True)
    spec = SurveySpec.model_validate(
        {
            "survey": {"country": "IDN", "year": 2024},
            "design": {"weight": "wt"},
            "household": "hh",
            "welfare": "y",
            "poverty_lines": [{"code": "z", "value": 2.5}],
            "programs": [{"code": "a", "area": "social_assistance", "amount": "a_amt"}],
            "domains": [
                {"column": "urban", "codes": {0: "R", 1: "U"}},
                {"column": "sex", "codes": {1: "M", 2: "F", 3: "X"}},
            ],
        }
    )
    levels = {"urban": ["0", "1"], "sex": ["1", "2", "3"]}
    others = [(0, "all"), (1, "quintile_pre"), (3, "urban"), (4, "sex")]
    columns, psu_row = _columns(fetched)
    rows = stacked_row_set(columns, spec, levels, others)
    # The third sex level has no members: no rows, in both.
    assert not (rows.part == 4 * PARTS_PER_BREAKDOWN + 2).any()
    for group in _groups():
        query = psu_totals(stacked_rows(homes, spec, levels, others, group.inputs), group.group)
        _same(array_totals(rows, group, columns, psu_row), query)

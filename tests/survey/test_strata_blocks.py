"""PSU totals made a block of whole strata at a time (``survey_block_psus``): the blocks, the
design moments they add up to (against the variance formula written out here, stratum by
stratum), and a whole run in blocks against the same run with every PSU at once."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from lindung.survey import SurveyResult, blocked, estimate, parse_spec
from lindung.survey.engine import REPEAT_ATOL, REPEAT_RTOL
from lindung.survey.fetched import psu_blocks
from lindung.survey.gini import SortedHouseholds
from lindung.survey.synth import synthetic_spec, synthetic_survey, write_survey
from lindung.survey.variance import Moments, PsuDesign, strata_blocks


def _design(sizes: list[int], population: list[float], lonely: str = "adjust") -> PsuDesign:
    stratum = np.repeat(np.arange(len(sizes)), sizes).astype(np.int64)
    return PsuDesign(stratum, np.array(population, dtype=np.float64), lonely)  # type: ignore[arg-type]


def test_blocks_hold_whole_strata_or_a_piece_of_one_and_keep_to_their_size() -> None:
    sizes = [3, 1, 4, 9, 2, 2, 5, 1]
    design = _design(sizes, [np.inf] * len(sizes))
    starts = set(np.concatenate(([0], np.cumsum(sizes))).tolist())
    blocks = strata_blocks(design, 6)
    assert blocks[0][0] == 0 and blocks[-1][1] == sum(sizes)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(blocks))
    # At most 6 PSUs: whole strata where they fit, the 9 PSUs of the fourth in two pieces.
    assert blocks == [(0, 4), (4, 8), (8, 14), (14, 17), (17, 21), (21, 27)]
    pieces = [b for b in blocks if not (b[0] in starts and b[1] in starts)]
    assert pieces == [(8, 14), (14, 17)]
    assert strata_blocks(design, 100) == [(0, 27)]
    assert strata_blocks(design, 1) == [(i, i + 1) for i in range(27)]


def _hand_covariance(totals: np.ndarray, sizes: list[int], population: list[float]) -> np.ndarray:
    """V_jk = sum_h s_h sum_i (u_hij - mean_h u_j)(u_hik - mean_h u_k), s_h = f_h n_h/(n_h - 1),
    f_h = 1 - n_h/N_h; a lonely PSU (adjust) keeps its uncentred score with s_h = f_h."""
    columns = totals.shape[1]
    found = np.zeros((columns, columns))
    row = 0
    for n, big_n in zip(sizes, population, strict=True):
        u = totals[row : row + n]
        row += n
        f = 1.0 if np.isinf(big_n) else (big_n - n) / big_n
        if n == 1:
            deviations, scale = u, f
        else:
            deviations, scale = u - u.mean(axis=0), f * n / (n - 1)
        for j in range(columns):
            for k in range(columns):
                found[j, k] += scale * sum(deviations[i, j] * deviations[i, k] for i in range(n))
    return found


@pytest.mark.parametrize("most", [5, 2, 1])
def test_moments_added_block_by_block_are_the_design_covariance_and_sums(most: int) -> None:
    """Blocks of whole strata (5), and pieces of strata whose parts are joined (2, 1: the
    strata of 3, 4 and 5 PSUs cut up); a lonely stratum and one with N = n among them."""
    sizes = [3, 1, 4, 2, 5, 2, 3]
    population = [10.0, np.inf, 8.0, np.inf, 40.0, 2.0, np.inf]  # N = n: no variance there
    rng = np.random.default_rng(11)
    totals = rng.normal(size=(sum(sizes), 4)) * [1.0, 10.0, 100.0, 0.1] + [0.0, 50.0, 0.0, 3.0]
    design = _design(sizes, population)
    added = Moments(4)
    blocks = strata_blocks(design, most)
    assert len(blocks) > 2
    for first, end in blocks:
        block = Moments(4)
        block.add(np.array(totals[first:end], order="F"), design.block(first, end), end - first)
        added.merged(block)
    added.finish()
    np.testing.assert_allclose(
        added.covariance, _hand_covariance(totals, sizes, population), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(added.sums, totals.sum(axis=0), rtol=1e-13)
    assert added.n_obs == sum(sizes)
    assert not added.broken.any() and not added.parts


def test_a_piece_of_a_stratum_where_the_level_has_no_one_still_counts_its_psus() -> None:
    """The level has no one in PSUs 3 and 4 of a stratum of 5 (a piece never added): V is that
    of the stratum's 5 PSUs, two of them zero, as finish() joins them."""
    sizes = [5, 2]
    design = _design(sizes, [np.inf, np.inf])
    totals = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 4.0], [0.0, 0.0], [0.0, 0.0], [2.0, 1.0],
                       [6.0, 3.0]])  # fmt: skip
    added = Moments(2)
    for first, end in strata_blocks(design, 3):
        if (first, end) == (3, 5):
            continue
        added.add(np.array(totals[first:end], order="F"), design.block(first, end), 1)
    assert 0 in added.parts
    added.finish()
    np.testing.assert_allclose(added.covariance, _hand_covariance(totals, sizes, [np.inf] * 2))
    np.testing.assert_allclose(added.means[0], totals[:5].mean(axis=0))


def test_a_piece_of_a_stratum_is_scaled_about_the_whole_stratums_mean() -> None:
    """What the second pass scores (an estimate whose g'Vg cancels): a piece's PSU totals less
    the whole stratum's mean, times sqrt(s_h), row for row those of the whole design; a level
    with no one in a piece has zero totals there, scaled the same way."""
    sizes = [5, 2]
    design = _design(sizes, [20.0, np.inf])
    totals = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 4.0], [0.0, 0.0], [0.0, 0.0], [2.0, 1.0],
                       [6.0, 3.0]])  # fmt: skip
    moments = Moments(2)
    for first, end in strata_blocks(design, 2):
        moments.add(np.array(totals[first:end], order="F"), design.block(first, end), 1)
    moments.finish()
    whole = design.scaled_deviations(totals)
    for first, end in strata_blocks(design, 2):
        piece = np.array(totals[first:end], order="F")
        scaled = blocked._scaled(design.block(first, end), piece, moments, [0, 1])
        np.testing.assert_allclose(scaled, whole[first:end], rtol=1e-14, atol=1e-14)


def test_a_column_that_is_not_finite_in_one_block_is_left_out_of_v() -> None:
    sizes = [2, 3, 2]
    design = _design(sizes, [np.inf] * 3)
    totals = np.arange(21, dtype=np.float64).reshape(7, 3) ** 1.5
    totals[5, 1] = np.nan  # in the last block only
    added = Moments(3)
    for first, end in strata_blocks(design, 2):
        added.add(np.array(totals[first:end], order="F"), design.block(first, end), 0)
    added.finish()
    assert added.broken.tolist() == [False, True, False]
    clean = np.where([False, True, False], 0.0, np.nan_to_num(totals))
    expected = _hand_covariance(clean, sizes, [np.inf] * 3)
    np.testing.assert_allclose(added.clean_covariance, expected, rtol=1e-12, atol=1e-12)
    assert np.isnan(added.sums[1])


def test_households_in_psu_order_come_a_block_at_a_time_cut_where_each_block_ends() -> None:
    """Batches of 4 households over PSUs 0..9 in blocks (0, 3), (3, 4), (4, 8), (8, 10): a
    batch is cut where a block ends, a block's pieces are joined, a block with no household
    (3, 4) is left out, and the derivation runs on every batch."""
    rows = np.array([0, 0, 1, 2, 2, 4, 5, 5, 7, 8, 9, 9], dtype=np.int64)
    values = np.arange(12, dtype=np.float64)
    batches = [
        pa.RecordBatch.from_pydict({"_row": rows[i : i + 4], "x": values[i : i + 4]})
        for i in range(0, 12, 4)
    ]

    def doubled(columns: dict[str, np.ndarray]) -> None:
        columns["x2"] = columns["x"] * 2

    found = list(psu_blocks(iter(batches), [(0, 3), (3, 4), (4, 8), (8, 10)], doubled))
    assert [block for block, _, _ in found] == [(0, 3), (4, 8), (8, 10)]
    assert [r.tolist() for _, _, r in found] == [[0, 0, 1, 2, 2], [4, 5, 5, 7], [8, 9, 9]]
    assert [c["x"].tolist() for _, c, _ in found] == [[0, 1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11]]
    assert found[1][1]["x2"].tolist() == [10, 12, 14, 16]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("blocks")
    data = folder / "survey.csv"
    write_survey(synthetic_survey(3000, 8), data)
    return data, synthetic_spec(data.name)


def _run(data: Path, spec: dict[str, object], block_psus: str | None) -> SurveyResult:
    with pytest.MonkeyPatch.context() as patch:
        if block_psus is None:
            patch.delenv("LINDUNG_SURVEY_BLOCK_PSUS", raising=False)
        else:
            patch.setenv("LINDUNG_SURVEY_BLOCK_PSUS", block_psus)
        return estimate(parse_spec(spec), [data], threads=2)


@pytest.mark.parametrize("block_psus", ["37", "7"])
def test_a_run_in_blocks_of_strata_gives_the_numbers_of_a_run_with_every_psu_at_once(
    synthetic: tuple[Path, dict[str, object]], block_psus: str
) -> None:
    """Every indicator of the synthetic suite (four domains, both quintile breakdowns, the
    incidence shares, the Gini), 308 PSUs in 20 strata, in blocks of whole strata of at most 37
    PSUs, or in pieces of 7 (every stratum cut up): the same estimates and SEs as
    one block, to the repeatability of one run to the next; the SEs that are zero in theory
    (recomputed from their PSU scores in the second pass) exactly zero in both."""
    data, spec = synthetic
    whole = _run(data, spec, None)
    blocked = _run(data, spec, block_psus)
    assert blocked.design == whole.design and whole.design["psus"] == 308
    a, b = whole.estimates, blocked.estimates
    keys = ["indicator", "program", "poverty_line", "by", "level"]
    assert a[keys].equals(b[keys])
    assert a.n_obs.equals(b.n_obs) and a.note.equals(b.note)
    assert (a.estimate.isna() == b.estimate.isna()).all()
    assert set(a.indicator) >= {"beneficiary_incidence", "gini_reduction", "benefit_cost_ratio"}
    for column in ("estimate", "se", "pop"):
        np.testing.assert_allclose(
            b[column], a[column], rtol=REPEAT_RTOL, atol=REPEAT_ATOL, equal_nan=True
        )
    zero = a.se == 0
    assert zero.sum() > 10
    assert (b.se[zero] == 0).all()
    assert [w.code for w in blocked.report.warnings] == [w.code for w in whole.report.warnings]


def test_a_domain_missing_in_every_row_gives_missing_estimates_in_blocks_as_in_one(
    synthetic: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    # The disability column blank throughout: the domain has no level, and each of its
    # expected levels gets its estimates missing ("empty domain"), Gini's included, in blocks
    # of 7 PSUs as with every PSU at once.
    data, spec = synthetic
    table = pacsv.read_csv(data)
    blank = pa.nulls(table.num_rows, pa.int64())
    table = table.set_column(table.column_names.index("disability"), "disability", blank)
    bare = tmp_path / "survey.csv"
    pacsv.write_csv(table, bare)
    whole = _run(bare, spec, None)
    blocked = _run(bare, spec, "7")
    a, b = whole.estimates, blocked.estimates
    keys = ["indicator", "program", "poverty_line", "by", "level"]
    assert a[keys].equals(b[keys]) and a.note.equals(b.note)
    disability = b[b.by == "disability"]
    assert set(disability.indicator) >= {"gini", "gini_reduction", "coverage"}
    assert disability.estimate.isna().all()
    assert (disability.note == "undefined: empty domain").all()
    np.testing.assert_allclose(
        b.estimate, a.estimate, rtol=REPEAT_RTOL, atol=REPEAT_ATOL, equal_nan=True
    )


def test_the_gini_sums_one_welfare_variable_at_a_time_are_those_of_all_at_once(
    synthetic: tuple[Path, dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the blocked path reads (each_welfare) against what the whole path reads (sums):
    # the same PSU totals, bit for bit, column by column, for every breakdown.
    made: list[SortedHouseholds] = []

    def kept(*args: Any, **kwargs: Any) -> SortedHouseholds:
        made.append(SortedHouseholds(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(blocked, "SortedHouseholds", kept)
    data, spec = synthetic
    _run(data, spec, "37")
    (households,) = made
    breakdowns = 7  # all, both quintiles, and the four domains
    seen = 0
    for number in range(breakdowns):
        d_part, plain = households.sums(number, with_totals=True)
        whole = {
            name: part.values[:, i]
            for part in (d_part, plain)
            for i, name in enumerate(part.columns)
        }
        names = []
        for name, part in households.each_welfare(number):
            names.append(name)
            assert np.array_equal(part.part, d_part.part) and np.array_equal(part.row, d_part.row)
            for i, column in enumerate(part.columns):
                assert np.array_equal(part.values[:, i], whole[column]), (number, column)
                seen += 1
        assert names[0] == "post" and len(names) == len(d_part.columns)
    assert seen == breakdowns * (2 * len(names) + 1)


def test_a_run_in_blocks_shows_each_block_and_each_gini_as_it_waits(
    synthetic: tuple[Path, dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The progress never goes back, ends done, and names what a large survey waits for: each
    # block of PSU totals, then the Gini's sums breakdown by breakdown.
    data, spec = synthetic
    monkeypatch.setenv("LINDUNG_SURVEY_BLOCK_PSUS", "37")
    seen: list[tuple[str, int, int]] = []
    estimate(parse_spec(spec), [data], threads=2, progress=lambda *step: seen.append(step))
    done = [at for _name, at, _total in seen]
    assert done == sorted(done) and done[-1] == seen[-1][2]
    names = [name for name, _at, _total in seen]
    blocks = [name for name in names if name.startswith("PSU totals, block ")]
    assert blocks[0] == f"PSU totals, block 1 of {len(blocks)}" and len(blocks) > 3
    ginis = [name for name in names if name.startswith("Gini coefficients by ")]
    assert ginis[0] == "Gini coefficients by all (1 of 7)"
    assert ginis[-1].endswith("(7 of 7)")

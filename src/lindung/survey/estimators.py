"""Means, totals and ratios of any columns with design-based SEs: R survey's core estimators.

:func:`design_estimates` is the general engine under the indicators, usable on its own:
``svymean``, ``svytotal`` and ``svyratio`` for a stratified cluster design (with replacement at
the first stage, fpc optional), over the whole sample or per level of a ``by`` column as
``svyby`` does (domains keep the full design). A ratio of totals R = Y / X is linearised as
z_i = (y_i - R x_i) / X (Woodruff 1971; Lumley 2010, sec. 2.4.3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import ibis
import ibis.expr.types as ir
import numpy as np

from lindung.errors import SurveySpecError
from lindung.survey.backend import row_ids, to_arrow
from lindung.survey.totals import (
    LevelTotals,
    ScoreGroup,
    design_index,
    level_totals,
    psu_totals,
    with_psu_rows,
)
from lindung.survey.variance import FloatArray, variance

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["design_estimates", "ratio_gradient"]


def ratio_gradient(
    totals: LevelTotals, numerator: str, denominator: str
) -> tuple[float, FloatArray]:
    """Return R = Y/X and its gradient over the level's score columns (Woodruff linearisation)."""
    y = totals.total(numerator)
    x = totals.total(denominator)
    gradient = np.zeros(len(totals.columns))
    if x == 0:
        return float("nan"), gradient
    ratio = y / x
    gradient[totals.columns.index(numerator)] += 1 / x
    gradient[totals.columns.index(denominator)] -= ratio / x
    return ratio, gradient


def design_estimates(
    data: ir.Table,
    *,
    weight: str,
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    lonely_psu: Literal["adjust", "remove", "certainty", "fail"] = "adjust",
    means: list[str] | None = None,
    totals: list[str] | None = None,
    ratios: list[tuple[str, str]] | None = None,
    by: str | None = None,
) -> pd.DataFrame:
    """Return ``statistic, variable, level, estimate, se`` rows, as svymean/svytotal/svyratio.

    Without ``psu`` each row is its own PSU (R's ``ids = ~1``); with ``by`` each level of that
    column is a domain estimated over the full design (R's ``svyby``).
    """
    means, totals, ratios = means or [], totals or [], ratios or []
    wanted = {*means, *totals, *(c for pair in ratios for c in pair)}
    missing = sorted(c for c in wanted | {weight} if c not in data.columns)
    if missing:
        raise SurveySpecError(f"column {missing[0]!r} is not in the data; check its name")
    found_levels = _levels(data, by) if by else ["all"]
    labels = dict(enumerate(found_levels))
    persons = data.select(
        _w=data[weight].cast("float64"),
        _stratum=data[strata].cast("string") if strata else ibis.literal("1"),
        _psu=data[psu].cast("string") if psu else row_ids(data).cast("string"),
        _fpc=data[fpc].cast("float64") if fpc else ibis.literal(None, type="float64"),
        _level=data[by].cast("string") if by else ibis.literal("all"),
        _n=ibis.literal(1),
        **{f"v_{c}": data[c].cast("float64") for c in sorted(wanted)},
    )
    codes = ibis.memtable(
        {"_level": found_levels, "_part": list(labels)},
        schema={"_level": "string", "_part": "int64"},
    )
    # A left join: persons with no level stay in the design, as in R's svyby.
    persons = persons.left_join(codes, "_level").drop("_level_right")
    index = design_index(persons, lonely_psu, strata_column=strata or "", fpc_column=fpc or "")

    def columns(table: ir.Table) -> dict[str, ir.NumericValue]:
        values: dict[str, ir.NumericValue] = {"one": ibis.literal(1.0)}
        values.update({c: table[f"v_{c}"] for c in sorted(wanted)})
        return values

    rows: list[dict[str, object]] = []
    totals_by_psu = psu_totals(with_psu_rows(persons, index), ScoreGroup(columns))
    for level in level_totals([totals_by_psu], index.size, labels):
        found: list[tuple[str, str, float, FloatArray]] = []
        for column in means:
            found.append(("mean", column, *ratio_gradient(level, column, "one")))
        for column in totals:
            gradient = np.zeros(len(level.columns))
            gradient[level.columns.index(column)] = 1.0
            found.append(("total", column, level.total(column), gradient))
        for numerator, denominator in ratios:
            found.append(
                (
                    "ratio",
                    f"{numerator}/{denominator}",
                    *ratio_gradient(level, numerator, denominator),
                )
            )
        if not found:
            continue
        gradients = np.vstack([gradient for *_, gradient in found])
        variances = variance(level.psu_totals @ gradients.T, index.design)
        for (statistic, variable, estimate, _), var in zip(found, variances, strict=True):
            se = float(np.sqrt(max(var, 0.0))) if np.isfinite(estimate) else np.nan
            rows.append(
                {
                    "statistic": statistic,
                    "variable": variable,
                    "level": level.level,
                    "estimate": estimate,
                    "se": se,
                }
            )
    # Imported here: the survey command does not need pandas, which alone takes a quarter of a
    # second to import.
    import pandas as pd

    return pd.DataFrame(rows, columns=["statistic", "variable", "level", "estimate", "se"])


def _levels(data: ir.Table, by: str) -> list[str]:
    """Return the values of the ``by`` column as text, missing values left out."""
    found = to_arrow(data.select(_v=data[by].cast("string")).distinct())["_v"]
    return sorted(str(v) for v in found.to_pylist() if v is not None)

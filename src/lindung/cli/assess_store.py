"""Store access of ``lindung assess``: who may read values not yet published, reading current
observations into tables, reading national and reference values apart, and handing regional
aggregates to the service that stores them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lindung.assess.aggregates import Aggregate, describe
from lindung.cli.store_access import open_store
from lindung.framework import Catalogue
from lindung.keys import KEY
from lindung.store import transaction
from lindung.store.frames import current_frame, frames_by_kind, population_frame


def require_unpublished_reader(actor: str | None) -> None:
    """Raise unless the logged-in user (``actor`` chooses among the accounts logged in here) is
    of the secretariat or an admin, the roles that may read every country's unpublished values."""
    from lindung.cli.store_access import current_user
    from lindung.ingest.accounts import require_unpublished_access

    with transaction(open_store()) as connection:
        require_unpublished_access(
            current_user(connection, actor), None, "read values not yet published"
        )


def read_current(
    series: list[str] | None,
    areas: list[str] | None,
    year: int | None,
    include_unpublished: bool,
    kinds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the current value of each matching key (published only unless asked), among the
    submissions of ``kinds`` if given."""
    with transaction(open_store()) as connection:
        return current_frame(connection, series, areas, year, include_unpublished, kinds)


def read_population() -> pd.DataFrame:
    """Return the UN population that weights regional aggregates (``store.frames``)."""
    with transaction(open_store()) as connection:
        return population_frame(connection)


def read_by_kind(
    series: list[str], areas: list[str] | None, year: int | None, include_unpublished: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Current value per key among the countries' own submissions, and among reference data."""
    with transaction(open_store()) as connection:
        return frames_by_kind(connection, series, areas, year, include_unpublished)


def require_aggregate_writer(choose: str | None) -> str | None:
    """Return the e-mail of the logged-in user (``choose`` picks among the accounts logged in
    here) if it is the secretariat or an admin, who alone publish regional figures; None if
    nobody is logged in; else raise PermissionDenied (before anything is computed)."""
    from lindung.cli.store_access import current_user
    from lindung.ingest.accounts import require_reviewer

    with transaction(open_store()) as connection:
        user = current_user(connection, choose)
        if user is None:
            return None
        require_reviewer(user, "store regional aggregates")
    return user["email"]


def store_aggregates(
    catalogue: Catalogue, rows: Sequence[Aggregate], method: str, actor: str
) -> str:
    """Store one method's aggregates as the user ``actor`` (email); return a summary (see
    ``lindung.ingest.aggregate``)."""
    from lindung.ingest.aggregate import store_aggregate

    written, skipped = 0, 0
    engine = open_store()
    for region in sorted({str(r["ref_area"]) for r in rows}):
        chosen = [
            r
            for r in rows
            if r["ref_area"] == region and r["method"] == method and r["value"] is not None
        ]
        if not chosen:
            continue
        records = [
            {
                **{k: v for k, v in r.items() if k in KEY},
                "value": r["value"],
                "unit": r["unit"],
                "source": "Lindung regional aggregate of member-state values "
                f"(weights: {r['population_source']})",
                "comment": describe(r),
            }
            for r in chosen
        ]
        with transaction(engine) as connection:
            stored = store_aggregate(
                connection,
                region=region,
                method=method,
                records=records,
                framework_version=catalogue.version,
                actor=actor,
            )
        written += stored.written
        skipped += stored.unchanged
    return f"stored {written} {method} aggregates; {skipped} were already stored unchanged"


def read_spi_inputs(area: list[str], year: int | None, include_unpublished: bool) -> pd.DataFrame:
    """Return SPI inputs from the store: spending and beneficiaries by program area (ALL_SI,
    ALL_SA, ALL_LM) with sex and group, intended beneficiaries and GDP per capita in LCU."""
    series = ["ASP_SPEXP_LCU", "ASP_SP_BENEF_ACTUAL", "ASP_SP_BENEF_INTENDED", "ASP_GDP_PC_LCU"]
    frame = read_current(series, area or None, year, include_unpublished)
    if frame.empty:
        return pd.DataFrame()
    spend = frame[frame["series"] == "ASP_SPEXP_LCU"]
    actual = frame[frame["series"] == "ASP_SP_BENEF_ACTUAL"]
    keys = ["ref_area", "time_period", "program", "sex", "group"]
    merged = spend.merge(actual, on=keys, suffixes=("_exp", "_ben"))
    merged = merged[merged["program"].isin(["ALL_SI", "ALL_SA", "ALL_LM"])]
    intended = frame[
        (frame["series"] == "ASP_SP_BENEF_INTENDED") & (frame["program"].isin(["_T", "ALL_SP"]))
    ]
    gdp = frame[frame["series"] == "ASP_GDP_PC_LCU"]
    merged = merged.merge(
        intended[["ref_area", "time_period", "value"]].rename(
            columns={"value": "intended_beneficiaries"}
        ),
        on=["ref_area", "time_period"],
    ).merge(
        gdp[["ref_area", "time_period", "value"]].rename(columns={"value": "gdp_per_capita"}),
        on=["ref_area", "time_period"],
    )
    return pd.DataFrame(
        {
            "ref_area": merged["ref_area"],
            "time_period": merged["time_period"],
            "program": merged["program"],
            "sex": merged["sex"],
            "poverty": merged["group"],
            "expenditure": merged["value_exp"],
            "beneficiaries": merged["value_ben"],
            "intended_beneficiaries": merged["intended_beneficiaries"],
            "gdp_per_capita": merged["gdp_per_capita"],
        }
    )

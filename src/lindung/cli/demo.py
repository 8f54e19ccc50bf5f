"""``lindung demo``: the embedded store with the reference data, and an ASEAN overview."""

from __future__ import annotations

from rich.table import Table

from lindung.cli.output import console
from lindung.framework import load_catalogue
from lindung.text import counted


def demo() -> None:
    """Initialise the embedded store, load the reference data, show the ASEAN overview."""
    from lindung.assess.headline import OVERVIEW_SERIES, latest_by_area
    from lindung.ingest.reference import load_reference
    from lindung.store import current_observations, describe_url, make_engine, transaction, upgrade

    engine = make_engine()
    with console.status("Preparing the store"):
        upgrade(engine)
    with console.status("Loading the reference data"):
        summary = load_reference(engine)
    console.print(
        f"Store {describe_url(str(engine.url))}: "
        f"{counted(summary.observations_written, 'observation')} added, "
        f"{counted(summary.batches_already_loaded, 'reference batch', 'reference batches')} "
        "already there."
    )
    catalogue = load_catalogue()
    with transaction(engine) as connection:
        rows = current_observations(connection, series=OVERVIEW_SERIES, totals_only=True)
    latest = latest_by_area(rows)
    table = Table(title="ASEAN overview: latest published values (percent, year)")
    table.add_column("Member state")
    legend = []
    for code in OVERVIEW_SERIES:
        indicator = catalogue.indicator(code)
        sdg = f"SDG {indicator.sdg.indicator}" if indicator.sdg else ""
        table.add_column(f"{code}\n{sdg}", justify="right")
        legend.append(f"{code}: {indicator.name.en}")
    for state in catalogue.member_states:
        cells = []
        for code in OVERVIEW_SERIES:
            row = latest.get((code, state.iso3))
            cells.append(f"{row['value']:.1f} ({row['time_period']})" if row else "no data")
        table.add_row(state.name.en, *cells)
    console.print(table)
    console.print("\n".join(legend))
    console.print(
        "Sources: UN SDG Global Database 2020 snapshot (ILO, World Bank). "
        "Try `lindung data query --series SI_COV_BENFTS`."
    )
    engine.dispose()

"""The Alembic migrations build exactly the schema the code describes, on both engines."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from lindung.store import current_revision, head_revision, upgrade
from lindung.store.migrate import alembic_config
from lindung.store.schema import metadata


def test_the_migrated_database_matches_the_schema_module(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    assert current_revision(engine) == head_revision()


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    tables = sorted(inspect(engine).get_table_names())
    assert upgrade(engine) == head_revision()
    assert sorted(inspect(engine).get_table_names()) == tables


def test_the_schema_can_be_taken_down_and_rebuilt(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert {"observations", "submissions", "survey_runs", "users", "audit_log"} <= set(
        inspect(engine).get_table_names()
    )

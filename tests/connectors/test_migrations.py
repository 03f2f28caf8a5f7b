"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from areagraph.connectors.local.seed import seed_reference
from areagraph.core.settings import Settings
from areagraph.migrations.run import check_models_match, upgrade_to_head


def test_migrations_match_the_models(settings: Settings) -> None:
    upgrade_to_head(settings)  # already at head: a no-op that must not fail
    check_models_match(settings)  # raises when autogenerate would find a difference
    engine = create_engine(settings.sync_database_url)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set(SQLModel.metadata.tables)


def test_seed_twice_changes_nothing(settings: Settings) -> None:
    engine = create_engine(settings.sync_database_url)
    try:
        report = seed_reference(engine)  # the template was seeded once already
        assert not report.changed, report
    finally:
        engine.dispose()

"""Run Alembic from code, with the URL from settings, so `areagraph migrate` needs no ini edits."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from areagraph.core.settings import Settings


def alembic_config(settings: Settings) -> Config:
    folder = Path(__file__).parent
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder))
    config.attributes["sync_url"] = settings.sync_database_url
    return config


def upgrade_to_head(settings: Settings) -> None:
    command.upgrade(alembic_config(settings), "head")
    if settings.is_sqlite:
        _use_wal(settings)


def _use_wal(settings: Settings) -> None:
    """Put a SQLite file in WAL mode once, here, where nothing else has it open: switching
    needs the file to itself, which several pooled connections at start-up would race for."""
    engine = create_engine(settings.sync_database_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    finally:
        engine.dispose()


def check_models_match(settings: Settings) -> None:
    """Raise when the models and the migrations disagree (Alembic's `check`)."""
    command.check(alembic_config(settings))

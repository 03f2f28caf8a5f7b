"""Run Alembic from code, with the URL from settings, so `areagraph migrate` needs no ini edits."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import migrations
from api.settings import Settings


def alembic_config(settings: Settings) -> Config:
    folder = Path(migrations.__file__).parent
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder))
    config.attributes["sync_url"] = settings.sync_database_url
    return config


def upgrade_to_head(settings: Settings) -> None:
    command.upgrade(alembic_config(settings), "head")


def check_models_match(settings: Settings) -> None:
    """Raise when the models and the migrations disagree (Alembic's `check`)."""
    command.check(alembic_config(settings))

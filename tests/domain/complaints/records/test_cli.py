"""`areagraph complaints reconcile` reports drift (exit 1) and `sync` repairs it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from areagraph.api.cli.main import cli
from areagraph.core.settings import Settings
from tests.connectors.sources.conftest import Simulators
from tests.domain.complaints.records.centre import source_tickets


def test_reconcile_reports_and_sync_repairs(settings: Settings, sims: Simulators,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AREAGRAPH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("AREAGRAPH_SOURCES_FILE", str(settings.sources_file))
    held = len(source_tickets(sims, "340101"))
    runner = CliRunner()
    args = ["complaints", "reconcile", "--area", "340101", "--fiscal-year", "2026"]

    found = runner.invoke(cli, args)
    assert found.exit_code == 1, found.output
    assert f"fetched {held} tickets; missing here {held}, differing 0" in found.output

    synced = runner.invoke(cli, ["complaints", "sync", "--area", "340101",
                                 "--fiscal-year", "2026"])
    assert synced.exit_code == 0, synced.output
    assert "; repaired" in synced.output

    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert f"missing here 0, differing 0, gone at the source 0, unchanged {held}" in again.output

    wrong = runner.invoke(cli, [*args, "--source", "dopa"])
    assert wrong.exit_code == 2 and "not a configured Damrongdhama source" in wrong.output

"""A source behind OAuth2 client credentials (PWA): one token, reused; refused credentials are
the source's failure, not the gateway's; and no deprecated client is loaded on the way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from areagraph.connectors.simulators import pwa
from areagraph.core.settings import Settings
from tests.conftest import serve
from tests.connectors.sources.conftest import Simulators, write_sources_file

WATER = """{{ area(code: "3401") {{ indicatorValues(codes: ["WATER_LOSS_PCT"],
    period: "2026-0{month}") {{ value source }} }} }}"""


def _token_calls(sims: Simulators) -> list[dict[str, object]]:
    return [c for c in sims.calls("pwa", data_only=False) if c["path"] == "/oauth/token"]


async def test_one_token_serves_every_call(settings: Settings, sims: Simulators) -> None:
    async for gateway in serve(settings):
        gateway.login("ministry_admin")
        for month in (1, 2, 3):
            body = await gateway.query(WATER.format(month=month))
            assert "errors" not in body, body["errors"]
            assert [v["source"] for v in body["data"]["area"]["indicatorValues"]] == ["pwa"]
    assert len(sims.calls("pwa")) == 3
    assert len(_token_calls(sims)) == 1


async def test_refused_credentials_are_the_source_being_unavailable(
        settings: Settings, sims: Simulators, tmp_path: Path) -> None:
    sources = write_sources_file(tmp_path / "sources.toml", sims)
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace(pwa.CLIENT_SECRET, "not-the-secret"), encoding="utf-8")
    async for gateway in serve(settings.model_copy(update={"sources_file": sources})):
        gateway.login("ministry_admin")
        body = await gateway.query(WATER.format(month=1))
    assert body["data"]["area"]["indicatorValues"] == []
    assert body["errors"] == [{
        "message": "pwa refused the gateway's credentials", "path": ["area", "indicatorValues"],
        "extensions": {"code": "SOURCE_UNAVAILABLE", "source": "pwa", "reason": "auth"}}]
    assert sims.calls("pwa") == [] and [c["status"] for c in _token_calls(sims)] == [401, 401]


def test_loading_the_gateway_prints_no_warning() -> None:
    loaded = subprocess.run(
        [sys.executable, "-W", "always", "-c",
         "import areagraph.api.app, areagraph.api.cli.main, areagraph.connectors.http"],
        capture_output=True, text=True, check=False)
    assert (loaded.returncode, loaded.stderr) == (0, "")

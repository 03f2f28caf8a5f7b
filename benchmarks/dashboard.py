"""Dashboard budgets: the compressed JavaScript and CSS of the first view, the time to the first
meaningful render of the country overview, and the GraphQL operations the overview needs.

Run by hand after `make demo` has built web/ (not part of CI's pass/fail):

    .venv/bin/python -m benchmarks.dashboard [--database-url sqlite:///./areagraph.db] [--runs 5]

Without `--database-url` it seeds a fresh SQLite database with the whole sample (about 1M
figures; two minutes or so). It starts a gateway process, opens /dashboard/ as an executive in
headless Chromium `--runs` times (a fresh browser context each: nothing cached in the browser;
the first run is also the gateway's first) and prints sizes, render times and operations.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine

from areagraph.auth.dev_issuer import issue_token, load_or_create_key
from areagraph.auth.principal import Role
from areagraph.core.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "web" / "dist"
_FIRST_VIEW = re.compile(r'(?:src|href)="/dashboard/(assets/[^"]+\.(?:js|css))"')


def first_view_sizes() -> dict[str, int]:
    """Bytes of the files index.html loads before anything renders, raw and gzip -9."""
    files = _FIRST_VIEW.findall((DIST / "index.html").read_text(encoding="utf-8"))
    raw = gz = 0
    for name in files:
        data = (DIST / name).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, 9))
    fonts = sum(len((DIST / "assets" / f.name).read_bytes())
                for f in (DIST / "assets").glob("sarabun-thai-*-normal-*.woff2"))
    return {"files": len(files), "raw": raw, "gzip": gz, "thai_font_woff2": fonts}


def _database(url: str | None, workdir: Path) -> str:
    if url is not None:
        return url
    from areagraph.connectors.local.sample import seed_sample
    from areagraph.connectors.local.seed import seed_reference
    from areagraph.migrations.run import upgrade_to_head

    url = f"sqlite:///{workdir / 'dashboard.db'}"
    settings = Settings(database_url=url)
    upgrade_to_head(settings)
    engine = create_engine(settings.sync_database_url)
    seed_reference(engine)
    seed_sample(engine)
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    from tests.api.realtime.conftest import GatewayProcess

    sizes = first_view_sizes()
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        key_path = workdir / "dev-key.json"
        token = issue_token(load_or_create_key(key_path), audience="areagraph",
                            subject="benchmark", roles=[Role("executive")], areas=[],
                            agency=None, topics=[], ttl=3600)
        gateway = GatewayProcess({
            "AREAGRAPH_DATABASE_URL": _database(options.database_url, workdir),
            "AREAGRAPH_DEV_TOKENS": "true", "AREAGRAPH_DEV_KEY_PATH": str(key_path),
            "AREAGRAPH_RATE_LIMIT_BURST": "100000"}, workdir / "gateway.log")
        gateway.start()
        try:
            gateway.wait_ready()
            out = subprocess.run(
                ["node", "e2e/first-render.mjs", gateway.http_url, token, str(options.runs)],
                cwd=REPO / "web", capture_output=True, text=True, check=True,
                env={**os.environ}).stdout
        finally:
            gateway.stop()
    runs = json.loads(out.strip().splitlines()[-1])
    times = [r["renderMs"] for r in runs]
    print(f"first view: {sizes['files']} files, {sizes['raw'] / 1024:.1f} KiB, "
          f"{sizes['gzip'] / 1024:.1f} KiB gzip (+ Thai font {sizes['thai_font_woff2'] / 1024:.1f}"
          " KiB woff2)")
    print(f"first meaningful render: first run {times[0]} ms; later runs median "
          f"{statistics.median(times[1:] or times):.0f} ms (all: {times})")
    first = runs[-1]
    overview = [r["answered"].get("DashboardOverview") for r in runs]
    print(f"of which the DashboardOverview round trip (the gateway's work): {overview} ms")
    print(f"operations before the overview shows: {len(first['beforeRender'])} "
          f"{first['beforeRender']}")
    print(f"operations in all (incl. the trend's history and source health): "
          f"{len(first['all'])} {first['all']}; subscriptions: {first['subscriptions']}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""GraphiQL from local files: ministry networks are often closed, so no CDN.

The files are the ones Strawberry's own page names, taken from their npm packages at install or
build time (`areagraph graphiql fetch`), checked against the page's sha384 integrity hashes and
served by the gateway under `ASSETS_PATH`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from strawberry.http.ides import get_graphql_ide_html

from areagraph.api.pages.explorer_examples import examples
from areagraph.core.settings import Settings

ASSETS_PATH = "/graphiql/assets"
DASHBOARD_LINK = (
    '<a href="/dashboard/" style="position:fixed;right:12px;bottom:10px;z-index:10;'
    'font:14px sans-serif">Dashboard · แดชบอร์ด</a>')
DEFAULT_ASSETS_DIR = Path(__file__).parent / "graphiql_assets"
_CDN = "https://unpkg.com/"
_ASSET = re.compile(
    r'(?:src|href)="https://unpkg\.com/(?P<package>(?:@[^/@"]+/)?[^/@"]+)@(?P<version>[^/"]+)/'
    r'(?P<path>[^"]+)"\s+integrity="(?P<integrity>sha384-[^"]+)"'
)


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    path: str
    integrity: str

    @property
    def local_path(self) -> str:
        return f"{self.package}@{self.version}/{self.path}"


def assets() -> list[Asset]:
    """The files Strawberry's GraphiQL page loads, with their integrity hashes."""
    return [Asset(**m.groupdict()) for m in _ASSET.finditer(get_graphql_ide_html("graphiql"))]


# The sign-in control, built with the dashboard (web/src/graphiql/signin.tsx) from its sign-in
# code and served with it; without a built dashboard the page still works with pasted headers.
SIGNIN_SCRIPT_PATH = "/dashboard/graphiql/signin.js"
_SIGNIN_SCRIPT = f'<script type="module" src="{SIGNIN_SCRIPT_PATH}"></script>'
# Strawberry's page, changed in five places: it also reads GraphiQL's own `query` parameter
# (a shared explorer link), it lists our examples as a plugin, it loads that plugin and the
# sign-in control, its fetcher adds the signed-in token to every request (HTTP and websocket),
# and it links to the dashboard.
_PAGE_CHANGES = (
    ("parameters.q || EXAMPLE_QUERY", "parameters.q || parameters.query || EXAMPLE_QUERY"),
    ("plugins: [explorerPlugin],", "plugins: [explorerPlugin, window.areagraphExamplesPlugin],"),
    ("</head>", "{examples}</head>"),
    ("const fetcher = GraphiQL.createFetcher(",
     "const fetcher = window.areagraphSignedInFetcher(GraphiQL.createFetcher, "),
    ("</body>", f"{_SIGNIN_SCRIPT}{DASHBOARD_LINK}</body>"),
)
EXPLORER_SCRIPT_PATH = "/graphiql/explorer.js"
_EXPLORER_SCRIPT = Path(__file__).parent / "graphiql_explorer.js"


@cache
def graphiql_page(prefix: str = ASSETS_PATH) -> str:
    """Strawberry's GraphiQL page, loading every file from the gateway itself, with the
    example operations and shared links."""
    page = get_graphql_ide_html("graphiql").replace(_CDN, f"{prefix}/")
    listed = json.dumps([e.as_json() for e in examples()], ensure_ascii=False)
    listed = listed.replace("</", "<\\/")  # JSON inside a script element
    head = (f'<script id="areagraph-examples" type="application/json">{listed}</script>'
            f'<script src="{EXPLORER_SCRIPT_PATH}"></script>')
    for old, new in _PAGE_CHANGES:
        if page.count(old) != 1:
            raise RuntimeError(f"GraphiQL page changed: {old!r} not found once")
        page = page.replace(old, new.replace("{examples}", head))
    return page


def installed(directory: Path) -> bool:
    return all((directory / a.local_path).is_file() for a in assets())


def _sha384(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def fetch(directory: Path, npm: str = "npm") -> list[Path]:
    """Download each package with `npm pack`, keep the files the page needs, check them."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as work:
        tarballs: dict[str, Path] = {}
        for asset in assets():
            spec = f"{asset.package}@{asset.version}"
            if spec not in tarballs:
                name = subprocess.run(
                    [npm, "pack", spec, "--silent", "--pack-destination", work],
                    check=True, capture_output=True, text=True,
                ).stdout.strip().splitlines()[-1]
                tarballs[spec] = Path(work) / name
            with tarfile.open(tarballs[spec]) as tar:
                member = tar.extractfile(f"package/{asset.path}")
                if member is None:
                    raise FileNotFoundError(f"{spec} has no {asset.path}")
                data = member.read()
            if _sha384(data) != asset.integrity:
                raise ValueError(f"{spec}/{asset.path} does not match its integrity hash")
            target = directory / asset.local_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


def clear(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def assets_dir(settings: Settings) -> Path:
    return settings.graphiql_assets_dir or DEFAULT_ASSETS_DIR


def mount_graphiql_assets(app: FastAPI, settings: Settings) -> None:
    """Serve the fetched files; each is immutable under its versioned path."""

    @app.get(EXPLORER_SCRIPT_PATH, include_in_schema=False)
    async def explorer_script() -> FileResponse:
        return FileResponse(_EXPLORER_SCRIPT, media_type="text/javascript")

    app.mount(ASSETS_PATH, StaticFiles(directory=assets_dir(settings), check_dir=False),
              name="graphiql-assets")

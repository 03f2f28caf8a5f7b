"""The distribution installs one `areagraph` package (nothing generic in site-packages), and the
installed copy runs on its own, without the repository's folders on the path."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("areagraph-*.whl")
    return built


def test_the_wheel_holds_one_top_level_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"areagraph"}
    for layer in ("api", "schema", "resolvers", "domain", "auth", "connectors", "core",
                  "migrations"):
        assert f"areagraph/{layer}/__init__.py" in names
    assert "areagraph/migrations/alembic.ini" in names
    assert "areagraph/schema/descriptions_th.toml" in names


def test_the_installed_package_builds_the_app_away_from_the_repository(
        wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    script = ("import areagraph.api.app as app, areagraph.api.cli.main as cli; "
              "print(app.__file__); print(callable(app.create_app), callable(cli.main))")
    # -I -S: neither the working directory, PYTHONPATH nor the development install's .pth file
    # can supply the folders; the dependencies come from site-packages, added by hand.
    path = [str(target), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    shown = subprocess.run([sys.executable, "-I", "-S", "-c",
                            f"import sys; sys.path[:0] = {path!r}; {script}"],
                           cwd=tmp_path, capture_output=True, text=True, check=False,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert shown.returncode == 0, shown.stderr
    where, ok = shown.stdout.splitlines()
    assert where.startswith(str(target))
    assert ok == "True True"

"""The distribution installs one `areagraph` package (nothing generic in site-packages), and the
installed copy runs on its own, without the repository's folders on the path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def _tracked_copy(into: Path) -> Path:
    """The committed files (links kept as links): a build in the working tree would leave
    `build/` behind, whose stale modules a later wheel would carry."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source, target = ROOT / name, into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)
    return into


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = _tracked_copy(tmp_path_factory.mktemp("source"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(source)],
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

"""The lock file pins every package pyproject.toml asks for, at a version its range allows: a
dependency added or a range moved without `make lock` fails here, not on a fresh install."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements" / "dev.lock").read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            assert version, f"not pinned: {line}"
            pins[canonicalize_name(name)] = version
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    texts = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    for extra in project["project"]["optional-dependencies"].values():
        texts += extra
    declared = [Requirement(text) for text in texts]
    return [r for r in declared if canonicalize_name(r.name) != "areagraph"]


def test_every_declared_package_is_pinned_within_its_range() -> None:
    pins = _pins()
    problems = [f"{r}: locked {pins.get(canonicalize_name(r.name), 'nothing')}"
                for r in _declared() if canonicalize_name(r.name) not in pins
                or not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_the_packages_whose_internals_are_used_are_capped() -> None:
    capped = {canonicalize_name(r.name) for r in _declared()
              if any(s.operator == "<" for s in r.specifier)}
    assert capped >= {"strawberry-graphql", "graphql-core", "cross-web", "purgatory"}

"""Named example operations for GraphiQL, in Thai and English, kept as `.graphql` files in
`api/graphiql_examples/` (a test runs each one, so none goes stale).

Each file starts with comment lines `# th: …`, `# en: …` and optionally `# variables: {…}`;
the rest of the leading comment is its description, shown in English beside the Thai title."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

EXAMPLES_DIR = Path(__file__).parent / "graphiql_examples"


@dataclass(frozen=True)
class Example:
    name: str
    title_th: str
    title_en: str
    description: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def link(self) -> str:
        """The explorer link that opens this example (GraphiQL's own `query` parameter)."""
        params = {"query": self.query}
        if self.variables:
            params["variables"] = json.dumps(self.variables, ensure_ascii=False, indent=2)
        # %20, not +: the page reads its parameters with decodeURIComponent, which keeps a +.
        return "?" + urlencode(params, quote_via=quote)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "titleTh": self.title_th, "titleEn": self.title_en,
                "description": self.description, "href": self.link}


def parse_example(name: str, text: str) -> Example:
    header: dict[str, str] = {}
    notes: list[str] = []
    lines = text.splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = index
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key in ("th", "en", "variables"):
            header[key] = value.strip()
        else:
            notes.append(line.lstrip("# ").strip())
    missing = {"th", "en"} - header.keys()
    if missing:
        raise ValueError(f"example {name} has no {', '.join(sorted(missing))} title")
    return Example(name=name, title_th=header["th"], title_en=header["en"],
                   description=" ".join(notes), query="\n".join(lines[body_start:]).strip() + "\n",
                   variables=json.loads(header.get("variables", "{}")))


@cache
def examples(directory: Path = EXAMPLES_DIR) -> tuple[Example, ...]:
    return tuple(parse_example(path.stem, path.read_text(encoding="utf-8"))
                 for path in sorted(directory.glob("*.graphql")))

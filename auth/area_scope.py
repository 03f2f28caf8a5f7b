"""Area codes in credentials: well-formed DOPA codes of areas that exist in our area table."""

from __future__ import annotations

from collections.abc import Iterable

from areagraph.connectors.local.areas import areas_by_codes
from areagraph.connectors.local.database import Database
from areagraph.core.area_codes import InvalidAreaCode, parse_area_code


def normalise(code: object) -> str | None:
    """The short DOPA form of a code, or None when it is not a DOPA code at all."""
    if not isinstance(code, str):
        return None
    try:
        return parse_area_code(code)
    except InvalidAreaCode:
        return None


class AreaDirectory:
    """Answers whether area codes exist, remembering the ones it has seen in the table."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._known: set[str] = set()

    async def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes (already normalised) that name no area."""
        missing = sorted({c for c in codes if c not in self._known})
        if missing:
            found = await areas_by_codes(self._database, missing)
            self._known.update(found)
        return [c for c in missing if c not in self._known]

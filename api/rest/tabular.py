"""JSON or CSV, as the caller's Accept header prefers (CSV for people in spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from areagraph.api.http.media import JSON, best_of

CSV = "text/csv"
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {"schema": {"type": "string"}}},
          "description": "JSON, or CSV (UTF-8 with BOM) when `Accept: text/csv`."},
}


def wants_csv(accept: str | None) -> bool:
    return best_of(accept, (CSV, JSON)) == CSV


def respond(request: Request, body: BaseModel, rows: Sequence[BaseModel],
            filename: str) -> Response:
    """`body` as JSON, or `rows` as CSV with a header row; Excel reads Thai with the BOM."""
    if not wants_csv(request.headers.get("accept")):
        return JSONResponse(body.model_dump(mode="json", by_alias=True))
    out = io.StringIO()
    out.write("\ufeff")
    fields = [f.alias or name for name, f in _row_model(rows, body).model_fields.items()]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.model_dump(mode="json",
                                                                 by_alias=True).items()})
    return Response(out.getvalue(), media_type=f"{CSV}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})


def _row_model(rows: Sequence[BaseModel], body: BaseModel) -> type[BaseModel]:
    if rows:
        return type(rows[0])
    items = type(body).model_fields.get("items")
    args = getattr(items.annotation, "__args__", ()) if items else ()
    return args[0] if args and isinstance(args[0], type) else type(body)


def _cell(value: Any) -> Any:
    return " ".join(map(str, value)) if isinstance(value, list) else value

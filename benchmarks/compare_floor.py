"""The floor of `benchmarks.compare`: plain FastAPI endpoints returning the queries' JSON.

Served by uvicorn like the gateway (uvloop, httptools, one worker). No GraphQL, no
authentication, no policy: the same SQL statement the gateway runs, the rows shaped as the
query's answer and serialised with orjson, so what it costs is the least a Python HTTP service
can spend on the same answer.

    uvicorn benchmarks.compare_floor:app   # AREAGRAPH_DATABASE_URL names the database
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from areagraph.connectors.local.models import Area
from areagraph.core.settings import Settings

_AREA = Area.__table__  # type: ignore[attr-defined]
_TYPENAME = orjson.dumps({"data": {"__typename": "Query"}})
SUBDISTRICTS = 7436


def _node(row: Any) -> dict[str, Any]:
    return {"code": row["code"], "level": row["level"].upper(), "nameTh": row["name_th"],
            "nameEn": row["name_en"], "postalCodes": list(row["postal_codes"] or [])}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.engine = create_async_engine(Settings().async_database_url, pool_size=10)
    try:
        yield
    finally:
        await app.state.engine.dispose()


app = FastAPI(lifespan=_lifespan)


@app.post("/typename")
async def typename() -> Response:
    """`{ __typename }`'s answer."""
    return Response(_TYPENAME, media_type="application/json")


@app.post("/subdistricts")
async def subdistricts(request: Request) -> Response:
    """`areas(level: SUBDISTRICT, first: 7436) { edges { node { 5 fields } } }`'s answer."""
    statement = (select(_AREA).where(_AREA.c.level == "subdistrict").order_by(_AREA.c.code)
                 .limit(SUBDISTRICTS + 1))
    async with request.app.state.engine.connect() as conn:
        rows = list((await conn.execute(statement)).mappings())
    edges = [{"node": _node(row)} for row in rows[:SUBDISTRICTS]]
    return Response(orjson.dumps({"data": {"areas": {"edges": edges}}}),
                    media_type="application/json")

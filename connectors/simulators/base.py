"""What every simulated source system shares: a call log and faults that tests can switch on.

`GET /_sim/calls` lists the data calls served (path, start and end as Unix seconds, taken by
the simulator itself); `PUT /_sim/faults` sets added latency, an error rate, or a failure mode
(`error` answers 500, `timeout` never answers in time, `answer_lost` does the work but never
answers, `malformed` is not JSON, `wrong_types` turns every number into text), for every call or
for the next `times` calls; `PUT /_sim/figures` changes figures the system holds (each simulator
names its keys), as when an agency corrects its data; `POST /_sim/reset` clears all (and what a
stateful simulator holds).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FaultMode = Literal["none", "error", "timeout", "answer_lost", "malformed", "wrong_types"]
_CONTROL = ("/_sim", "/openapi.json", "/docs", "/redoc")
_HANG_SECONDS = 30.0


class Faults(BaseModel):
    latency_ms: float = Field(default=0, ge=0, description="Added to every data call.")
    error_rate: float = Field(default=0, ge=0, le=1, description="Share of calls answered 500.")
    mode: FaultMode = "none"
    times: int | None = Field(default=None, ge=1,
                              description="Only the next this many data calls; all when unset.")


class CallRecord(BaseModel):
    method: str
    path: str
    started_at: float
    ended_at: float
    status: int
    query: str = Field(default="", description="The URL's query string.")
    body: str = Field(default="", description="The request body, as text.")


class SimulatorState:
    """One simulator's faults and call log (thread-safe: tests read it from other threads)."""

    def __init__(self, seed: int = 0) -> None:
        self.faults = Faults()
        self.calls: list[CallRecord] = []
        self.figures: dict[str, float] = {}
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)
        self.on_reset: list[Callable[[], None]] = []

    def record(self, call: CallRecord) -> None:
        with self._lock:
            self.calls.append(call)

    def take_faults(self) -> Faults:
        """The faults for this call; a fault set for a number of calls counts this one."""
        with self._lock:
            faults = self.faults
            if faults.times is not None:
                left = faults.times - 1
                self.faults = faults.model_copy(update={"times": left}) if left else Faults()
            return faults

    def should_fail(self) -> bool:
        with self._lock:
            return self._random.random() < self.faults.error_rate

    def figure(self, key: str, default: float) -> float:
        """The figure under `key`: a changed one if `PUT /_sim/figures` set it."""
        return self.figures.get(key, default)

    def reset(self) -> None:
        with self._lock:
            self.faults = Faults()
            self.calls.clear()
            self.figures.clear()
            self._random.seed(self._seed)
        for hook in self.on_reset:
            hook()


def simulator_app(name: str, title: str, description: str, version: str = "1.0") -> FastAPI:
    """A FastAPI app with the call log and fault switches mounted; add the data routes to it."""
    app = FastAPI(title=title, description=description, version=version,
                  openapi_tags=[{"name": "data", "description": f"{name} data"}])
    state = SimulatorState(seed=number(name, low=0, high=10**6))
    app.state.simulator = state

    app.add_middleware(_FaultsAndLog, state=state)

    @app.get("/health", tags=["health"], summary="Whether the system answers")
    async def health() -> dict[str, str]:
        return {"status": "ok", "system": name}

    @app.get("/_sim/calls", include_in_schema=False)
    async def calls() -> list[CallRecord]:
        return list(state.calls)

    @app.get("/_sim/faults", include_in_schema=False)
    async def get_faults() -> Faults:
        return state.faults

    @app.put("/_sim/faults", include_in_schema=False)
    async def set_faults(faults: Faults) -> Faults:
        state.faults = faults
        return faults

    @app.put("/_sim/figures", include_in_schema=False)
    async def set_figures(figures: dict[str, float]) -> dict[str, float]:
        state.figures.update(figures)
        return dict(state.figures)

    @app.post("/_sim/reset", include_in_schema=False)
    async def reset() -> dict[str, bool]:
        state.reset()
        return {"reset": True}

    return app


class _FaultsAndLog:
    """Applies the faults to data calls and logs them, as plain ASGI: the logged span covers
    everything the system does for a call, from the first byte read to the last one sent."""

    def __init__(self, app: ASGIApp, state: SimulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_CONTROL):
            await self.app(scope, receive, send)
            return
        started = time.time()
        body = await _read_body(receive)
        status = 500

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def sent(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._answer(scope, replay, sent, receive)
        finally:
            self.state.record(CallRecord(
                method=scope["method"], path=scope["path"], started_at=started,
                ended_at=time.time(), status=status,
                query=scope.get("query_string", b"").decode("latin-1"),
                body=body.decode("utf-8", "replace")))

    async def _answer(self, scope: Scope, receive: Receive, send: Send,
                      wire: Receive) -> None:
        state = self.state
        faults = state.take_faults()
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.mode == "timeout" and await _hold(
                wire, lambda: faults.times is not None or state.faults.mode == "timeout"):
            return
        if faults.mode == "answer_lost":
            async def dropped(_message: Message) -> None:
                return None

            await self.app(scope, receive, dropped)
            await _hold(wire, lambda: True)
            return
        if faults.mode == "error" or state.should_fail():
            await JSONResponse({"error": "internal error"}, status_code=500)(scope, receive, send)
        elif faults.mode == "malformed":
            await Response(b'{"data": [{"code": "34", "val',
                           media_type="application/json")(scope, receive, send)
        elif faults.mode == "wrong_types":
            await self._mangled(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _mangled(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The route's answer with every number turned into text."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        body = b"".join(chunks)
        if start.get("status") != 200:
            await Response(body, status_code=start.get("status", 500),
                           media_type="application/json")(scope, receive, send)
            return
        mangled = json.dumps(_numbers_as_text(json.loads(body)), ensure_ascii=False)
        await Response(mangled.encode(), media_type="application/json")(scope, receive, send)


async def _hold(wire: Receive, still_faulty: Callable[[], bool]) -> bool:
    """Answer nothing until the client hangs up, the fault is switched off (which may happen
    from another thread, so polled) or a long time has passed; whether the client hung up."""

    async def hung_up() -> None:
        while (await wire())["type"] != "http.disconnect":
            pass

    waiting = asyncio.ensure_future(hung_up())
    until = time.monotonic() + _HANG_SECONDS
    try:
        while not waiting.done() and still_faulty() and time.monotonic() < until:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        return waiting.done()
    finally:
        waiting.cancel()


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _numbers_as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return "ไม่มีข้อมูล"
    if isinstance(value, list):
        return [_numbers_as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers_as_text(v) for k, v in value.items()}
    return value


def number(*parts: object, low: int, high: int) -> int:
    """A deterministic whole number in [low, high] for these parts (the same on every run)."""
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return low + int.from_bytes(digest, "big") % (high - low + 1)

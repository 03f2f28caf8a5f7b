"""Run simulators as real HTTP servers on 127.0.0.1, each in a thread of its own."""

from __future__ import annotations

import asyncio
import importlib
import socket
import threading
import time
from collections.abc import Callable, Iterable

import uvicorn
from fastapi import FastAPI

SIMULATORS = ("dopa", "cdd", "ddpm", "damrongdhama", "lands", "pwa", "wma")


def simulator(name: str) -> FastAPI:
    """A fresh app (own call log and faults) for the named simulator."""
    if name not in SIMULATORS:
        raise KeyError(f"no simulator named {name!r}; there are {', '.join(SIMULATORS)}")
    factory: Callable[[], FastAPI] = importlib.import_module(
        f"connectors.simulators.{name}").app
    return factory()


class RunningSimulator:
    """A simulator serving in a background thread until `stop()`."""

    def __init__(self, name: str, port: int = 0, host: str = "127.0.0.1") -> None:
        self.name = name
        self.app = simulator(name)
        # IPPROTO_TCP spelled out: asyncio turns Nagle off only on sockets whose protocol says
        # TCP, and with it on every answer on a kept-alive connection waited 40 ms for an ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"simulator-{name}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    def start(self) -> RunningSimulator:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"simulator {self.name} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self._socket.close()


def start_simulators(ports: dict[str, int] | None = None,
                     names: Iterable[str] = SIMULATORS) -> dict[str, RunningSimulator]:
    """Start the named simulators (on free ports unless given) and return them by name."""
    ports = ports or {}
    return {name: RunningSimulator(name, ports.get(name, 0)).start() for name in names}

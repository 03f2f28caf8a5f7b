"""Subscription benchmark: many concurrent subscribers on one gateway process, bursts of events.

Run by hand (not part of CI's pass/fail):

    .venv/bin/python benchmarks/subscriptions.py [--sizes 500 1000 2000] [--bursts 5] [--burst 1 10]

One gateway runs as a uvicorn process on a fresh PostgreSQL database, with Redis pub/sub (as in
production: commit → outbox relay → Redis → the process's one listener → each socket's queue).
This process opens the websockets (graphql-transport-ws, through a lean client so the clients
take little of the shared CPU) and subscribes each to `sourceEvent(areaCode: "TH")`; bursts of
events come in through the signed webhook. Per-message compression is off, as it should be for
small messages. For each size and burst it prints the latency from the event's commit (its
`at`) to the client reading it, p50/p99/max over every delivery, and the gateway's resident
memory per connection. The target: 2,000 subscribers with p99 under 250 ms.

Then a long run (`--long-events`, `--long-subscribers`): after a warm-up, tens of thousands of
events through the same live subscriptions, and the gateway's resident memory before and after:
what each event leaves behind, per subscriber (a subscription must retain nothing per event).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from areagraph.api.sources.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from areagraph.auth.dev_issuer import issue_token, load_or_create_key
from areagraph.auth.principal import Role
from areagraph.connectors.local.seed import seed_reference
from areagraph.core.settings import Settings
from areagraph.migrations.run import upgrade_to_head

REPO = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
QUERY = 'subscription { sourceEvent(areaCode: "TH") { eventId at } }'
TARGET_P99_MS = 250.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _admin(admin_url: str, statement: str) -> None:
    engine = create_engine(Settings(database_url=admin_url).sync_database_url,
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Subscriber(asyncio.Protocol):
    """A lean graphql-transport-ws client: it only timestamps the frames it reads, so the
    clients (on the same cores) take as little CPU from the gateway as possible."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.init = json.dumps({"type": "connection_init",
                                "payload": {"Authorization": f"Bearer {token}"}}).encode()
        self.received: list[tuple[float, bytes]] = []
        self.buffer = bytearray()
        self.upgraded = False
        self.acked = asyncio.Event()
        self.transport: asyncio.Transport | None = None

    async def open(self) -> None:
        await asyncio.get_running_loop().create_connection(lambda: self, self.host, self.port)
        await asyncio.wait_for(self.acked.wait(), 60)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET /graphql HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n".encode())

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            assert self.buffer.startswith(b"HTTP/1.1 101"), bytes(self.buffer[:200])
            del self.buffer[:end + 4]
            self.upgraded = True
            self._send(self.init)
        while (frame := self._frame()) is not None:
            opcode, payload = frame
            if opcode == 0x9:
                self._send(payload, opcode=0xA)
            elif opcode == 0x1 and not self.acked.is_set() and b"connection_ack" in payload:
                self._send(json.dumps({"id": "1", "type": "subscribe",
                                       "payload": {"query": QUERY}}).encode())
                self.acked.set()
            elif opcode == 0x1 and payload.startswith(b'{"id"'):
                if b'"type":"next"' not in payload[:40]:
                    raise RuntimeError(f"the subscription ended: {payload[:300]!r}")
                self.received.append((now, payload))

    def _frame(self) -> tuple[int, bytes] | None:
        buffer = self.buffer
        if len(buffer) < 2:
            return None
        length, offset = buffer[1] & 0x7F, 2
        if length == 126:
            length, offset = int.from_bytes(buffer[2:4], "big"), 4
        elif length == 127:
            length, offset = int.from_bytes(buffer[2:10], "big"), 10
        if len(buffer) < offset + length:
            return None
        opcode, payload = buffer[0] & 0x0F, bytes(buffer[offset:offset + length])
        del buffer[:offset + length]
        return opcode, payload

    def _send(self, payload: bytes, opcode: int = 0x1) -> None:
        assert self.transport is not None
        mask = os.urandom(4)
        size = len(payload)
        header = bytes([0x80 | opcode]) + (
            bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + size.to_bytes(2, "big"))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(header + mask + masked)

    async def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def _ingest(client: httpx.AsyncClient, base: str, count: int, label: str) -> None:
    events = [{"kind": "bench", "reference": f"{label}-{n}", "title": "benchmark event",
               "areaCode": "34"} for n in range(count)]
    body = json.dumps({"events": events}).encode()
    stamp = int(time.time())
    response = await client.post(f"{base}/ingest/bench", content=body, headers={
        "Content-Type": "application/json", TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(SECRET, stamp, body)})
    response.raise_for_status()


async def _wait_for(subscribers: list[Subscriber], count: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(len(s.received) >= count for s in subscribers):
            return True
        await asyncio.sleep(0.05)
    return False


def _latencies_ms(subscribers: list[Subscriber]) -> list[float]:
    out: list[float] = []
    for subscriber in subscribers:
        for received_at, message in subscriber.received:
            at = json.loads(message)["payload"]["data"]["sourceEvent"]["at"]
            out.append((received_at - datetime.fromisoformat(at).timestamp()) * 1000)
    return out


async def _run_size(size: int, port: int, token: str, pid: int, bursts: int,
                    burst_sizes: list[int]) -> list[dict[str, Any]]:
    base = f"http://127.0.0.1:{port}"
    before = _rss_kib(pid)
    subscribers = [Subscriber("127.0.0.1", port, token) for _ in range(size)]
    for start in range(0, size, 100):
        await asyncio.gather(*(s.open() for s in subscribers[start:start + 100]))
    rows: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=60) as client:
        await _ingest(client, base, 1, f"warm-{size}")  # also proves every socket is subscribed
        if not await _wait_for(subscribers, 1, 60):
            raise RuntimeError("not every subscriber received the warm-up event")
        await asyncio.sleep(1)
        per_connection = (_rss_kib(pid) - before) / size
        for burst in burst_sizes:
            for s in subscribers:
                s.received.clear()
            gateway_cpu, client_cpu = _cpu_seconds(pid), time.process_time()
            for n in range(bursts):
                await _ingest(client, base, burst, f"burst-{size}-{burst}-{n}")
                if not await _wait_for(subscribers, (n + 1) * burst, 120):
                    short = [s for s in subscribers if len(s.received) < (n + 1) * burst]
                    raise RuntimeError(f"burst {n} did not reach {len(short)} of {size} "
                                       f"subscribers; one of them got {short[0].received[:2]}")
                await asyncio.sleep(0.5)
            gateway_cpu = _cpu_seconds(pid) - gateway_cpu
            client_cpu = time.process_time() - client_cpu
            latencies = sorted(_latencies_ms(subscribers))
            rows.append({"size": size, "burst": burst, "deliveries": len(latencies),
                         "gateway_us": gateway_cpu / len(latencies) * 1e6,
                         "client_us": client_cpu / len(latencies) * 1e6,
                         "p50": statistics.median(latencies),
                         "p99": latencies[int(len(latencies) * 0.99) - 1],
                         "max": latencies[-1], "kib_per_connection": per_connection})
    await asyncio.gather(*(s.close() for s in subscribers))
    return rows


async def _long_run(port: int, token: str, pid: int, size: int, events: int,
                    burst: int = 500) -> dict[str, Any]:
    base = f"http://127.0.0.1:{port}"
    subscribers = [Subscriber("127.0.0.1", port, token) for _ in range(size)]
    await asyncio.gather(*(s.open() for s in subscribers))
    async with httpx.AsyncClient(timeout=60) as client:

        async def one_burst(label: str) -> None:
            await _ingest(client, base, burst, label)
            if not await _wait_for(subscribers, burst, 300):
                raise RuntimeError(f"{label} was not delivered to every subscriber")
            for s in subscribers:
                s.received.clear()

        await _ingest(client, base, 1, "long-warm")
        if not await _wait_for(subscribers, 1, 60):
            raise RuntimeError("not every subscriber received the warm-up event")
        for s in subscribers:
            s.received.clear()
        for n in range(4):  # caches, pools and allocator arenas reach their working size
            await one_burst(f"long-warm-{n}")
        await asyncio.sleep(1)
        start = _rss_kib(pid)
        rounds = max(1, events // burst)
        for n in range(rounds):
            await one_burst(f"long-{n}")
        await asyncio.sleep(1)
        end = _rss_kib(pid)
    await asyncio.gather(*(s.close() for s in subscribers))
    sent = rounds * burst
    return {"subscribers": size, "events": sent, "start_mib": start / 1024,
            "end_mib": end / 1024, "bytes_per_event": (end - start) * 1024 / sent,
            "bytes_per_event_subscriber": (end - start) * 1024 / sent / size}


def _start_gateway(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "areagraph.api.app:create_app", "--factory", "--host",
             "127.0.0.1", "--port", str(port), "--log-level", "warning", "--backlog", "4096",
             "--ws-per-message-deflate", "false",
             "--ws", "areagraph.api.realtime.ws_protocol:BoundedCloseProtocol"],
            cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the gateway did not start; see {log}")


async def main() -> None:
    gc.set_threshold(100_000, 50, 1000)  # the clients' own collections would skew the latencies
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--burst", type=int, nargs="+", default=[1, 10],
                        help="events per burst (each size runs every burst size)")
    parser.add_argument("--long-events", type=int, default=30_000,
                        help="events of the long run (0: none)")
    parser.add_argument("--long-subscribers", type=int, default=100)
    parser.add_argument("--pg", default=os.environ.get(
        "AREAGRAPH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    name = f"ag_bench_{uuid.uuid4().hex[:8]}"
    base_url, _, _ = args.pg.rpartition("/")
    database_url = f"{base_url}/{name}"
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / name
    workdir.mkdir(parents=True)
    _admin(args.pg, f'CREATE DATABASE "{name}"')
    process: subprocess.Popen[bytes] | None = None
    try:
        settings = Settings(database_url=database_url)
        upgrade_to_head(settings)
        engine = create_engine(settings.sync_database_url)
        seed_reference(engine)
        engine.dispose()
        key_path = workdir / "dev-key.json"
        token = issue_token(load_or_create_key(key_path), audience=settings.oidc_audience,
                            subject="bench", roles=[Role.MINISTRY_ADMIN], ttl=7200)
        port = _free_port()
        process = _start_gateway({
            "AREAGRAPH_DATABASE_URL": database_url, "AREAGRAPH_REDIS_URL": args.redis,
            "AREAGRAPH_REDIS_PREFIX": f"{name}:", "AREAGRAPH_DEV_TOKENS": "true",
            "AREAGRAPH_DEV_KEY_PATH": str(key_path), "AREAGRAPH_LOG_LEVEL": "warning",
            "AREAGRAPH_WEBHOOK_SECRETS": json.dumps({"bench": SECRET}),
            # One principal opens every socket: its rate limit would refuse most subscriptions.
            "AREAGRAPH_RATE_LIMIT_ENABLED": "false",
        }, port, workdir / "gateway.log")
        rows = []
        for size in args.sizes:
            rows.extend(await _run_size(size, port, token, process.pid, args.bursts, args.burst))
        _print(rows, args.bursts)
        if args.long_events > 0:
            _print_long(await _long_run(port, token, process.pid, args.long_subscribers,
                                        args.long_events))
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        _admin(args.pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _print(rows: list[dict[str, Any]], bursts: int) -> None:
    print(f"\n{bursts} bursts per row; latency from commit to the client reading the event\n")
    print("CPU per delivery: the gateway's, and this process's (all the clients)\n")
    print(f"{'subscribers':>11} {'burst':>5} {'deliveries':>10} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'p99/target':>10} {'KiB/conn':>9} {'gw CPU us':>9} {'cl CPU us':>9}")
    for r in rows:
        print(f"{r['size']:>11} {r['burst']:>5} {r['deliveries']:>10} {r['p50']:>8.1f} "
              f"{r['p99']:>8.1f} {r['max']:>8.1f} {r['p99'] / TARGET_P99_MS:>10.2f} "
              f"{r['kib_per_connection']:>9.1f} {r['gateway_us']:>9.1f} {r['client_us']:>9.1f}")


def _print_long(r: dict[str, Any]) -> None:
    print(f"\nlong run: {r['events']} events to {r['subscribers']} live subscriptions; gateway "
          f"RSS {r['start_mib']:.1f} -> {r['end_mib']:.1f} MiB after the warm-up: "
          f"{r['bytes_per_event']:.1f} bytes per event, "
          f"{r['bytes_per_event_subscriber']:.2f} per event and subscriber")


if __name__ == "__main__":
    asyncio.run(main())

"""Identity fixtures: signing keys, a real JWKS endpoint on 127.0.0.1, gateways that trust it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from areagraph.core.settings import Settings
from tests.conftest import Gateway, serve

ISSUER = "https://sso.moi.test/realms/areagraph"
AUDIENCE = "areagraph-api"


class Keys:
    """The identity provider's key pairs (two RSA for rotation, one EC) and two it never issued."""

    def __init__(self) -> None:
        self.rsa = RSAKey.generate_key(2048, parameters={"kid": "rsa-2026-1"})
        self.rotated = RSAKey.generate_key(2048, parameters={"kid": "rsa-2026-2"})
        self.ec = ECKey.generate_key("P-256", parameters={"kid": "ec-2026-1"})
        self.stranger = RSAKey.generate_key(2048, parameters={"kid": "attacker-1"})
        self.impostor = RSAKey.generate_key(2048, parameters={"kid": "rsa-2026-1"})


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys()


class JwksServer:
    """Serves `jwks` at /jwks.json and counts the fetches."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self.jwks = jwks
        self.fetches = 0
        self.failing = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                status, body = ((503, b"{}") if server.failing else
                                (200, json.dumps(server.jwks).encode()))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/jwks.json"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def publish(self, *keys: RSAKey | ECKey) -> None:
        self.jwks = {"keys": [k.as_dict(private=False) for k in keys]}

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture
def jwks_server(keys: Keys) -> Iterator[JwksServer]:
    server = JwksServer({})
    server.publish(keys.rsa, keys.ec)
    yield server
    server.close()


@pytest.fixture
def idp_settings(settings: Settings, jwks_server: JwksServer) -> Settings:
    """The test settings plus an identity provider (development tokens as `settings` has them)."""
    return settings.model_copy(update={"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE,
                                       "oidc_jwks_url": jwks_server.url})


@pytest.fixture
async def idp_gateway(idp_settings: Settings) -> AsyncIterator[Gateway]:
    """An anonymous gateway that trusts the test identity provider (and development tokens)."""
    async for gateway in serve(idp_settings):
        yield gateway


def claims(**overrides: Any) -> dict[str, Any]:
    """A governor of Ubon Ratchathani's claims, valid now for an hour; None values are dropped."""
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": "somchai@moi.go.th", "iat": now, "nbf": now,
        "exp": now + 3600, "jti": "token-1", "roles": ["governor"], "areas": ["34"],
        "agency": "DOPA", "topics": ["poverty"],
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def kid(key: RSAKey | ECKey) -> str:
    assert key.kid is not None
    return key.kid


def sign(key: RSAKey | ECKey, payload: dict[str, Any], **header: Any) -> str:
    alg = "ES256" if isinstance(key, ECKey) else "RS256"
    return jwt.encode({"alg": alg, "kid": key.kid, **header}, payload, key, algorithms=[alg])

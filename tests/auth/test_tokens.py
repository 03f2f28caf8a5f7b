"""Bearer JWTs over HTTP: the good token's principal, and a 401 without detail for every bad one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from areagraph.auth.errors import InvalidCredentials
from areagraph.auth.principal import Role
from tests.auth.conftest import ISSUER, Keys, claims, kid, sign
from tests.conftest import Gateway

QUERY = '{ area(code: "34") { code nameEn } }'


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"


def alg_none(keys: Keys) -> str:
    return _unsigned({"alg": "none", "kid": kid(keys.rsa), "typ": "JWT"}, claims()) + "."


def hs256_with_public_key(keys: Keys) -> str:
    """The classic confusion attack: HMAC keyed with the RSA public key everyone can fetch."""
    secret = keys.rsa.as_pem(private=False)
    signing_input = _unsigned({"alg": "HS256", "kid": kid(keys.rsa), "typ": "JWT"}, claims())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def tampered_claims(keys: Keys) -> str:
    header, _payload, signature = sign(keys.rsa, claims()).split(".")
    promoted = _b64(json.dumps(claims(roles=["ministry_admin"], areas=["TH"])).encode())
    return f"{header}.{promoted}.{signature}"


def tampered_signature(keys: Keys) -> str:
    header, payload, signature = sign(keys.rsa, claims()).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0xFF
    return f"{header}.{payload}.{_b64(bytes(raw))}"


BAD_TOKENS: dict[str, tuple[Callable[[Keys], str], str]] = {
    "alg none": (alg_none, "token algorithm not accepted"),
    "HS256 keyed with the public key": (hs256_with_public_key, "token algorithm not accepted"),
    "tampered claims": (tampered_claims, "invalid token signature"),
    "tampered signature": (tampered_signature, "invalid token signature"),
    "signed by another key under a published kid":
        (lambda k: sign(k.impostor, claims()), "invalid token signature"),
    "unknown kid": (lambda k: sign(k.stranger, claims()), "token key not recognised"),
    "expired": (lambda k: sign(k.rsa, claims(iat=int(time.time()) - 7200,
                                             nbf=int(time.time()) - 7200,
                                             exp=int(time.time()) - 3600)), "token expired"),
    "not yet valid": (lambda k: sign(k.rsa, claims(nbf=int(time.time()) + 3600)),
                      "token not yet valid"),
    "wrong issuer": (lambda k: sign(k.rsa, claims(iss="https://sso.elsewhere.test")),
                     "token issuer not accepted"),
    "issuer not a string": (lambda k: sign(k.rsa, claims(iss=[ISSUER])),
                            "token issuer not accepted"),
    "expiry beyond the calendar": (lambda k: sign(k.rsa, claims(exp=10**20)),
                                   "token claims not accepted"),
    "wrong audience": (lambda k: sign(k.ec, claims(aud="another-api")),
                       "token audience not accepted"),
    "no expiry": (lambda k: sign(k.rsa, claims(exp=None)), "token claims not accepted"),
    "unknown role": (lambda k: sign(k.rsa, claims(roles=["governor", "superuser"])),
                     "token role not recognised"),
    "area that does not exist": (lambda k: sign(k.rsa, claims(areas=["34", "99"])),
                                 "token area not recognised"),
    "malformed area code": (lambda k: sign(k.rsa, claims(areas=["34x"])),
                            "token area not recognised"),
    "roles not a list": (lambda k: sign(k.rsa, claims(roles="governor")),
                         "token claims not accepted"),
    "not a JWT": (lambda k: "definitely-not-a-jwt", "malformed token"),
    "payload not JSON": (lambda k: "e30.bm90IGpzb24.c2lnbmF0dXJl", "malformed token"),
}


async def test_bad_tokens_are_refused_with_401(idp_gateway: Gateway, keys: Keys,
                                               subtests: pytest.Subtests) -> None:
    for case, (make, message) in BAD_TOKENS.items():
        with subtests.test(case):
            token = make(keys)
            response = await idp_gateway.client.post(
                "/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401
            assert response.json() == {"errors": [{"message": message,
                                                   "extensions": {"code": "UNAUTHENTICATED"}}]}
            assert response.headers["www-authenticate"].startswith("Bearer")
            for secret in (token, *token.split(".")[:2], "somchai", kid(keys.rsa), ISSUER,
                           "Traceback"):
                assert len(secret) < 8 or secret not in response.text


async def test_good_tokens_become_the_principal(idp_gateway: Gateway, keys: Keys) -> None:
    rs256 = sign(keys.rsa, claims())
    body = await idp_gateway.query(QUERY, headers={"Authorization": f"Bearer {rs256}"})
    assert body["_status"] == 200
    assert body["data"] == {"area": {"code": "34", "nameEn": "Ubon Ratchathani"}}

    payload = claims(roles=["governor", "auditor"], areas=["34", "34010100", "10"],
                     topics=["poverty", "water"], jti="abc-123")
    token = sign(keys.ec, payload)
    principal = await idp_gateway.services.authenticate({"Authorization": f"Bearer {token}"})
    assert principal is not None
    assert principal.subject == "somchai@moi.go.th"
    assert principal.roles == {Role.GOVERNOR, Role.AUDITOR}
    assert principal.area_scope == ("34", "340101", "10")
    assert principal.agency == "DOPA"
    assert principal.topics == ("poverty", "water")
    assert principal.credential_id == "abc-123"
    assert principal.expires_at == datetime.fromtimestamp(payload["exp"], UTC)
    assert principal.via == "token"

    for tolerated in (claims(aud=["account", "areagraph-api"]),  # an audience list naming us
                      claims(nbf=int(time.time()) + 5, iat=int(time.time()) + 5),  # clock skew
                      claims(jti=None, areas=None, topics=None, agency=None)):
        token = sign(keys.rsa, tolerated)
        principal = await idp_gateway.services.authenticate({"authorization": f"Bearer {token}"})
        assert principal is not None and principal.subject == "somchai@moi.go.th"
    assert principal.credential_id == f"kid:{kid(keys.rsa)}"
    assert (principal.area_scope, principal.topics, principal.agency) == ((), (), None)


async def test_anonymous_gets_no_principal_and_other_schemes_401(idp_gateway: Gateway) -> None:
    assert await idp_gateway.services.authenticate({}) is None
    body = await idp_gateway.query(QUERY)
    assert body["_status"] == 200 and body["data"] == {"area": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await idp_gateway.client.get("/healthz")).status_code == 200

    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Token abc"):
        response = await idp_gateway.client.post("/graphql", json={"query": QUERY},
                                                 headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        with pytest.raises(InvalidCredentials):
            await idp_gateway.services.authenticate({"Authorization": header})

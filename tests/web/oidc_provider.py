"""An OpenID provider for the browser tests, on 127.0.0.1: discovery, JWKS, authorization code
with PKCE (S256 only, checked with Authlib's RFC 7636 helper) and refresh tokens. It approves
its one test user at once, so a browser is sent straight back with a code; the access token is
the JWT the gateway verifies (issuer, audience, roles claim), signed with an RSA key it publishes.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

from areagraph.connectors.simulators.server import RunningSimulator

CLIENT_ID = "areagraph-dashboard"
AUDIENCE = "areagraph"


@dataclass
class TestUser:
    subject: str = "auditor-somchai"
    roles: list[str] = field(default_factory=lambda: ["auditor"])
    areas: list[str] = field(default_factory=list)


@dataclass
class Grant:
    redirect_uri: str
    challenge: str
    nonce: str | None


@dataclass
class Provider:
    user: TestUser = field(default_factory=TestUser)
    token_ttl: int = 600
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(
        2048, parameters={"kid": "test-idp-1", "use": "sig"}))
    grants: dict[str, Grant] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    issued: list[str] = field(default_factory=list)  # access tokens, in order
    issuer: str = ""

    def sign(self, claims: dict[str, Any]) -> str:
        now = int(time.time())
        return jwt.encode({"alg": "RS256", "kid": self.key.kid},
                          {"iss": self.issuer, "iat": now, "exp": now + self.token_ttl,
                           "sub": self.user.subject, **claims}, self.key)

    def tokens(self, nonce: str | None) -> dict[str, Any]:
        access = self.sign({"aud": AUDIENCE, "roles": self.user.roles,
                            "areas": self.user.areas})
        self.issued.append(access)
        refresh = secrets.token_urlsafe(24)
        self.refresh_tokens.add(refresh)
        id_claims: dict[str, Any] = {"aud": CLIENT_ID, "name": self.user.subject}
        if nonce:
            id_claims["nonce"] = nonce
        return {"access_token": access, "token_type": "Bearer", "expires_in": self.token_ttl,
                "id_token": self.sign(id_claims), "refresh_token": refresh,
                "scope": "openid profile offline_access"}


def provider_app(provider: Provider) -> FastAPI:
    app = FastAPI()
    # The browser calls the token endpoint from the gateway's origin.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"],
                       allow_headers=["*"])

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        return {"issuer": provider.issuer,
                "authorization_endpoint": f"{provider.issuer}/authorize",
                "token_endpoint": f"{provider.issuer}/token",
                "jwks_uri": f"{provider.issuer}/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"]}

    @app.get("/jwks")
    async def jwks() -> dict[str, Any]:
        return {"keys": [provider.key.as_dict(private=False)]}

    @app.get("/authorize")
    async def authorize(request: Request) -> RedirectResponse:
        asked = request.query_params
        if (asked.get("client_id") != CLIENT_ID or asked.get("response_type") != "code"
                or asked.get("code_challenge_method") != "S256"
                or not asked.get("code_challenge")):
            raise HTTPException(400, "authorization code with PKCE (S256) only")
        code = secrets.token_urlsafe(24)
        provider.grants[code] = Grant(asked["redirect_uri"], asked["code_challenge"],
                                      asked.get("nonce"))
        back = {"code": code, **({"state": asked["state"]} if "state" in asked else {})}
        return RedirectResponse(f"{asked['redirect_uri']}?{urlencode(back)}", status_code=302)

    @app.post("/token")
    async def token(grant_type: str = Form(), code: str | None = Form(None),
                    redirect_uri: str | None = Form(None),
                    code_verifier: str | None = Form(None),
                    refresh_token: str | None = Form(None)) -> dict[str, Any]:
        if grant_type == "refresh_token":
            if refresh_token not in provider.refresh_tokens:
                raise HTTPException(400, "invalid_grant")
            provider.refresh_tokens.discard(refresh_token)
            return provider.tokens(None)
        grant = provider.grants.pop(code or "", None)
        if (grant is None or grant.redirect_uri != redirect_uri or code_verifier is None
                or create_s256_code_challenge(code_verifier) != grant.challenge):
            raise HTTPException(400, "invalid_grant")
        return provider.tokens(grant.nonce)

    return app


class RunningProvider(RunningSimulator):
    def __init__(self, provider: Provider) -> None:
        super().__init__("oidc-provider", app=provider_app(provider))
        self.provider = provider
        provider.issuer = self.url

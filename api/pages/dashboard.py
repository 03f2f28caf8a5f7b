"""The ministry's dashboard (web/): its built files, its start-up configuration and, only while
development tokens are on, the role-and-area picker's token endpoint.

The page reads data through the public GraphQL API alone; what is here only gets it started.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from areagraph.auth import dev_issuer
from areagraph.auth.principal import Role
from areagraph.core.errors import NotFound
from areagraph.core.settings import Settings

DASHBOARD_PATH = "/dashboard"
DEFAULT_WEB_DIR = Path(__file__).resolve().parents[2] / "web" / "dist"
DEV_TOKEN_PATH = f"{DASHBOARD_PATH}/dev-token"
_DEV_TOKEN_TTL = 8 * 3600


def web_dir(settings: Settings) -> Path:
    return settings.web_dir or DEFAULT_WEB_DIR


def dev_tokens_offered(settings: Settings) -> bool:
    """The picker exists only where the gateway accepts what it mints."""
    return settings.dev_tokens and settings.environment != "production"


class DevTokenRequest(BaseModel):
    roles: list[Role] = Field(min_length=1, max_length=8)
    areas: list[str] = Field(default_factory=list, max_length=20)
    agency: str | None = Field(default=None, max_length=20)
    topics: list[str] = Field(default_factory=list, max_length=20)
    subject: str = Field(default="dashboard-demo", min_length=1, max_length=80)


class DevToken(BaseModel):
    token: str
    expires_in: int


def _config(settings: Settings) -> dict[str, object]:
    return {
        "graphqlPath": "/graphql",
        "graphiqlPath": "/graphql",
        "oidc": None if settings.oidc_issuer is None else {
            "issuer": settings.oidc_issuer, "clientId": settings.oidc_client_id,
            "audience": settings.oidc_audience},
        "devTokens": dev_tokens_offered(settings),
    }


def dashboard_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix=DASHBOARD_PATH, tags=["dashboard"], include_in_schema=False)
    root = web_dir(settings).resolve()

    @router.get("/config.json")
    async def config() -> JSONResponse:
        return JSONResponse(_config(settings), headers={"Cache-Control": "no-store"})

    if dev_tokens_offered(settings):
        @router.post("/dev-token", response_model=DevToken)
        async def mint(request: DevTokenRequest) -> DevToken:
            key = dev_issuer.load_or_create_key(settings.dev_key_path)
            token = dev_issuer.issue_token(
                key, audience=settings.oidc_audience, subject=request.subject,
                roles=request.roles, areas=request.areas, agency=request.agency,
                topics=request.topics, ttl=_DEV_TOKEN_TTL)
            return DevToken(token=token, expires_in=_DEV_TOKEN_TTL)
    else:
        @router.api_route("/dev-token", methods=["GET", "POST"])
        async def no_dev_tokens() -> None:
            raise NotFound("development tokens are off on this gateway")

    @router.get("/{path:path}")
    async def page(path: str) -> FileResponse:
        """A built file, or the page itself for any of its own URLs (they are shareable)."""
        index = root / "index.html"
        if not index.is_file():
            raise NotFound("the dashboard is not built: run `make demo` or "
                           "`npm ci && npm run build` in web/")
        wanted = (root / path).resolve()
        if path and wanted.is_relative_to(root) and wanted.is_file():
            immutable = wanted.parent.name == "assets"
            return FileResponse(wanted, headers={
                "Cache-Control": "public, max-age=31536000, immutable" if immutable
                else "no-cache"})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return router


def mount_dashboard(app: FastAPI, settings: Settings) -> None:
    app.include_router(dashboard_router(settings))

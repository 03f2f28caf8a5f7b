"""Source systems as configured: one `[sources.NAME]` table per system in a TOML file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")


class NoAuth(BaseModel):
    type: Literal["none"] = "none"


class ApiKeyAuth(BaseModel):
    type: Literal["api_key"]
    header: str = "X-API-Key"
    key: str


class ClientCredentialsAuth(BaseModel):
    """OAuth2 client credentials: the gateway fetches and renews its own token."""

    type: Literal["oauth2_client_credentials"]
    token_path: str = "/oauth/token"
    client_id: str
    client_secret: str
    scope: str | None = None


SourceAuth = NoAuth | ApiKeyAuth | ClientCredentialsAuth


class SourceConfig(BaseModel):
    """One source system: which connector module talks to it, where, and how patiently."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: str = Field(description="The connector module under connectors/, e.g. dopa.")
    agency: str | None = Field(default=None, description="Agency code; the connector's default.")
    base_url: HttpUrl | None = None
    auth: SourceAuth = Field(default_factory=NoAuth, discriminator="type")
    timeout: float = Field(default=2.0, gt=0,
                           description="Seconds for one fetch, retries included.")
    retries: int = Field(default=1, ge=0, le=5)
    cache_ttl: float = Field(default=300.0, ge=0, description="Seconds an answer stays fresh.")
    stale_ttl: float = Field(default=86400.0, ge=0,
                             description="Seconds a stale answer may stand in after a failure.")
    circuit_threshold: int = Field(default=5, ge=1, description="Failures in a row that open it.")
    circuit_reset: float = Field(default=30.0, gt=0,
                                 description="Seconds before a half-open probe.")
    max_connections: int = Field(default=20, ge=1)
    provides: list[str] | None = Field(
        default=None, description="Indicator codes and event kinds; the connector's default.")
    options: dict[str, str | int | float | bool] = Field(default_factory=dict)
    sync_interval: float = Field(
        default=0.0, ge=0,
        description="Seconds between syncs of the source's figures into the store (one replica "
                    "each); 0: only when its webhook says so or on demand.")
    sync_fiscal_years: int = Field(
        default=2, ge=1, le=10,
        description="Fiscal years a routine sync asks for: this one and those before it.")

    @property
    def url(self) -> str:
        if self.base_url is None:
            raise ValueError(f"source {self.name!r} has no base_url")
        return str(self.base_url).rstrip("/")


def load_sources(path: Path | None = None) -> list[SourceConfig]:
    """The sources in `path` (the packaged defaults when None), in file order."""
    with (path or DEFAULT_SOURCES_FILE).open("rb") as handle:
        document = tomllib.load(handle)
    return [SourceConfig(name=name, **table)
            for name, table in document.get("sources", {}).items()]

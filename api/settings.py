"""All of areagraph's configuration, read once from the environment (prefix ``AREAGRAPH_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from auth.algorithms import ASYMMETRIC_ALGORITHMS

LogLevel = Literal["debug", "info", "warning", "error", "critical"]


class Settings(BaseSettings):
    """Gateway settings; build one and pass it to ``create_app``."""

    model_config = SettingsConfigDict(env_prefix="AREAGRAPH_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./areagraph.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql://user@host/db.",
    )
    redis_url: str | None = Field(
        default=None, description="redis://host:port/db; unset means in-process pub/sub and cache."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: LogLevel = "info"
    environment: Literal["development", "production"] = "development"
    max_page_size: int = Field(default=1000, ge=1, description="Largest `first` a list accepts.")
    sources_file: Path | None = Field(
        default=None, description="TOML file listing the source systems (connectors)."
    )
    sql_echo: bool = False

    oidc_issuer: str | None = Field(
        default=None, description="The identity provider's issuer (`iss`) whose tokens we accept."
    )
    oidc_audience: str = Field(default="areagraph", description="The `aud` tokens must name.")
    oidc_jwks_url: str | None = Field(
        default=None, description="Where the identity provider publishes its signing keys (JWKS)."
    )
    jwt_algorithms: Annotated[list[str], NoDecode] = Field(
        default=["RS256", "ES256"],
        description="Asymmetric JWS algorithms accepted, comma-separated (never none or HS*).",
    )
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    jwks_min_refresh_seconds: float = Field(
        default=30.0, ge=0, description="Least time between two fetches of the JWKS."
    )
    dev_tokens: bool = Field(
        default=False, description="Accept tokens from `areagraph token` (on in `areagraph demo`)."
    )
    dev_key_path: Path = Field(
        default=Path(".areagraph/dev-key.json"), description="The development issuer's key pair."
    )

    @field_validator("jwt_algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: object) -> object:
        if isinstance(value, str):
            return [a.strip() for a in value.split(",") if a.strip()]
        return value

    @field_validator("jwt_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        refused = [a for a in value if a not in ASYMMETRIC_ALGORITHMS]
        if refused or not value:
            raise ValueError(f"only asymmetric algorithms are accepted, not {refused}")
        return value

    @property
    def async_database_url(self) -> str:
        """The database URL with the async driver SQLAlchemy needs at run time."""
        return _with_driver(self.database_url, sqlite="aiosqlite", postgresql="asyncpg")

    @property
    def sync_database_url(self) -> str:
        """The database URL with the sync driver Alembic and the seed use."""
        return _with_driver(self.database_url, sqlite="pysqlite", postgresql="psycopg")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _with_driver(url: str, *, sqlite: str, postgresql: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {url!r}")
    dialect = scheme.split("+", 1)[0]
    if dialect == "sqlite":
        return f"sqlite+{sqlite}://{rest}"
    if dialect in ("postgresql", "postgres"):
        return f"postgresql+{postgresql}://{rest}"
    raise ValueError(f"unsupported database: {dialect!r} (use sqlite or postgresql)")

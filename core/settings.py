"""All of areagraph's configuration, read once from the environment (prefix ``AREAGRAPH_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from areagraph.core.algorithms import ASYMMETRIC_ALGORITHMS

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
    source_cache_prefix: str = Field(
        default="areagraph:source:", description="Redis key prefix of the source answer cache.")
    complaint_system: str | None = Field(
        default=None, description="The source (by name) that is the complaints' system of "
        "record: complaints are filed and moved there first. Unset: kept only here.")
    sql_echo: bool = False

    # Query limits (api/limits.py): each refusal names its code and the limit.
    max_body_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest HTTP request body (413 above)."
    )
    max_query_bytes: int = Field(default=20_000, ge=1, description="Largest query document.")
    max_query_tokens: int = Field(default=3_000, ge=1, description="Most tokens in a document.")
    max_query_depth: int = Field(default=12, ge=1, description="Deepest field nesting.")
    max_aliases: int = Field(default=40, ge=0, description="Most aliased fields in a document.")
    max_query_cost: int = Field(
        default=50_000, ge=1, description="Highest estimated cost: fields × list sizes."
    )
    cost_list_size: int = Field(
        default=20, ge=1, description="Assumed length of a list field that takes no `first`."
    )
    max_batch_size: int = Field(
        default=0, ge=0, description="Most operations in a batched (array) request; 0 refuses."
    )
    execution_timeout: float = Field(
        default=15.0, gt=0, description="Seconds an operation may run before it is stopped."
    )
    response_cache_ttl: float = Field(
        default=5.0, ge=0, description="Seconds a query's answer is reused for callers with the "
        "same scope (api/response_cache.py); 0 turns the response cache off."
    )
    # Persisted queries (api/persisted_queries.py).
    persisted_queries: bool = Field(
        default=True, description="Accept Automatic Persisted Queries (sha256 hash in extensions)."
    )
    persisted_queries_max_bytes: int = Field(
        default=10_000_000, ge=0,
        description="Bytes of query text one process keeps registered (least recently used "
                    "dropped first); in Redis each entry is at most AREAGRAPH_MAX_QUERY_BYTES.",
    )
    allowlist_file: Path | None = Field(
        default=None,
        description="Persisted-query manifest (Apollo or id→query JSON); when set, only its "
        "operations run.",
    )
    allowlist_bypass_roles: list[str] = Field(
        default=["auditor", "ministry_admin"],
        description="Roles that may run any operation in allow-list mode (to explore in GraphiQL).",
    )
    redis_prefix: str = Field(default="areagraph:", description="Prefix of every Redis key.")
    # Rate limits (api/rate_limit.py): token buckets per principal, or per IP for anonymous.
    rate_limit_enabled: bool = True
    rate_limit_burst: int = Field(default=240, ge=1, description="Bucket size per principal.")
    rate_limit_per_second: float = Field(default=20.0, gt=0, description="Refill per principal.")
    rate_limit_anonymous_burst: int = Field(default=60, ge=1, description="Bucket size per IP.")
    rate_limit_anonymous_per_second: float = Field(
        default=2.0, gt=0, description="Refill per IP for anonymous callers."
    )
    # Explore offline (api/graphiql.py).
    graphiql_assets_dir: Path | None = Field(
        default=None, description="Folder of GraphiQL's npm files; default api/graphiql_assets."
    )
    # The dashboard (api/dashboard.py) and other front ends.
    web_dir: Path | None = Field(
        default=None, description="The dashboard's built files; default web/dist.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins whose browser pages may call the API, comma-separated; none by "
                    "default.",
    )
    oidc_client_id: str = Field(
        default="areagraph-dashboard",
        description="The dashboard's client id at the identity provider (authorization code "
                    "with PKCE).",
    )
    # Observability (api/metrics.py, api/logging.py).
    metrics_enabled: bool = True
    json_logs: bool = Field(default=False, description="One JSON object per log line.")
    tracing_enabled: bool = Field(default=False, description="OpenTelemetry spans (extra).")

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

    webhook_secrets: dict[str, str] = Field(
        default_factory=dict,
        description='Shared HMAC secret per source system for POST /ingest/{source}, as JSON: '
                    '{"ddpm": "..."}; a source without a secret cannot call the webhook.',
    )
    webhook_max_age_seconds: int = Field(
        default=300, ge=1, description="How old a webhook's timestamp may be (and how far ahead)."
    )
    outbox_relay_interval: float = Field(
        default=0.5, gt=0, description="Seconds between outbox relay runs when not woken sooner."
    )
    ws_queue_size: int = Field(
        default=256, ge=1,
        description="Events a subscription may hold unsent before its socket is closed as slow.",
    )
    ws_keep_alive_seconds: float = Field(
        default=15.0, gt=0, description="Seconds between keep-alive messages on a websocket."
    )
    ws_credential_check_seconds: float = Field(
        default=30.0, gt=0,
        description="Seconds between checks of an open websocket's credential (a revoked or "
                    "expired one closes it with 4403); every operation it starts is checked too.",
    )
    api_key_default_days: int = Field(
        default=90, ge=0,
        description="Days until a new API key expires when its creator names none; 0: never.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Addresses or CIDRs of the proxies whose X-Forwarded-For / -Proto are "
                    "believed, comma-separated; empty: the peer address is the client.",
    )
    ws_max_subscriptions: int = Field(
        default=50, ge=1, description="Subscriptions one websocket may hold at once."
    )
    replay_limit: int = Field(
        default=10_000, ge=1, description="Most events one `since` replay sends."
    )
    shutdown_timeout: float = Field(
        default=15.0, gt=0,
        description="Most seconds a stop (SIGTERM) takes: two thirds for in-flight requests and "
                    "closing sockets, one third for publishing the outbox and cleaning up.",
    )
    alert_sweep_interval: float = Field(
        default=300.0, gt=0,
        description="Seconds between re-counts of overdue complaints for alert rules (once "
                    "across replicas).",
    )
    source_polling: bool = Field(
        default=False, description="Poll sources without webhooks for new events (see below).")
    source_poll_interval: float = Field(
        default=60.0, gt=0,
        description="Seconds between polls of a source without a webhook (one replica each).",
    )
    source_sync: bool = Field(
        default=False,
        description="Sync each source's figures into the store on its `sync_interval` "
                    "(sources.toml); webhooks and `areagraph sources sync` sync regardless.")

    @field_validator("jwt_algorithms", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
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

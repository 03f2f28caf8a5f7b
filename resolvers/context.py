"""What every resolver gets: the long-lived services and this request's caller and loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from api.settings import Settings
from auth.authenticate import Authenticator
from auth.principal import Principal
from connectors.local.database import Database
from resolvers.loaders import Loaders


@dataclass
class Services:
    """Built once per process in the app's lifespan and shared by all requests."""

    settings: Settings
    database: Database
    extras: dict[str, Any] = field(default_factory=dict)
    authenticator: Authenticator | None = None


class Context(BaseContext):
    """One request's context: services, the authenticated caller, fresh loaders."""

    def __init__(self, services: Services, principal: Principal | None) -> None:
        super().__init__()
        self.services = services
        self.principal = principal
        self.loaders = Loaders(services.database)
        self.personal_reads: list[str] = []  # "ticket:field" read unmasked, audited at the end

    @property
    def db(self) -> Database:
        return self.services.database


Info = StrawberryInfo[Context, None]

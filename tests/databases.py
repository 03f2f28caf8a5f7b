"""Per-test databases on SQLite and PostgreSQL, cloned from one migrated and seeded template."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from areagraph.connectors.local.seed import seed_reference
from areagraph.core.settings import Settings
from areagraph.migrations.run import upgrade_to_head

PG_ADMIN_URL = os.environ.get("AREAGRAPH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _pg_url(name: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


class TemplateDatabases:
    """Builds each backend's template once; hands out fresh copies."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._templates: dict[str, str] = {}
        self._pg_template = f"ag_template_{os.getpid()}"

    def _template(self, backend: str) -> str:
        if backend not in self._templates:
            if backend == "sqlite":
                path = self.workdir / "template.db"
                url = f"sqlite:///{path}"
            else:
                self._admin(f'DROP DATABASE IF EXISTS "{self._pg_template}"')
                self._admin(f'CREATE DATABASE "{self._pg_template}"')
                url = _pg_url(self._pg_template)
            settings = Settings(database_url=url)
            upgrade_to_head(settings)
            engine = create_engine(settings.sync_database_url)
            seed_reference(engine)
            if backend == "sqlite":  # copies take the main file only: leave nothing in the WAL
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self._templates[backend] = url
        return self._templates[backend]

    def _admin(self, statement: str) -> None:
        engine = create_engine(Settings(database_url=PG_ADMIN_URL).sync_database_url,
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(statement))
        engine.dispose()

    @contextmanager
    def fresh(self, backend: str) -> Iterator[str]:
        """A database URL of its own, seeded with the reference data; dropped afterwards."""
        template = self._template(backend)
        name = f"ag_{uuid.uuid4().hex[:12]}"
        if backend == "sqlite":
            path = self.workdir / f"{name}.db"
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
            try:
                yield f"sqlite:///{path}"
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._pg_template}"')
        try:
            yield _pg_url(name)
        finally:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if "postgresql" in self._templates:
            self._admin(f'DROP DATABASE IF EXISTS "{self._pg_template}" WITH (FORCE)')

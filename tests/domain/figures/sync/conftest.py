"""The figure sync tests run against the source simulators, as the connector tests do."""

from tests.connectors.sources.conftest import settings, source_options

__all__ = ["settings", "source_options"]

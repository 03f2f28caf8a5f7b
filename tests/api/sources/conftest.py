"""Webhooks and polling are tested on real gateway processes, with the real-time fixtures."""

from tests.api.realtime.conftest import admin_token, realtime, redis_server

__all__ = ["admin_token", "realtime", "redis_server"]

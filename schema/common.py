"""Relay-style connections, cursors and the small shared types."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from areagraph.core.errors import BadUserInput

T = TypeVar("T")


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of a list, with the total count across all pages.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_fn: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match, across all pages.")
    async def total_count(self) -> int:
        return await self.count_fn()


def encode_cursor(kind: str, key: object) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(kind: str, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(f"invalid cursor {cursor!r}", argument="after") from None
    prefix, _, key = text.partition(":")
    if prefix != kind or not key:
        raise BadUserInput(f"invalid cursor {cursor!r} for this list", argument="after")
    return key


def connection(nodes: Sequence[T], keys: Sequence[object], kind: str, has_next: bool,
               has_previous: bool, count_fn: Callable[[], Awaitable[int]]) -> Connection[T]:
    edges = [Edge(node=n, cursor=encode_cursor(kind, k)) for n, k in zip(nodes, keys, strict=True)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_fn=count_fn,
    )

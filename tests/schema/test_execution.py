"""Root fields that report on the rest are found by their mark, resolved after the others."""

import asyncio

import strawberry

from areagraph.schema import build_schema
from areagraph.schema.execution import (
    GatewayExecutionContext,
    report_fields,
    reports_on_the_rest,
)

ORDER: list[str] = []


@strawberry.type
class Query:
    @strawberry.field(name="health", metadata=reports_on_the_rest())
    async def renamed_report(self) -> int:
        ORDER.append("health")
        return len(ORDER)

    @strawberry.field
    async def work(self) -> int:
        await asyncio.sleep(0.01)
        ORDER.append("work")
        return len(ORDER)


def test_the_gateways_report_field_is_marked() -> None:
    schema = build_schema()
    assert schema._schema.query_type is not None
    assert report_fields(schema._schema.query_type) == {"sources"}


async def test_a_marked_field_under_any_name_is_resolved_last() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=GatewayExecutionContext)
    assert schema._schema.query_type is not None
    assert report_fields(schema._schema.query_type) == {"health"}
    ORDER.clear()
    result = await schema.execute("{ health work }")
    assert result.errors is None
    assert result.data == {"health": 2, "work": 1}
    assert list(result.data) == ["health", "work"]  # the answer keeps the document's order

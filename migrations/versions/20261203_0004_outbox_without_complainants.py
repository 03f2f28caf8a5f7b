"""complaint events written before complainants left the outbox lose their complainant

Revision ID: 0004_outbox_without_complainants
Revises: 0003_complaint_source
Create Date: 2026-12-03 15:00:00

Complaint events have carried only the ticket since complainants' personal data left the
outbox; rows written before then still held the complainant's name, phone and citizen ID in
`payload.complainant`. The key is removed in place (published or not: a replay with `since`
reads old rows too). Downgrading keeps the rows as they are: the data is gone on purpose.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004_outbox_without_complainants'
down_revision: str | None = '0003_complaint_source'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STRIP = {
    "postgresql": "UPDATE outbox_event SET payload = (payload::jsonb - 'complainant')::json "
                  "WHERE kind = 'complaint_updated' "
                  "AND jsonb_exists(payload::jsonb, 'complainant')",
    "sqlite": "UPDATE outbox_event SET payload = json_remove(payload, '$.complainant') "
              "WHERE kind = 'complaint_updated' "
              "AND json_type(payload, '$.complainant') IS NOT NULL",
}


def upgrade() -> None:
    op.execute(_STRIP[op.get_bind().dialect.name])


def downgrade() -> None:
    pass

"""Create any missing tables (idempotent) from the one set of definitions in chalicelib.storage.tables.

python -m devtools.tables          # for the configured stage (env: TABLE_PREFIX, DYNAMODB_ENDPOINT)
"""

from __future__ import annotations

import sys

from chalicelib.settings import Settings, get_settings
from chalicelib.storage.binding import bind_tables
from chalicelib.storage.tables import TABLES


def ensure_tables(settings: Settings) -> list[str]:
    """Create the tables that do not exist yet; returns the names created."""
    bind_tables(settings)
    created = []
    for model in TABLES:
        if not model.exists():
            model.create_table(wait=True)
            created.append(model.Meta.table_name)
    return created


def drop_tables(settings: Settings) -> None:
    """Delete every table (tests use this to start from an empty database)."""
    bind_tables(settings)
    for model in TABLES:
        if model.exists():
            model.delete_table()


def main() -> int:
    settings = get_settings()
    created = ensure_tables(settings)
    print(f"tables: {len(created)} created, {len(TABLES) - len(created)} already present")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Changing a row only where its values differ.

Writing a value over itself is still an UPDATE: the undo triggers (``undo.py``) log it, and the
action would become an undo step that changes nothing. So every change of stored fields goes
through ``update_changed``, which leaves a row alone when nothing differs and only then sets its
"last changed" time.
"""

from __future__ import annotations

import sqlite_utils


def update_changed(
    db: sqlite_utils.Database,
    table: str,
    key_column: str,
    key: object,
    values: dict[str, object],
    touched: dict[str, object] | None = None,
) -> bool:
    """Set ``values`` on the row whose ``key_column`` is ``key`` if any of them differs from what
    is stored, together with ``touched`` (e.g. ``{"updated": now}``); return whether it changed."""
    if not values:
        return False
    assignments = {**values, **(touched or {})}
    differs = " OR ".join(f"[{column}] IS NOT ?" for column in values)
    cursor = db.execute(
        f"UPDATE [{table}] SET {', '.join(f'[{column}] = ?' for column in assignments)} "
        f"WHERE [{key_column}] = ? AND ({differs})",
        [*assignments.values(), key, *values.values()],
    )
    return cursor.rowcount > 0

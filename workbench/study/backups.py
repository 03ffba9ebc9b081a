"""Snapshots of a study: the use cases behind `workbench backup`, `backups` and `restore`.

The file-level work (VACUUM INTO, atomic replace, keeping the last few) lives in
``workbench.storage.backup``; front ends come through here, like every other use case.
"""

from __future__ import annotations

from workbench.storage.backup import (  # noqa: F401  (the public names of this use case)
    KEEP_AUTOMATIC,
    RestoreReport,
    Snapshot,
    backup,
    backups_folder,
    find_snapshot,
    list_snapshots,
    restore,
)

"""Where each person left a study: the open transcript, the cursor, the quote board's theme,
grouping, filter and search. Kept in the study file per coder, so the next time they open it
the workbench shows the same place; it is not part of the work, so it is not undoable and not
in the audit trail."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from workbench.errors import WorkbenchError
from workbench.storage import settings as settings_store
from workbench.study.core import Study

KEY_PREFIX = "view/"  # the key in the study table: view/<coder>


@dataclass
class ViewState:
    """How one person last looked at a study (every field may be missing)."""

    transcript: str | None = None
    cursor: int = 0
    theme: str | None = None  # the theme path the quote board shows alone
    group_by: str | None = None
    where: dict[str, list[str]] = field(default_factory=dict)  # attribute filter of the board
    quote_query: str = ""
    quote: int | None = None  # the highlighted card (a coding id)
    pane: str | None = None  # "transcript", "palette" or "board"


def remembered_view(study: Study) -> ViewState:
    """Where ``study.coder`` left this study (an empty state the first time, or if unreadable)."""
    raw = settings_store.load_setting(study._db, KEY_PREFIX + study.coder)
    try:
        data = json.loads(raw) if raw else {}
        known = {k: v for k, v in data.items() if k in ViewState.__dataclass_fields__}
        state = ViewState(**known)
    except (ValueError, TypeError, AttributeError):  # written by a newer or broken version: start afresh
        return ViewState()
    if not isinstance(state.cursor, int) or state.cursor < 0:
        state.cursor = 0
    if not isinstance(state.where, dict):
        state.where = {}
    return state


def remember_view(study: Study, state: ViewState, *, wait: float = 0.5) -> bool:
    """Store where ``study.coder`` is now; False (and nothing said) when the study cannot take
    it (read-only, locked by another program, the file gone): a place to come back to is a
    convenience, never a reason to keep someone from quitting."""
    if study.read_only_reason:
        return False
    began = study._kept.mark()
    try:
        with study.waiting_at_most(wait):
            settings_store.store_setting_quietly(study._db, KEY_PREFIX + study.coder, json.dumps(asdict(state)))
    except WorkbenchError:
        return False
    study._kept.carry(began, None, None)  # a setting: what the study keeps of its reads is as it was
    return True

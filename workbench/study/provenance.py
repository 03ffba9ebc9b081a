"""Who, when and which text: the stamps every stored record carries.

(Re-exported by ``workbench.study``; the use-case modules import them from here.)
"""

from __future__ import annotations

import datetime as dt
import getpass
import os

_HASH_PIECE = 1 << 20  # characters encoded at a time


def now() -> str:
    """The current time as stored in the study (UTC, ISO 8601, seconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def default_coder() -> str:
    """Who is coding: $WORKBENCH_CODER, else the login name."""
    try:
        return os.environ.get("WORKBENCH_CODER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"


def text_hash(text: str) -> str:
    """The hash stored with a text, to find the same text again (SHA-256 of its UTF-8, in hex)."""
    import hashlib  # imported when a text is first stored or compared, not when a study opens

    digest = hashlib.sha256()
    for at in range(0, len(text), _HASH_PIECE):  # in pieces: a large text is not encoded whole
        digest.update(text[at : at + _HASH_PIECE].encode("utf-8"))
    return digest.hexdigest()

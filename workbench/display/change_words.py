"""What a change did, in the words a researcher uses: the notes the workbench shows after a
quote is selected, ordered, commented or trimmed, and after an undo or a redo ("undid: comment
on #35"). Plain text; the front end makes it terminal-safe as it shows it."""

from __future__ import annotations

import json

from workbench.domain.models import Quote


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def theme_name(path: str) -> str:
    """A theme's own name, without its parents (``Collaboration/Geographic distance``)."""
    return path.rsplit("/", 1)[-1]


def quote_change(kind: str, quote: Quote) -> str:
    """The note after a change to a quote on the board, ``quote`` as it is now.

    ``kind``: ``select`` (space, either way), ``move`` (shift+up/down), ``comment``, ``trim``.
    """
    place = f"{ordinal(quote.position)} under {theme_name(quote.theme)}" if quote.position else ""
    if kind == "select":
        if quote.selected:
            return f"selected #{quote.id} for the chapter, {place}"
        return f"deselected #{quote.id}: no longer in the chapter"
    if kind == "move":
        return f"moved #{quote.id} to {place}" if place else f"#{quote.id} is not in the chapter"
    if kind == "comment":
        return f"comment on #{quote.id} saved" if quote.comment else f"comment on #{quote.id} removed"
    if kind == "trim":
        if quote.elided:
            return f"trim of #{quote.id} saved"
        return f"trim of #{quote.id} removed: the quote is used in full"
    return f"#{quote.id} updated"


def change_name(action: str, payload: dict | str | None) -> str:
    """A recorded change (an event's action and payload) as a noun phrase for "undid: ...",
    e.g. ``comment on #35``, ``coding #12 as Trust``, ``new theme Agreements``."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = {}
    p = payload if isinstance(payload, dict) else {}
    try:
        return _NAMES[action](p) if action in _NAMES else action.replace(".", " ")
    except (KeyError, TypeError, AttributeError):  # recorded by another version
        return action.replace(".", " ")


def _quote_change_name(p: dict, action: str) -> str:
    ident = f"#{p.get('id')}"
    if p.get("comment") is not None:
        return f"comment on {ident}"
    if p.get("elided") is not None:
        return f"trim of {ident}"
    if p.get("position") is not None:
        return f"order of {ident}"
    return f"selection of {ident}" if action == "select" else f"deselection of {ident}"


def _memo_name(p: dict) -> str:
    return f"memo on the {p.get('on')}" + (f" {p['target']}" if p.get("target") else "")


_NAMES = {
    "code": lambda p: (
        f"coding of {p.get('count', 0)} passages" if p.get("many") else f"coding #{p['id']} as {theme_name(p['theme'])}"
    ),
    "uncode": lambda p: f"removal of #{p['id']} ({theme_name(p['theme'])})",
    "recode": lambda p: f"recoding of #{p['id']} as {theme_name(p['to'])}",
    "select": lambda p: _quote_change_name(p, "select"),
    "deselect": lambda p: _quote_change_name(p, "deselect"),
    "memo": _memo_name,
    "theme.add": lambda p: f"new theme {p['name']}",
    "theme.update": lambda p: f"change to theme {theme_name(p['theme'])}",
    "theme.move": lambda p: f"move of theme {theme_name(p['theme'])}",
    "theme.merge": lambda p: f"merge of {theme_name(p['source'])} into {theme_name(p['target'])}",
    "theme.delete": lambda p: f"deletion of theme {theme_name(p['theme'])}",
    "codebook.load": lambda p: f"loading of the codebook {p.get('file')}",
    "case.set": lambda p: f"attributes of case {p['case']}",
    "import": lambda p: "import of " + (", ".join(p.get("imported") or []) or "transcripts"),
    "reimport": lambda p: f"re-import of {p['transcript']}",
    "review": lambda p: f"review of #{p['id']}",
    "setting": lambda p: f"setting {p['key']}",
}

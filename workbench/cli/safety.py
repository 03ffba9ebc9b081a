"""``workbench backup|backups|restore|log|undo|redo``: keeping the researcher's work safe.

Registered in workbench/cli/__init__.py, so they share the main group's error handling: a
``WorkbenchError`` becomes one ``error: ...`` line and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study
from workbench.errors import WorkbenchError

DEFAULT_LOG_LIMIT = 50


def _local(at: str | dt.datetime) -> str:
    """A stored UTC time in the reader's local time."""
    moment = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB"):
        if count < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"


# -- backups -------------------------------------------------------------------------------------


@click.command()
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print the snapshot as JSON.")
def backup(study: Path, as_json: bool) -> None:
    """Save a snapshot of the study now (kept until you delete it).

    Snapshots go to the folder STUDY.backups beside the study; `workbench backups` lists them.
    """
    with open_study(study) as s:
        made = s.backup()
    if as_json:
        emit_json(made.to_json())
        return
    click.echo(f"saved snapshot {made.path} ({_size(made.size)})")


@click.command()
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, newest first.")
def backups(study: Path, as_json: bool) -> None:
    """List the study's snapshots, newest first (works on a damaged or missing study too)."""
    from workbench.study import backups as store

    found = store.list_snapshots(study)
    if as_json:
        emit_json([s.to_json() for s in found])
        return
    if not found:
        click.echo(f"no snapshots yet in {store.backups_folder(study)}")
        return
    from workbench.cli.output import print_table

    print_table(
        ["#", "taken", "reason", "size", "file"],
        [[str(n), _local(s.taken), s.reason, _size(s.size), s.path.name] for n, s in enumerate(found, start=1)],
        title=f"{store.backups_folder(study)} (times are local)",
    )
    click.echo(
        f"the newest {store.KEEP_AUTOMATIC} automatic snapshots are kept, manual ones until you delete them; "
        f"`workbench restore {study} N` puts number N back"
    )


@click.command()
@STUDY
@click.argument("snapshot", required=False)
@click.option("--yes", is_flag=True, help="Do not ask before replacing the study.")
def restore(study: Path, snapshot: str | None, yes: bool) -> None:
    """Put a snapshot back in place of the study (default: the newest).

    SNAPSHOT is a number from `workbench backups` (1 = newest) or a file name. The current study
    is saved as a snapshot first, so a restore can itself be undone by restoring that one.
    """
    from workbench.study import backups as store
    from workbench.study import default_coder

    chosen = store.find_snapshot(study, snapshot)
    if not yes:
        question = f"Replace {study} with the snapshot taken {_local(chosen.taken)} ({chosen.reason})? The current file is saved first."
        if not sys.stdin.isatty():
            raise WorkbenchError("restoring replaces the study: add --yes to confirm (nothing was changed)")
        if not click.confirm(question, default=False):
            raise WorkbenchError("not restored (nothing was changed)")
    report = store.restore(study, chosen, actor=default_coder())
    open_study(study).close()  # the restored file opens and passes the integrity check
    saved = f"; the replaced study was saved as {report.saved_current.name}" if report.saved_current else ""
    click.echo(f"restored {chosen.path.name} (taken {_local(chosen.taken)}){saved}")


# -- the audit trail and undo --------------------------------------------------------------------


@click.command()
@STUDY
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=DEFAULT_LOG_LIMIT,
    show_default=True,
    help="Show this many of the newest entries (0: all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, newest first.")
def log(study: Path, limit: int, as_json: bool) -> None:
    """The audit trail: who did what to the study, and when (newest first, local times)."""
    with open_study(study) as s:
        events = s.events(limit or None)
    entries = [_entry(e) for e in events]
    if as_json:
        emit_json(entries)
        return
    if not entries:
        click.echo("nothing recorded yet")
        return
    from workbench.cli.output import print_table

    print_table(
        ["#", "when", "who", "action", "what"],
        [
            [
                str(e["id"]),
                _local(e["at"]),
                e["actor"] or "",
                e["action"],
                e["summary"] + (" (undone)" if e["undone"] else ""),
            ]
            for e in entries
        ],
    )


def _entry(event: dict) -> dict:
    try:
        payload = json.loads(event["payload"]) if event["payload"] else {}
    except ValueError:
        payload = {"raw": event["payload"]}
    return {
        "id": event["id"],
        "at": event["at"],
        "actor": event["actor"],
        "action": event["action"],
        "summary": describe(event["action"], payload),
        "undone": bool(event.get("undone")),
        "payload": payload,
    }


def describe(action: str, payload: dict) -> str:
    """One readable line for an audit-trail entry."""
    p = payload
    span = f"{p.get('transcript')} {p.get('start')}..{p.get('end')}"
    simple = {
        "init": lambda: "created the study",
        "import": lambda: (
            f"imported {len(p.get('imported') or [])} transcript(s)"
            + (f": {', '.join(p['imported'])}" if p.get("imported") else "")
        ),
        "code": lambda: (
            f"coded {p.get('count', 0)} passage(s)"
            if p.get("many")
            else f"coded #{p.get('id')}: {span} as {p.get('theme')}"
        ),
        "recode": lambda: f"changed #{p.get('id')} from {p.get('from')} to {p.get('to')}",
        "uncode": lambda: f"removed #{p.get('id')}: {span} ({p.get('theme')})",
        "select": lambda: _describe_select(p),
        "deselect": lambda: f"deselected #{p.get('id')}",
        "memo": lambda: (
            f"{'wrote' if p.get('chars') else 'deleted'} the memo on the {p.get('on')}"
            + (f" {p['target']}" if p.get("target") else "")
        ),
        "setting": lambda: f"changed the setting {p.get('key')}",
        "case.set": lambda: (
            f"case {p.get('case')}: "
            + ", ".join(f"{k}={v}" if v else f"removed {k}" for k, v in (p.get("attributes") or {}).items())
        ),
        "theme.add": lambda: f"added theme {p.get('name')}" + (f" under {p['parent']}" if p.get("parent") else ""),
        "theme.update": lambda: (
            f"changed theme {p.get('theme')}: " + ", ".join(f"{k}={v!r}" for k, v in (p.get("changes") or {}).items())
        ),
        "theme.move": lambda: (
            f"moved theme {p.get('theme')} " + (f"under {p['to']}" if p.get("to") else "to the top level")
        ),
        "theme.merge": lambda: f"merged {p.get('source')} into {p.get('target')} ({p.get('moved', 0)} coding(s) moved)",
        "theme.delete": lambda: f"deleted theme {p.get('theme')} with {p.get('codings', 0)} coding(s)",
        "codebook.load": lambda: f"loaded codebook {p.get('file')} ({len(p.get('added') or [])} new theme(s))",
        "undo": lambda: f"undid #{p.get('event')} ({p.get('action')})",
        "redo": lambda: f"redid #{p.get('event')} ({p.get('action')})",
        "migrate": lambda: f"upgraded the study from schema {p.get('from')} to {p.get('to')}",
        "restore": lambda: f"restored snapshot {p.get('snapshot')}",
    }
    try:
        if action in simple:
            return simple[action]()
    except (KeyError, TypeError, AttributeError):
        pass  # an entry written by another version: fall back to its raw payload
    text = json.dumps(payload, ensure_ascii=False)
    return text if len(text) <= 120 else text[:119] + "…"


def _describe_select(p: dict) -> str:
    parts = [f"selected #{p.get('id')}"]
    if p.get("position") is not None:
        parts.append(f"position {p['position']}")
    if p.get("comment") is not None:
        parts.append("comment cleared" if p["comment"] == "" else "commented")
    if p.get("elided") is not None:
        parts.append("trimmed" if p["elided"] else "trim cleared")
    return ", ".join(parts)


@click.command()
@STUDY
@click.option("--coder", help="Who undoes (default: $WORKBENCH_CODER or the login name).")
def undo(study: Path, coder: str | None) -> None:
    """Undo the most recent change to the study (by anyone; kept in the study, so it works later)."""
    with open_study(study, coder) as s:
        event = s.undo()
    click.echo(f"undid #{event['id']}: {_entry(event)['summary']}" if event else "nothing to undo")


@click.command()
@STUDY
@click.option("--coder", help="Who redoes (default: $WORKBENCH_CODER or the login name).")
def redo(study: Path, coder: str | None) -> None:
    """Redo the most recently undone change."""
    with open_study(study, coder) as s:
        event = s.redo()
    click.echo(f"redid #{event['id']}: {_entry(event)['summary']}" if event else "nothing to redo")

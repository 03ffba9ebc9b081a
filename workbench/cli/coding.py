"""``workbench code|uncode|quotes|select|stats|memo``: the everyday work of coding, from a script."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study, split_assignment, write_data
from workbench.errors import WorkbenchError


@click.command()
@STUDY
@click.argument("transcript")
@click.argument("theme")
@click.option("--text", "passage", help="The exact passage to code.")
@click.option("--occurrence", type=click.IntRange(min=1), help="Which occurrence of --text (1 = first).")
@click.option("--start", type=click.IntRange(min=0), help="Start offset (code points, inclusive).")
@click.option("--end", type=click.IntRange(min=0), help="End offset (code points, exclusive).")
@click.option("--coder", help="Who codes (default: $WORKBENCH_CODER or the login name).")
@click.option("--select", "select_", is_flag=True, help="Also select the passage for the chapter.")
@click.option("--comment", help="A comment on the quote (your interpretation).")
@click.option("--json", "as_json", is_flag=True, help='Print {"id": ...}.')
def code(
    study: Path,
    transcript: str,
    theme: str,
    passage: str | None,
    occurrence: int | None,
    start: int | None,
    end: int | None,
    coder: str | None,
    select_: bool,
    comment: str | None,
    as_json: bool,
) -> None:
    """Code a passage of TRANSCRIPT with THEME (a path: `Theme/Sub-theme`).

    Give the passage either as exact text (--text, with --occurrence if it occurs more than
    once) or as offsets (--start/--end).
    """
    if (passage is None) == (start is None and end is None):
        raise WorkbenchError("give either --text PASSAGE or --start S --end E")
    if passage is None and (start is None or end is None):
        raise WorkbenchError("--start and --end go together")
    with open_study(study) as s:
        if passage is not None:
            start, end = s.find_passage(transcript, passage, occurrence)
        with s.batch("code", {"transcript": transcript, "theme": theme}):  # one transaction, one undo step
            result = s.code(transcript, theme, start, end, coder=coder)
            if select_ or comment is not None:
                s.select(result.coding.id, selected=select_ or s.quote(result.coding.id).selected, comment=comment)
    if as_json:
        emit_json({"id": result.coding.id, "created": result.created})
        return
    verb = "coded" if result.created else "already coded"
    click.echo(f"{verb} #{result.coding.id}: {result.coding.transcript} {start}..{end} as {result.coding.theme_path}")


@click.command()
@STUDY
@click.argument("coding_id", type=int)
def uncode(study: Path, coding_id: int) -> None:
    """Remove a coding (by its id, as shown by `quotes`)."""
    with open_study(study) as s:
        removed = s.uncode(coding_id)
    click.echo(f"removed #{removed.id}: {removed.transcript} {removed.start}..{removed.end} as {removed.theme_path}")


@click.command()
@STUDY
@click.option("--theme", help="Only this theme and its sub-themes.")
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only cases with this attribute value (repeat: different keys must all match, one key's values are alternatives).",
)
@click.option("--selected", is_flag=True, help="Only quotes selected for the chapter.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of quotes.")
def quotes(study: Path, theme: str | None, where: tuple[str, ...], selected: bool, as_json: bool) -> None:
    """The quote board: coded passages grouped by theme, with their case attributes."""
    conditions: dict[str, set[str]] = {}
    for key, value in map(split_assignment, where):
        conditions.setdefault(key, set()).add(value)
    with open_study(study) as s:
        found = s.quotes(theme=theme, where=conditions or None, selected_only=selected)
    if as_json:
        emit_json([q.to_json() for q in found])
        return
    from workbench.cli.output import print_quotes

    print_quotes(found)


@click.command()
@STUDY
@click.argument("coding_id", type=int)
@click.option("--comment", help="Your comment on the quote (empty to clear).")
@click.option("--position", type=click.IntRange(min=1), help="Its place among the theme's selected quotes (1 = first).")
@click.option("--elided", help="A trimmed form of the passage, with cuts marked [...].")
@click.option("--after", help="Your analysis printed right after the quote (empty to clear).")
@click.option("--off", is_flag=True, help="Deselect it (the comment and the note after it are kept).")
def select(
    study: Path,
    coding_id: int,
    comment: str | None,
    position: int | None,
    elided: str | None,
    after: str | None,
    off: bool,
) -> None:
    """Select a coded passage as a quote for the chapter, and set its comment (before the
    quote), the note after it and its order."""
    with open_study(study) as s:
        quote = s.select(coding_id, selected=not off, comment=comment, position=position, elided=elided, after=after)
    state = f"selected, position {quote.position}" if quote.selected else "not selected"
    click.echo(f"#{quote.id} ({quote.theme}): {state}")


@click.command()
@STUDY
@click.option("--by", help="Split the counts by this case attribute (e.g. size, cluster).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
def stats(study: Path, by: str | None, as_json: bool) -> None:
    """Codings and informants per theme, optionally split by a case attribute."""
    with open_study(study) as s:
        rows, values = s.stats(by)
        summary = {"transcripts": len(s.transcripts()), "cases": len(s.cases())}
    from workbench.cli.report_output import print_stats, stats_json

    if as_json:
        emit_json(stats_json(rows, values, by, summary))
        return
    print_stats(rows, values, by, summary, title=study.name)


@click.command()
@STUDY
@click.option(
    "--on",
    "target_type",
    type=click.Choice(["study", "theme", "closing", "transcript", "case"]),
    default="study",
    show_default=True,
    help="What the memo is about.",
)
@click.option("--target", help="The theme path (theme, closing), transcript or case name (not for --on study).")
@click.option("--text", help="Set the memo to this text (empty to delete); without it, print the memo.")
def memo(study: Path, target_type: str, target: str | None, text: str | None) -> None:
    """Read or write a memo on the study, a theme, a transcript or a case.

    A theme's memo is that section's introduction in the chapter, its closing memo (--on
    closing) the synthesis that ends the section; the study memo introduces the chapter.
    """
    with open_study(study) as s:
        if text is None:  # the memo itself: exact into a file or a pipe, safe on a terminal
            memo_text = s.memo(target_type, target) or ""
            write_data(memo_text + "\n")
            return
        s.set_memo(target_type, target, text)
    click.echo(f"memo on {target_type}{' ' + target if target else ''} {'saved' if text.strip() else 'deleted'}")

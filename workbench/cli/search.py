"""``workbench search``: every hit of a word or phrase across the transcripts, in context; and coding them."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study, split_assignment
from workbench.errors import WorkbenchError


@click.command()
@STUDY
@click.argument("pattern")
@click.option("--regex", is_flag=True, help="PATTERN is a regular expression (Python's syntax).")
@click.option("--word", "whole_word", is_flag=True, help="Whole words only (Unicode word boundaries).")
@click.option("--case-sensitive", is_flag=True, help="Upper and lower case differ (default: they do not).")
@click.option("--ignore-accents", is_flag=True, help="Letters with and without accents are equal (ö = o).")
@click.option("--transcript", "transcripts", multiple=True, metavar="T", help="Only this transcript (repeat for more).")
@click.option(
    "--where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only cases with this attribute value (repeat: different keys must all match, one key's values are alternatives).",
)
@click.option("--speaker", help="Only what this speaker says.")
@click.option("--uncoded", is_flag=True, help="Only hits that no coding touches.")
@click.option("--coded-with", metavar="THEME", help="Only hits inside a coding of THEME (or its sub-themes).")
@click.option("--context", type=click.IntRange(min=0), default=40, show_default=True, help="Characters of context.")
@click.option("--code", "code_theme", metavar="THEME", help="Code every hit with THEME (one undoable step).")
@click.option(
    "--unit",
    type=click.Choice(["hit", "sentence", "turn"]),
    default="hit",
    show_default=True,
    help="With --code: code the hit, its sentence or its turn.",
)
@click.option("--dry-run", is_flag=True, help="With --code: say what would be coded, change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits, the counts (and the coding) as JSON.")
def search(
    study: Path,
    pattern: str,
    regex: bool,
    whole_word: bool,
    case_sensitive: bool,
    ignore_accents: bool,
    transcripts: tuple[str, ...],
    where: tuple[str, ...],
    speaker: str | None,
    uncoded: bool,
    coded_with: str | None,
    context: int,
    code_theme: str | None,
    unit: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Find PATTERN in every transcript: each hit with its context, then counts per transcript
    and per case attribute.

    Matching ignores case (Unicode case folding) and treats a letter stored decomposed (as
    macOS writes "ö") as the letter typed; accents count unless --ignore-accents. Spaces in
    PATTERN match any whitespace, line breaks included. Speaker labels are not searched.
    """
    from workbench.domain.text_search import SearchOptions
    from workbench.study.search import SearchFilters, code_hits
    from workbench.study.search import search as run_search

    if (dry_run or unit != "hit") and not code_theme:
        raise WorkbenchError("--dry-run and --unit go with --code THEME")
    conditions: dict[str, set[str]] = {}
    for key, value in map(split_assignment, where):
        conditions.setdefault(key, set()).add(value)
    options = SearchOptions(pattern, regex, whole_word, case_sensitive, ignore_accents)
    filters = SearchFilters(transcripts, conditions or None, speaker, uncoded, coded_with)
    with open_study(study) as s:
        result = run_search(s, options, filters, context)
        report = code_hits(s, result.hits, code_theme, unit, dry_run) if code_theme else None
    if as_json:
        data = {
            "pattern": pattern,
            "count": len(result.hits),
            "hits": [hit.to_json() for hit in result.hits],
            "per_transcript": result.per_transcript(),
            "per_attribute": result.per_attribute(),
        }
        if report is not None:
            data["coding"] = {
                "theme": report.theme,
                "unit": report.unit,
                "dry_run": report.dry_run,
                "coded": [{"transcript": p.hit.transcript, "start": p.start, "end": p.end} for p in report.coded],
                "skipped": [
                    {"transcript": p.hit.transcript, "start": p.start, "end": p.end, "reason": p.skipped}
                    for p in report.skipped
                ],
            }
        emit_json(data)
        return
    _print_hits(result, context)
    if report is not None:
        if dry_run:
            for planned in report.planned:
                what = f"skip ({planned.skipped})" if planned.skipped else "code"
                click.echo(f"  {what}: {planned.hit.transcript} {planned.start}..{planned.end}")
        click.echo(
            report.summary() + ("" if dry_run or not report.coded else " (one step: `workbench undo` undoes it)")
        )


def _print_hits(result, context: int) -> None:
    from workbench.display.kwic import kwic_plain
    from workbench.display.safe_text import visible

    labels = []
    for hit in result.hits:
        who = f" {visible(hit.speaker)}" if hit.speaker else ""
        turn = f" t{hit.turn}" if hit.turn is not None else ""
        labels.append(f"{visible(hit.transcript)} {hit.start}..{hit.end}{turn}{who}")
    width = max((len(label) for label in labels), default=0)
    for label, hit in zip(labels, result.hits, strict=True):
        click.echo(f"{label.ljust(width)}  {kwic_plain(hit.before, hit.text, hit.after, context, context)}")
    counts = result.per_transcript()
    with_hits = sum(1 for n in counts.values() if n)
    click.echo(f"{len(result.hits)} hit(s) in {with_hits} of {len(counts)} transcript(s)")
    if result.hits:
        click.echo("per transcript: " + ", ".join(f"{name} {n}" for name, n in counts.items() if n))
        for key, values in result.per_attribute().items():
            click.echo(f"per {key}: " + ", ".join(f"{value} {n}" for value, n in values.items()))

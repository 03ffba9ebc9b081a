"""CSV files from Taguette and spreadsheets: a codebook (``tag,description,...``) merged into the
study's themes, and highlights (``id,document,tag,content``) coded in transcripts the study has.

Like every exchange, each import reads and checks the whole file first, then writes in one
transaction, and returns an ``ExchangeReport``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from workbench.domain.colours import normalise_colour
from workbench.domain.models import ThemeSpec
from workbench.interop.refi.model import Skipped
from workbench.interop.taguette_csv import read_codebook_csv, read_highlights_csv
from workbench.storage.database import storage_errors_translated
from workbench.study import Study
from workbench.study.exchange.report import ExchangeReport, count_merge, merge_themes


@storage_errors_translated
def import_codebook_csv(study: Study, path: Path | str) -> ExchangeReport:
    """Merge a Taguette-style codebook CSV (``tag,description,...``) into the study's themes.

    A ``/`` in a tag makes a sub-theme (``Trust/Agreements``); a ``color`` column is used when
    present; other columns are reported as not used.
    """
    started = time.perf_counter()
    path = Path(path)
    rows, warnings = read_codebook_csv(path)
    report = ExchangeReport("import", str(path), "codebook-csv", warnings=warnings)
    roots: list[ThemeSpec] = []
    by_path: dict[str, ThemeSpec] = {}
    for row in rows:
        colour = normalise_colour(row.color) if row.color else None
        if row.color and colour is None:
            report.warnings.append(f"{path}:{row.line}: {row.color!r} is not a colour; the theme gets a default colour")
        spec = _spec_at(row.name, roots, by_path)
        spec.description, spec.color = row.description, colour
    with study.batch("codebook.load", {"file": str(path), "format": "codebook-csv"}):
        merge = merge_themes(study, roots, path)
    count_merge(report, merge, len(by_path))
    report.seconds = time.perf_counter() - started
    return report


def _spec_at(theme_path: str, roots: list[ThemeSpec], by_path: dict[str, ThemeSpec]) -> ThemeSpec:
    """The spec for ``A/B/C`` in the tree, making missing parents on the way."""
    parent_list, prefix, spec = roots, "", None
    for part in theme_path.split("/"):
        prefix = f"{prefix}/{part}" if prefix else part
        spec = by_path.get(prefix.casefold())
        if spec is None:
            spec = ThemeSpec(name=part)
            by_path[prefix.casefold()] = spec
            parent_list.append(spec)
        parent_list = spec.children
    return spec


@storage_errors_translated
def import_highlights_csv(study: Study, path: Path | str, coder: str | None = None) -> ExchangeReport:
    """Code the passages of a highlights CSV (``id,document,tag,content``, as Taguette exports it)
    in transcripts already in the study.

    A passage is found by its exact text (then ignoring differences in spacing and line breaks).
    Passages that cannot be found, or occur several times with nothing to choose between them (an
    optional ``start`` column chooses), are reported, never guessed. Tags not in the codebook
    become new themes. A document the study does not have is reported once, with the number of
    its highlights (``not_imported`` items of kind ``document``), not once per highlight.

    ``counts``: ``highlights`` (rows), ``codings_added``, ``already_coded``,
    ``documents_missing`` and ``in_missing_documents`` (rows), ``ambiguous`` (the passage occurs
    more than once), ``not_located`` (not in the transcript), ``skipped`` (no usable tag),
    ``themes_added``. When nothing could be placed, nothing is written.
    """
    started = time.perf_counter()
    path = Path(path)
    rows, warnings = read_highlights_csv(path)
    report = ExchangeReport("import", str(path), "highlights-csv", warnings=warnings)
    transcripts = _TranscriptNames(study)
    themes = {t.path.casefold(): t.path for t in study.themes()}
    names: dict[str, list[str]] = {}
    for t in study.themes():
        names.setdefault(t.name.casefold(), []).append(t.path)
    new_roots: list[ThemeSpec] = []
    new_paths: dict[str, ThemeSpec] = {}
    texts: dict[str, str] = {}
    codings: list[tuple[str, str, int, int, str | None, str | None]] = []
    missing: dict[str, int] = {}  # document -> highlights in it
    tally = {"ambiguous": 0, "not_located": 0, "skipped": 0}
    loose = 0
    for row in rows:
        label = f"line {row.line}" + (f" (id {row.id})" if row.id else "")
        if not row.tag:
            report.not_imported.append(Skipped("highlight", label, "has no tag"))
            tally["skipped"] += 1
            continue
        name = transcripts.find(row.document)
        if name is None:
            missing[row.document] = missing.get(row.document, 0) + 1
            continue
        if name not in texts:
            texts[name] = study.transcript_text(name)
        span, how = locate(texts[name], row.content, row.start)
        if span is None:
            report.not_imported.append(Skipped("highlight", label, f"{how} in {name!r}: {_short(row.content)!r}"))
            tally["ambiguous" if " times " in how else "not_located"] += 1
            continue
        loose += how == "spacing"
        tag = "/".join(" ".join(p.split()) for p in row.tag.split("/"))
        theme_path = themes.get(tag.casefold())
        if theme_path is None and "/" not in tag and len(names.get(tag.casefold(), [])) == 1:
            theme_path = names[tag.casefold()][0]
        if theme_path is None:
            if any(not part for part in tag.split("/")):
                report.not_imported.append(Skipped("highlight", label, f"the tag {row.tag!r} has an empty part"))
                tally["skipped"] += 1
                continue
            _spec_at(tag, new_roots, new_paths)
            theme_path = tag
        codings.append((name, theme_path, span[0], span[1], coder, None))
    # One line per missing document, not one per highlight: the cure is the same for all of them.
    report.not_imported[:0] = [
        Skipped("document", document or "(empty)", f"not in the study; {count} highlight(s) in it not placed")
        for document, count in missing.items()
    ]
    if loose:
        report.warnings.append(
            f"{loose} passage(s) were found only when differences in spacing and line breaks were ignored"
        )
    merge, new_ids = None, []
    if codings:  # nothing to place: nothing written, not even an empty event
        with study.batch("import", {"file": str(path), "format": "highlights-csv"}):
            merge = merge_themes(study, new_roots, path) if new_roots else None
            current = {t.path.casefold(): t.path for t in study.themes()}
            new_ids = study.code_many([(t, current[p.casefold()], s, e, c, w) for t, p, s, e, c, w in codings])
    report.counts.update(
        highlights=len(rows),
        codings_added=len(new_ids),
        already_coded=len(codings) - len(new_ids),
        documents_missing=len(missing),
        in_missing_documents=sum(missing.values()),
        **tally,
        themes_added=len(merge.added) if merge else 0,
    )
    report.seconds = time.perf_counter() - started
    return report


class _TranscriptNames:
    """Finds a transcript by a name another tool gave it: exact, ignoring case, or without the
    file extension (Taguette documents are often named ``interview_3.docx``)."""

    def __init__(self, study: Study):
        self.names = [t.name for t in study.transcripts()]

    def find(self, document: str) -> str | None:
        document = document.strip()
        if document in self.names:
            return document
        for candidate in (document, Path(document).stem):
            folded = [n for n in self.names if n.casefold() == candidate.casefold()]
            if len(folded) == 1:
                return folded[0]
        return None


def locate(text: str, passage: str, start: int | None = None) -> tuple[tuple[int, int] | None, str]:
    """Where ``passage`` is in ``text``: ``((start, end), how)`` with how ``exact`` or ``spacing``,
    or ``(None, why)`` when it is absent or occurs more than once."""
    if not passage.strip():
        return None, "the passage is empty"
    if start is not None:
        for candidate in (passage, passage.strip()):
            if text[start : start + len(candidate)] == candidate:
                return (start, start + len(candidate)), "exact"
        return None, f"the passage is not at start {start}"
    for candidate in (passage, passage.strip()):
        first = text.find(candidate)
        if first != -1:
            if text.find(candidate, first + 1) != -1:
                count = text.count(candidate)
                return None, f"the passage occurs {count} times (add a 'start' column to choose)"
            return (first, first + len(candidate)), "exact"
    pattern = re.compile(r"\s+".join(re.escape(word) for word in passage.split()))
    matches = [m.span() for m in pattern.finditer(text)]
    if len(matches) == 1:
        return matches[0], "spacing"
    if matches:
        return None, f"the passage occurs {len(matches)} times (add a 'start' column to choose)"
    return None, "the passage is not in the transcript"


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

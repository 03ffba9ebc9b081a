"""Pseudonym maps on files: read a map, anonymise transcripts on import or before it, check an export.

The rules (whole words, longest name first, the report) are in ``workbench.domain.anonymise``.
Nothing here stores the map or the report: they stay with the researcher.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import yaml

from workbench.domain.anonymise import (
    AnonymisationReport,
    Occurrence,
    PseudonymMap,
    anonymise_parsed,
    apply_to_text,
    check_text,
    parse_pseudonym_map,
)
from workbench.domain.transcript_text import split_front_matter, split_turns
from workbench.errors import InputError
from workbench.interop import decode
from workbench.interop.files import read_user_file, write_atomically
from workbench.storage.database import storage_errors_translated
from workbench.study.scrub import anonymise_study

__all__ = [
    "AnonymisationReport",
    "Occurrence",
    "PseudonymMap",
    "anonymise_file",
    "anonymise_parsed",
    "apply_to_text",
    "check_file",
    "check_text",
    "import_anonymised",
    "load_pseudonym_map",
]

MAX_MAP_BYTES = 5 * 1024 * 1024  # a map of thousands of names is far smaller
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".vtt", ".srt"}


def load_pseudonym_map(path: Path | str, ignore_case: bool | None = None) -> PseudonymMap:
    """Read a pseudonym map file; ``ignore_case`` (when given) overrides the file's setting."""
    path = Path(path)
    text = decode.decode_utf8(read_user_file(path, "pseudonym map", MAX_MAP_BYTES), str(path), "pseudonym map")
    mapping = parse_pseudonym_map(text, str(path))
    return mapping if ignore_case is None else mapping.with_ignore_case(ignore_case)


@storage_errors_translated
def import_anonymised(study, paths, cases_file: Path | str | None, mapping: PseudonymMap, progress=None, columns=None):
    """``Study.import_files`` with a pseudonym map applied to each transcript (text, turns,
    speakers, front matter) and to the case attributes, before anything is stored.

    Returns ``(ImportReport, AnonymisationReport)``; the second names real people: show it to
    the researcher, never store it. A file whose name contains a mapped name is refused, because
    the transcript is named after its file.
    """
    from workbench.interop.cases import read_cases_file
    from workbench.interop.transcripts import read_transcript
    from workbench.study import ImportItem

    paths = [Path(p) for p in paths]
    report = AnonymisationReport()
    cases = read_cases_file(Path(cases_file)) if cases_file else {}
    for name, attributes in cases.items():
        for key, value in attributes.items():
            attributes[key], found = apply_to_text(value, mapping, place=f"cases {name} {key}")
            report.replacements.extend(found.replacements)
    items, names = [], {}
    for path in paths:
        leaked = check_text(path.stem.replace("_", " "), mapping)
        if leaked:
            raise InputError(
                f"the file name contains the mapped name {leaked[0].name!r}; the transcript is named "
                f"after its file, so rename it first",
                str(path),
            )
        if path.stem in names:
            raise InputError(f"two files would both be named {path.stem!r} (also {names[path.stem]})", str(path))
        names[path.stem] = path
        parsed, found = anonymise_parsed(read_transcript(path, columns), mapping)
        report.replacements.extend(dataclasses.replace(r, place=f"{path.name} {r.place}") for r in found.replacements)
        items.append(ImportItem(path.stem, parsed, path.name, cases.get(path.stem, {})))
        if progress:
            progress(path)
    # Only file names (checked above) are recorded: a folder may be named after a person.
    imported = study.import_texts(
        items,
        extra_cases={n: a for n, a in cases.items() if n not in names},
        action_payload={"files": [p.name for p in paths], "pseudonyms": True},
    )
    report.study = anonymise_study(study, mapping, look_after=False)  # names stored before this import, if any
    return imported, report


def anonymise_file(
    mapping: PseudonymMap, source: Path | str, output: Path | str, overwrite: bool = False
) -> AnonymisationReport:
    """Write an anonymised copy of a transcript file, ready for ``workbench import``.

    Text files (.txt, .md, .vtt, .srt) keep their format, front matter and cue timings
    included; a .docx or .odt becomes plain text (.txt or .md). Other formats (HTML, tables) are
    anonymised on import instead (``import --pseudonyms``). The original is never changed.
    """
    source, output = Path(source), Path(output)
    suffix = source.suffix.lower()
    if suffix in (".docx", ".odt"):
        from workbench.interop.transcripts import read_transcript

        if output.suffix.lower() not in (".txt", ".md"):
            kind = "Word" if suffix == ".docx" else "OpenDocument"
            raise InputError(f"a {kind} transcript is written out as text: name the output .txt or .md", str(output))
        parsed = read_transcript(source)
        text = parsed.text
    elif suffix in _TEXT_SUFFIXES:
        if output.suffix.lower() != suffix:
            raise InputError(f"keep the file type: name the output {output.stem}{source.suffix}", str(output))
        text, _warnings = decode.decode_bytes(
            read_user_file(source, "transcript", decode.MAX_TRANSCRIPT_BYTES), str(source)
        )
    else:
        raise InputError(
            f"cannot anonymise a {suffix or 'file without a suffix'} file; use .txt, .md, .docx, .odt, .vtt or .srt "
            "(or import it with --pseudonyms)",
            str(source),
        )
    if _same_file(source, output):
        raise InputError(
            "the output would replace the original; write the anonymised copy to another file", str(output)
        )
    if output.exists() and not overwrite:
        raise InputError("the output file exists already (use --force to replace it)", str(output))
    if suffix in (".vtt", ".srt"):
        result, report = apply_to_text(text, mapping)
    else:
        result, report = _anonymise_plain(text, mapping, str(source))
    write_atomically(output, result.encode("utf-8"))  # UTF-8, line endings as they are
    return report


def _anonymise_plain(text: str, mapping: PseudonymMap, source: str) -> tuple[str, AnonymisationReport]:
    """A .txt or .md transcript: front matter rewritten as YAML if a name was in it (a replacement
    like "[...]" would otherwise be read as a YAML list), and a warning for each speaker label
    that no longer reads as one."""
    attributes, body = split_front_matter(text, source)
    block = text[: len(text) - len(body)]
    new_block, report = apply_to_text(block, mapping)
    if new_block != block:
        values = {key: apply_to_text(value, mapping)[0] for key, value in attributes.items()}
        new_block = "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000) + "---\n"
    new_body, body_report = apply_to_text(body, mapping)
    lines, offset = block.count("\n"), len(block)
    report.replacements.extend(
        dataclasses.replace(r, line=r.line + lines, offset=r.offset + offset) for r in body_report.replacements
    )
    before = {t.speaker for t in split_turns(body) if t.speaker}
    after = {t.speaker for t in split_turns(new_body) if t.speaker}
    for speaker in sorted(before):
        replaced = apply_to_text(speaker, mapping)[0]
        if replaced != speaker and replaced not in after:
            report.warnings.append(
                f"the speaker label {speaker!r} became {replaced!r}, which is not read as a speaker label; "
                f"map speakers to names like 'Informant 7', or use `workbench import --pseudonyms`"
            )
    return new_block + new_body, report


def check_file(mapping: PseudonymMap, path: Path | str) -> list[Occurrence]:
    """Mapped names still present in a text file such as an exported chapter (case ignored)."""
    path = Path(path)
    data = read_user_file(path, "text", decode.MAX_TRANSCRIPT_BYTES)
    text, _warnings = decode.decode_bytes(data, str(path))
    return check_text(text, mapping)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False

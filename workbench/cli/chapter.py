"""``workbench export chapter|quotes`` and ``workbench verify``: thin commands over workbench.study.chapter.

Registered in workbench/cli/__init__.py, so they share the main group's error handling: a
``WorkbenchError`` becomes one ``error: ...`` line and exit code 1.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from workbench.cli.base import STUDY, open_study, write_data
from workbench.errors import InputError, WorkbenchError
from workbench.interop.decode import MAX_TRANSCRIPT_BYTES, decode_utf8
from workbench.interop.files import read_user_file, write_atomically


def _write(path: Path, text: str, bom: bool = False) -> None:
    """Write UTF-8 with LF line endings to standard output ("-") or, once complete, to ``path``.

    Standard output gets the exact text when it is a file or a pipe, safe text on a terminal.
    """
    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
    if str(path) == "-":
        write_data(data)
        return
    write_atomically(path, data)


def _format_of(output: Path) -> str:
    """The output format a file name asks for: .docx and .odt convert, anything else is Markdown."""
    suffix = output.suffix.lower().lstrip(".")
    return suffix if suffix in ("docx", "odt") else "md"


@click.group()
def export() -> None:
    """Write the results chapter (Markdown) or the table of all codings (CSV)."""


@click.command("chapter")
@STUDY
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The Markdown file to write ('-' for standard output).",
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Chapter settings (YAML); see docs/chapter.md.",
)
@click.option("--title", help="The chapter's title (default: Results / Resultat).")
@click.option("--number", help="The chapter's number, e.g. 4 for '# 4 Results' and '## 4.1 ...' ('' for none).")
@click.option("--lang", type=click.Choice(["en", "sv"]), help="Language of the chapter's fixed words.")
@click.option("--attribution", help="Attribution template, e.g. '(Informant {informant}, {size} municipality)'.")
@click.option("--compare", help="Attribute to compare per theme, e.g. size ('' for none).")
@click.option(
    "--all/--selected",
    "all_codings",
    default=None,
    help="Every coding (a full coding report), or only the selected quotes (the default).",
)
@click.option("--appendix/--no-appendix", default=None, help="Add the codebook and the informants as tables.")
@click.option(
    "--appendix-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the appendices (codebook, informants) to this Markdown file instead of after the chapter.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "docx", "odt"]),
    help="Markdown (the default), or Word / LibreOffice through Pandoc (default: from -o's extension).",
)
@click.option(
    "--reference-doc",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A .docx or .odt whose styles the Word or LibreOffice file takes (e.g. the university's template).",
)
@click.option("--fresh", is_flag=True, help="Ignore the settings remembered from the last export.")
@click.option(
    "--accept",
    multiple=True,
    metavar="CHECK:THEME",
    help="Acknowledge a write-up warning (as named in its [brackets]); recorded in the settings.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 when a write-up check warns.")
@click.option(
    "--figures",
    is_flag=False,
    flag_value="default",
    metavar="[LIST]",
    help="Also write figures (SVG) beside the chapter and show them in it: matrix,bars,cooccurrence,saturation "
    "(alone: matrix, bars when comparing, saturation).",
)
def export_chapter(
    study: Path,
    output: Path,
    settings_file: Path | None,
    title: str | None,
    number: str | None,
    lang: str | None,
    attribution: str | None,
    compare: str | None,
    all_codings: bool | None,
    appendix: bool | None,
    appendix_file: Path | None,
    output_format: str | None,
    reference_doc: Path | None,
    fresh: bool,
    accept: tuple[str, ...],
    strict: bool,
    figures: str | None,
) -> None:
    """Write the results chapter from the selected quotes, as Markdown for Pandoc, or as a Word
    or LibreOffice file through Pandoc (--format docx|odt, needs workbench[docx]).

    Settings come from those remembered in the study (the last export's; --fresh ignores
    them), then --settings, then these options; the export prints each with where it came from.
    Write-up checks are printed as warnings; --strict makes them an error.
    """
    from workbench.study import chapter

    started = time.perf_counter()
    output_format = output_format or _format_of(output)
    if output_format != "md" and str(output) == "-":
        raise InputError(f"a {output_format} file cannot go to standard output: name it with -o FILE.{output_format}")
    if reference_doc is not None and output_format == "md":
        raise InputError("--reference-doc is for --format docx or odt", where=str(reference_doc))
    if output_format != "md":
        from workbench.interop.pandoc import pandoc_available

        if not pandoc_available():  # said before anything is done, in one line
            from workbench.interop.pandoc import NO_PANDOC

            raise WorkbenchError(NO_PANDOC.format(format=output_format))
    if appendix_file is not None and appendix is None:
        appendix = True  # asking for the appendices' file asks for the appendices
    with open_study(study) as s:
        used = chapter.settings_used(
            s,
            settings_file,
            fresh=fresh,
            title=title,
            number=number,
            lang=lang,
            attribution=attribution,
            compare=compare,
            all=all_codings,
            appendix=appendix,
            accept=accept or None,
        )
        result = chapter.export_chapter(s, used.settings, appendix_apart=appendix_file is not None)
        if figures is not None:
            result.markdown = _write_figures(s, used.settings, output, figures, result.markdown)
    if output_format == "md":
        _write(output, result.markdown)
        if appendix_file is not None and result.appendices is not None:
            _write(appendix_file, result.appendices)
    else:
        from workbench.interop.pandoc import convert_chapter

        settings = used.settings
        tag = settings.document_language
        converted = convert_chapter(
            result.markdown, output_format, tag, reference_doc, settings.title, resource_folder=output.parent
        )
        write_atomically(output, converted)
        if appendix_file is not None and result.appendices is not None:
            write_atomically(appendix_file, convert_chapter(result.appendices, output_format, tag, reference_doc))
    click.echo("settings used:", err=True)
    for line in used.lines():
        click.echo(f"  {line}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    for accepted in result.accepted:
        click.echo(f"accepted: {accepted}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if str(output) != "-":
        also = f" and {appendix_file}" if appendix_file is not None and result.appendices is not None else ""
        click.echo(
            f"wrote {output}{also}: {result.quotes} quote(s) in {result.sections} section(s), "
            f"{len(result.warnings)} warning(s), in {time.perf_counter() - started:.2f} s"
        )
    if strict and result.warnings:
        click.echo(f"error: --strict: {len(result.warnings)} write-up warning(s) (the chapter was written)", err=True)
        sys.exit(1)


def _write_figures(study, settings, output: Path, names: str, markdown: str) -> str:
    """Write the chosen figures beside ``output``; the chapter's Markdown with them shown."""
    from workbench.interop.figures import write_svg
    from workbench.study.chapter_figures import chapter_figures, with_figures

    if str(output) == "-":
        raise WorkbenchError("--figures needs -o FILE: the figures are written beside the chapter")
    made = chapter_figures(study, settings, output, names)
    for figure in made:
        write_svg(output.parent / figure.file_name, figure.svg)
    click.echo(f"wrote {len(made)} figure(s): {', '.join(f.file_name for f in made)}", err=True)
    return with_figures(markdown, made, settings.lang)


@click.command("quotes")
@STUDY
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("-"),
    help="The CSV file to write (default: standard output).",
)
@click.option("--bom", is_flag=True, help="Start the file with a byte order mark, so Excel reads it as UTF-8.")
def export_quotes(study: Path, output: Path, bom: bool) -> None:
    """Write every coding as a CSV row: transcript, case, attributes, theme, text, offsets,
    coder, selected, comment. Cells that a spreadsheet would run as a formula get a leading '."""
    from workbench.study.chapter import export_quotes_csv

    with open_study(study) as s:
        table = export_quotes_csv(s)
        rows = len(s.quotes())
    _write(output, table, bom=bom)
    if str(output) != "-":
        click.echo(f"wrote {output}: {rows} row(s)", err=True)


@click.command()
@STUDY
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def verify(study: Path, file: Path) -> None:
    """Check an exported chapter against the study: every marked quote still verbatim in its
    transcript (apart from [...] cuts; a quote that moved with a corrected transcript is found
    where it is now) and every attribution as the case attributes now say. A changed quote is
    reported with the words that differ."""
    from workbench.study.chapter import verify_chapter

    text = decode_utf8(read_user_file(file, "chapter", MAX_TRANSCRIPT_BYTES), str(file), "chapter")
    with open_study(study) as s:
        try:
            report = verify_chapter(s, text)
        except InputError:
            raise
        except WorkbenchError as exc:
            raise InputError(str(exc), where=str(file)) from None
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if report.ok:
        click.echo(f"{file}: {report.summary()}")
        return
    for problem in report.problems:
        click.echo(f"{file}:{problem.line}: quote #{problem.quote_id} ({problem.transcript}): {problem.message}")
    click.echo(f"error: {file}: {report.summary()}", err=True)
    sys.exit(1)

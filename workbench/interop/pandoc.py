"""The chapter as a Word (.docx) or LibreOffice (.odt) file, through Pandoc.

Pandoc comes from the optional extra ``workbench[docx]`` (the ``pypandoc-binary`` package, which
bundles it), or from a ``pandoc`` program on the PATH. Markdown stays the primary output: this
module only converts the chapter's Markdown.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from workbench.errors import InputError, WorkbenchError

FORMATS = ("docx", "odt")
NO_PANDOC = (
    "Pandoc is not available for --format {format}: install it with pip install 'workbench[docx]' "
    "(or put pandoc on the PATH), or export Markdown and convert it yourself"
)


def _pandoc() -> tuple[object | None, str | None]:
    """(the pypandoc module, or None; a pandoc program to run, or None)."""
    try:
        import pypandoc  # the optional extra
    except ImportError:
        return None, shutil.which("pandoc")
    try:
        return pypandoc, pypandoc.get_pandoc_path()
    except OSError:
        return None, shutil.which("pandoc")


def pandoc_available() -> bool:
    """Whether a conversion can run on this machine."""
    return _pandoc()[1] is not None


def convert_chapter(
    markdown: str,
    to: str,
    lang_tag: str,
    reference_doc: Path | None = None,
    title: str | None = None,
    resource_folder: Path | None = None,
) -> bytes:
    """The chapter's Markdown converted to ``to`` (``docx`` or ``odt``): the document's language
    is ``lang_tag`` (e.g. ``sv-SE``), its styles come from ``reference_doc`` when given, and
    images the chapter names (its figures) are looked up in ``resource_folder``.

    Raises ``WorkbenchError`` with one line when Pandoc is missing or fails, ``InputError`` when
    the reference document cannot be read.
    """
    if to not in FORMATS:
        raise WorkbenchError(f"cannot convert the chapter to {to!r}: one of {', '.join(FORMATS)}")
    pypandoc, program = _pandoc()
    if program is None:
        raise WorkbenchError(NO_PANDOC.format(format=to))
    arguments = ["--metadata", f"lang={lang_tag}"]
    if title:  # the document's title property (the chapter's own heading stays in the text)
        arguments += ["--metadata", f"title-meta={title}"]
    if resource_folder is not None:
        arguments.append(f"--resource-path={Path(resource_folder).resolve()}")
    if reference_doc is not None:
        if not Path(reference_doc).is_file():
            raise InputError("the reference document is not a readable file", where=str(reference_doc))
        arguments.append(f"--reference-doc={Path(reference_doc).resolve()}")
    with tempfile.TemporaryDirectory(prefix="workbench-pandoc-") as folder:
        target = Path(folder) / f"chapter.{to}"
        try:
            if pypandoc is not None:
                pypandoc.convert_text(markdown, to, format="markdown", outputfile=str(target), extra_args=arguments)
            else:
                _run_pandoc(program, markdown, to, target, arguments)
        except (RuntimeError, OSError) as exc:
            first = (str(exc).strip().splitlines() or ["no message"])[-1]
            raise WorkbenchError(f"Pandoc could not write the {to} file: {first}") from None
        return target.read_bytes()


def _run_pandoc(program: str, markdown: str, to: str, target: Path, arguments: list[str]) -> None:
    import subprocess

    done = subprocess.run(
        [program, "--from=markdown", f"--to={to}", f"--output={target}", *arguments],
        input=markdown.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace"))

"""Every command of the `workbench` CLI is documented: README.md or docs/*.md shows it in code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
from markdown_it import MarkdownIt

from workbench.cli import main

REPO = Path(__file__).resolve().parents[1]


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand under ``group``, as the words typed after ``workbench``."""
    for name in sorted(group.list_commands(None)):
        command = group.get_command(None, name)
        if command.hidden:
            continue
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


def code_in(markdown: str) -> list[str]:
    """The code of a Markdown text: fenced and indented blocks, and inline code (headings included)."""
    found = []
    for token in MarkdownIt().parse(markdown):
        if token.type in ("fence", "code_block"):
            found.append(token.content)
        found += [child.content for child in token.children or [] if child.type == "code_inline"]
    return found


def documented(words: tuple[str, ...], code: list[str]) -> bool:
    """``workbench <words>`` appears in the code, as whole words (``import`` is not ``import-highlights``)."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(" ".join(("workbench", *words))) + r"(?![\w-])")
    return any(pattern.search(piece) for piece in code)


def test_every_command_and_subcommand_is_shown_in_the_docs():
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    code = [piece for page in pages for piece in code_in(page.read_text(encoding="utf-8"))]
    every = list(commands(main))
    assert len(every) > 30 and ("codebook", "load") in every  # subcommands are walked too
    missing = [" ".join(("workbench", *words)) for words in every if not documented(words, code)]
    assert not missing, f"not in README.md or docs/*.md (as code): {missing}"


def test_a_mention_counts_only_as_code_and_as_whole_words():
    code = code_in(
        "Keep the workbench open while you code.\n\n    workbench import-highlights s.db x.pdf\n\n"
        "### `workbench export chapter STUDY`\n"
    )
    assert documented(("export", "chapter"), code) and documented(("export",), code)
    assert documented(("import-highlights",), code)
    assert not documented(("open",), code)  # prose, not code
    assert not documented(("import",), code)

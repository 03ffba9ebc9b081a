"""Stable section labels and the researcher's cross-references between sections.

Every theme's section carries a Pandoc identifier made from its path (``{#sec:trust-and-
confidence.agreements-matter}``), so it stays the same when sections are renumbered. In memos,
comments and notes the researcher writes ``[[Trust and confidence/Agreements matter]]`` (the
theme's path, or a theme name that only one section has); the export replaces it with a link
that reads "section 4.3.2" ("avsnitt 4.3.2"), or the section's name in quotation marks when the
chapter has no numbers. A reference to a theme that is not in the chapter stays as typed and is
reported by the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REFERENCE = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_NOT_A_WORD = re.compile(r"[^\w]+")


def _slug(name: str) -> str:
    return _NOT_A_WORD.sub("-", name.casefold()).strip("-_") or "theme"


def section_labels(paths: Iterable[str]) -> dict[str, str]:
    """Theme path -> its section's identifier (``sec:`` then the path's words, lower case, its
    levels joined by dots); two paths that would share one get ``-2``, ``-3`` ... in order."""
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for path in paths:
        base = "sec:" + ".".join(_slug(part) for part in path.split("/"))
        label, count = base, 1
        while label in taken:
            count += 1
            label = f"{base}-{count}"
        taken.add(label)
        labels[path] = label
    return labels


def _key(text: str) -> str:
    return "/".join(" ".join(part.split()).casefold() for part in text.split("/"))


class References:
    """Resolves ``[[Theme/Sub-theme]]`` against the sections of one chapter."""

    def __init__(self, paths: Iterable[str]):
        self.by_key: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        for path in paths:
            self.by_key[_key(path)] = path
            names.setdefault(_key(path.rsplit("/", 1)[-1]), []).append(path)
        for name, found in names.items():
            if len(found) == 1:  # a bare name is a reference only when one section has it
                self.by_key.setdefault(name, found[0])
        self.unknown: list[str] = []

    def find(self, reference: str) -> str | None:
        """The theme path a reference names (None: no section of the chapter)."""
        return self.by_key.get(_key(reference))

    def resolve(self, text: str | None, render, where: str) -> str | None:
        """``text`` with every reference replaced by ``render(path)``; references to no section
        are kept as typed and noted in ``unknown`` with ``where`` they are."""
        if not text or "[[" not in text:
            return text

        def replace(match: re.Match) -> str:
            path = self.find(match.group(1))
            if path is None:
                self.unknown.append(f"{where}: [[{match.group(1)}]] names no section of the chapter")
                return match.group(0)
            return render(path)

        return REFERENCE.sub(replace, text)

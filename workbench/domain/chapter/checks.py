"""Write-up checks: things a supervisor or reviewer would ask about, found before they do.

Each check returns findings: one-line warnings with the check's name and, where it is about one
theme, that theme. They never stop an export (``--strict`` makes them an error). A finding the
researcher has acknowledged (``accept: [over-represented:Identity]`` in the settings, or
``--accept``) is reported as accepted and no longer counts as a warning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from workbench.domain.chapter.render import ChapterQuote, ChapterSection

MIN_QUOTES = 4  # below this, shares say little
BALANCE_MIN_QUOTES = 8  # the balance across informants is judged from this many quotes on
BALANCE_SHARE = 0.25  # default: one informant giving more than this share of all quotes


@dataclass(frozen=True)
class Finding:
    """One write-up warning: which check found it, the theme it is about (None: the chapter)."""

    check: str
    theme: str | None
    message: str

    @property
    def key(self) -> str:
        """What ``accept`` names to acknowledge it: ``check:theme`` or just ``check``."""
        return f"{self.check}:{self.theme}" if self.theme else self.check

    def __str__(self) -> str:
        return f"{self.message} [{self.key}]"


def split_accepted(findings: list[Finding], accepted: Iterable[str]) -> tuple[list[Finding], list[Finding], list[str]]:
    """(findings still warnings, findings accepted, accepted entries that match no finding).
    Names compare ignoring case and spaces around the colon and the slashes."""

    def norm(key: str) -> str:
        return "/".join(part.strip() for part in ":".join(p.strip() for p in key.split(":", 1)).split("/")).casefold()

    wanted = {norm(key): key for key in accepted}
    open_, done, used = [], [], set()
    for finding in findings:
        key = norm(finding.key)
        if key in wanted:
            done.append(finding)
            used.add(key)
        else:
            open_.append(finding)
    return open_, done, [original for key, original in wanted.items() if key not in used]


DOMINANT_SHARE = 0.8  # a group giving this share of a theme's quotes ...
GROUP_SHARE = 0.5  # ... while being at most this share of the informants


def walk(sections: Iterable[ChapterSection]) -> Iterator[ChapterSection]:
    """Every section, depth-first."""
    for section in sections:
        yield section
        yield from walk(section.children)


def subtree_quotes(section: ChapterSection) -> list[ChapterQuote]:
    return [quote for s in walk([section]) for quote in s.quotes]


def single_informant(sections: list[ChapterSection], evidence: Mapping[str, set[str]]) -> list[Finding]:
    """Themes whose codings (with their sub-themes') all come from one informant."""
    warnings = []
    for section in walk(sections):
        cases = evidence.get(section.path, set())
        if len(cases) == 1:
            warnings.append(
                Finding(
                    "single-informant",
                    section.path,
                    f"theme {section.path!r} rests on a single informant ({next(iter(cases))}): "
                    "all its codings come from one case",
                )
            )
    return warnings


def never_quoted(sections: list[ChapterSection], cases: Iterable[str]) -> list[Finding]:
    """Informants with a transcript but no quote in the chapter."""
    quoted = {quote.case for section in walk(sections) for quote in section.quotes}
    missing = sorted(set(cases) - quoted)
    if not missing:
        return []
    return [Finding("never-quoted", None, f"{len(missing)} informant(s) never quoted: {', '.join(missing)}")]


def balance(sections: list[ChapterSection], cases: Iterable[str], share: float) -> list[Finding]:
    """Informants giving more than ``share`` of the chapter's quotes (from 8 quotes on), named
    with the informants who give the fewest."""
    counts = Counter(quote.case for section in walk(sections) for quote in section.quotes)
    total = sum(counts.values())
    if total < BALANCE_MIN_QUOTES:
        return []
    heavy = sorted((case for case, n in counts.items() if n / total > share), key=lambda c: (-counts[c], c))
    if not heavy:
        return []
    everyone = {case: counts.get(case, 0) for case in cases} | dict(counts)
    fewest = min(everyone.values())
    light = sorted(case for case, n in everyone.items() if n == fewest)
    given = ", ".join(f"{case} gives {counts[case]} ({counts[case] / total:.0%})" for case in heavy)
    return [
        Finding(
            "balance",
            None,
            f"quotes are uneven across informants ({total} quotes): {given}, more than {share:.0%} each; "
            f"fewest: {', '.join(light)} ({fewest} each)",
        )
    ]


def grouping_keys(cases: Mapping[str, Mapping[str, str]], compare: str | None) -> list[str]:
    """Attributes that split the informants into groups worth comparing.

    The compared attribute when there is one; otherwise every attribute whose values each
    belong to at least two informants and that has between two values and one fewer than the
    number of informants (so ids, dates and job titles are left out).
    """
    if compare:
        return [compare]
    keys = sorted({k for attrs in cases.values() for k in attrs})
    chosen = []
    for key in keys:
        counts = Counter(attrs[key] for attrs in cases.values() if key in attrs)
        if 2 <= len(counts) < len(cases) and min(counts.values()) >= 2:
            chosen.append(key)
    return chosen


def _value(attributes: Mapping[str, str], key: str) -> str | None:
    for k, v in attributes.items():
        if k.casefold() == key.casefold():
            return v
    return None


def over_represented(
    sections: list[ChapterSection], cases: Mapping[str, Mapping[str, str]], keys: list[str]
) -> list[Finding]:
    """Themes where one group gives most of the quotes while being at most half the informants."""
    warnings = []
    for key in keys:
        base = Counter(v for attrs in cases.values() if (v := _value(attrs, key)) is not None)
        total = sum(base.values())
        for section in walk(sections):
            values = [v for q in subtree_quotes(section) if (v := _value(q.attributes, key)) is not None]
            if len(values) < MIN_QUOTES or not total:
                continue
            value, count = sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))[0]
            if count / len(values) >= DOMINANT_SHARE and base[value] / total <= GROUP_SHARE:
                warnings.append(
                    Finding(
                        "over-represented",
                        section.path,
                        f"theme {section.path!r}: {count} of {len(values)} quotes come from {key}={value}"
                        f" ({base[value]} of {total} informants)",
                    )
                )
    return warnings


def without_comment(quotes: Iterable[ChapterQuote]) -> list[Finding]:
    """Quotes that carry no interpretation."""
    ids = [f"#{quote.id}" for quote in quotes if not (quote.comment or "").strip()]
    if not ids:
        return []
    shown = ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
    return [Finding("no-comment", None, f"{len(ids)} selected quote(s) without a comment: {shown}")]

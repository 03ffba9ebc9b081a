"""Write-up checks: things a supervisor or reviewer would ask about, found before they do.

Each check returns one-line warnings. They never stop an export (``--strict`` makes them an error).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from workbench.domain.chapter.render import ChapterQuote, ChapterSection

MIN_QUOTES = 4  # below this, shares say little
DOMINANT_SHARE = 0.8  # a group giving this share of a theme's quotes ...
GROUP_SHARE = 0.5  # ... while being at most this share of the informants


def walk(sections: Iterable[ChapterSection]) -> Iterator[ChapterSection]:
    """Every section, depth-first."""
    for section in sections:
        yield section
        yield from walk(section.children)


def subtree_quotes(section: ChapterSection) -> list[ChapterQuote]:
    return [quote for s in walk([section]) for quote in s.quotes]


def single_informant(sections: list[ChapterSection], evidence: Mapping[str, set[str]]) -> list[str]:
    """Themes whose codings (with their sub-themes') all come from one informant."""
    warnings = []
    for section in walk(sections):
        cases = evidence.get(section.path, set())
        if len(cases) == 1:
            warnings.append(
                f"theme {section.path!r} rests on a single informant ({next(iter(cases))}): all its codings come from one case"
            )
    return warnings


def never_quoted(sections: list[ChapterSection], cases: Iterable[str]) -> list[str]:
    """Informants with a transcript but no quote in the chapter."""
    quoted = {quote.case for section in walk(sections) for quote in section.quotes}
    missing = sorted(set(cases) - quoted)
    if not missing:
        return []
    return [f"{len(missing)} informant(s) never quoted: {', '.join(missing)}"]


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
) -> list[str]:
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
                    f"theme {section.path!r}: {count} of {len(values)} quotes come from {key}={value}"
                    f" ({base[value]} of {total} informants)"
                )
    return warnings


def without_comment(quotes: Iterable[ChapterQuote]) -> list[str]:
    """Quotes that carry no interpretation."""
    ids = [f"#{quote.id}" for quote in quotes if not (quote.comment or "").strip()]
    if not ids:
        return []
    shown = ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
    return [f"{len(ids)} selected quote(s) without a comment: {shown}"]

"""Split transcript text into speaker turns, and build transcripts from timed segments.

The stored text is what the researcher wrote: speaker labels stay in it. A ``Turn`` points at the
spoken words only (``text[turn.start:turn.end]``), so coding a whole turn never codes a label.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from workbench.domain.models import ParsedTranscript, Turn
from workbench.errors import InputError

if TYPE_CHECKING:  # PyYAML is imported when a text has front matter: most have none
    import yaml

# --- speaker labels and timestamps --------------------------------------------------------------

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_TIMESTAMP = re.compile(rf"\[(?P<b>{_TS})\]|\((?P<p>{_TS})\)|(?P<n>{_TS})(?=\s|$)")
_BOLD = re.compile(r"\*\*(?P<name>[^*\n]{1,40}?)(?::\*\*|\*\*[ \t]?:)(?=\s|$)")
_BRACKET = re.compile(r"\[(?P<name>[^\]\[\s]{1,40})\]:?(?=\s|$)")
# Up to the first colon; a colon not followed by a space (10:30, http://) is no label.
_PLAIN_NAME_REST = r"[^:\n]{0,40}?"  # a plain label's name after its first character
_PLAIN_COLON = r"[ \t]?:(?=\s|$)"
_PLAIN = re.compile(rf"(?P<name>[^\W_]{_PLAIN_NAME_REST}){_PLAIN_COLON}")
_WELL_KNOWN = re.compile(
    r"(?:i|r|q|a|ip|int|p)\d{0,3}"
    r"|(?:interviewer|interviewee|respondent|informant|speaker|participant|moderator|facilitator)"
    r"(?:[ ]?\d{1,3}|[ ][a-z])?",
    re.IGNORECASE,
)
# Transcription marks that may open a line in brackets but never name a speaker.
_MARKS = frozenset(
    """inaudible unclear unintelligible incomprehensible indistinct laughs laughter laughing
    laugh pause pauses silence crosstalk overlap overlapping sic sighs sigh coughs cough applause
    music noise interruption interrupted break redacted removed anonymised anonymized name names
    place municipality company organisation organization city town country person""".split()
)

_PARA_BREAK = re.compile(r"\n\s*\n")


class _Label(NamedTuple):
    """A line that opens a turn: where the line starts, who speaks, where the words begin."""

    line_start: int
    name: str
    kind: str  # "plain", "bold" or "bracket"
    content: int
    time: float | None


def _seconds(stamp: str) -> float | None:
    """``01:02:03.5`` -> 3723.5; None when the minutes or seconds are out of range."""
    fraction = 0.0
    match = re.search(r"[.,](\d+)$", stamp)
    if match:
        fraction = float("0." + match.group(1))
        stamp = stamp[: match.start()]
    parts = [int(p) for p in stamp.split(":")]
    if parts[-1] >= 60 or (len(parts) == 3 and parts[1] >= 60):
        return None
    value = 0
    for part in parts:
        value = value * 60 + part
    return value + fraction


def _timestamp_at(line: str, pos: int, after_label: bool) -> tuple[float, int] | None:
    """A timestamp starting at ``pos``: (seconds, end) or None."""
    match = _TIMESTAMP.match(line, pos)
    if not match:
        return None
    bare = match.group("n")
    # After a label a bare "10:30" is more likely speech ("at 10:30 we ...") than a timestamp.
    if bare is not None and after_label and bare.count(":") < 2:
        return None
    seconds = _seconds(match.group("b") or match.group("p") or bare)
    return None if seconds is None else (seconds, match.end())


# Every character a letter, a digit (``[^\W_]`` is what ``str.isalnum`` accepts) or one of " .'’-".
_NAME_CHARACTERS = re.compile(r"(?:[^\W_]|[ .'’-]){1,40}")


def _is_name(name: str) -> bool:
    """A plausible speaker name: 1-4 words of letters, digits and . ' - (at most 40 chars)."""
    return (
        _NAME_CHARACTERS.fullmatch(name) is not None
        # a letter somewhere: nearly always the first character, so that is looked at first
        and (name[0].isalpha() or any(ch.isalpha() for ch in name))
        and 1 <= len(name.split()) <= 4
    )


def _is_bracket_id(name: str) -> bool:
    """``[id1]``-style ids; ``[...]``, ``[?]`` and marks like ``[laughs]`` are not speakers."""
    return (
        all(ch.isalnum() or ch in "._-'" for ch in name)
        and any(ch.isalpha() for ch in name)
        and name.strip(".").lower() not in _MARKS
    )


def _label_at(line: str, pos: int) -> tuple[str, str, int] | None:
    """A speaker label starting at ``pos``: (name, kind, end) or None."""
    # Each form has its own first character (``*``, ``[``, a letter or digit), so only one of
    # the three can match: try just that one.
    first = line[pos : pos + 1]
    if first == "*":
        match = _BOLD.match(line, pos)
        if match and _is_name(match.group("name").strip()):
            return match.group("name").strip(), "bold", match.end()
    elif first == "[":
        match = _BRACKET.match(line, pos)
        if match and _is_bracket_id(match.group("name")):
            return match.group("name"), "bracket", match.end()
    else:
        match = _PLAIN.match(line, pos)
        if match and _is_name(match.group("name").strip()):
            return match.group("name").strip(), "plain", match.end()
    return None


def _skip_blanks(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in " \t":
        pos += 1
    return pos


def _scan_line(line: str, offset: int) -> _Label | None:
    """Read ``[time] Label: [time] words`` at the start of one line."""
    pos = _skip_blanks(line, 0)
    time = None
    stamp = _timestamp_at(line, pos, after_label=False)
    if stamp:
        time, pos = stamp[0], _skip_blanks(line, stamp[1])
    label = _label_at(line, pos)
    if label is None:
        return None
    name, kind, pos = label
    pos = _skip_blanks(line, pos)
    if time is None:
        stamp = _timestamp_at(line, pos, after_label=True)
        if stamp:
            time, pos = stamp[0], _skip_blanks(line, stamp[1])
    return _Label(offset, name, kind, offset + pos, time)


# The common label line, ``Name: words`` without a timestamp, read by one regular expression:
# ``_PLAIN`` after the line's blanks, and the blanks after the colon. Its name starts with a word
# character that is not a digit, where neither a timestamp nor a bold or bracketed label can.
_PLAIN_LINE = re.compile(rf"[ \t]*(?P<name>[^\W\d_]{_PLAIN_NAME_REST}){_PLAIN_COLON}[ \t]*")


def _candidates(text: str) -> list[_Label]:
    """Every line that looks like it opens a turn, before deciding which ones really do.

    Only lines (as ``text.split("\\n")`` gives them) that hold a ':' or a ']' are looked at:
    every label ends in one (and a timestamp in front of one has a colon), so no other line can
    open a turn. They are found with ``str.find`` from those characters, not line by line: most
    lines of a hard-wrapped turn hold neither and are never looked at from Python. A line is
    read in place (the common ``Name: words`` by one match within its bounds), and cut out of
    the text only for the other forms of label."""
    found: list[_Label] = []
    # A transcript names few speakers on thousands of lines: each name as written is judged
    # once (its label's name, or "" for no name), not on every line that opens with it.
    names: dict[str, str] = {}
    plain_line, find, size, new = _PLAIN_LINE.match, text.find, len(text), tuple.__new__
    colon, bracket = find(":"), find("]")
    while colon != -1 or bracket != -1:
        at = colon if bracket == -1 or (colon != -1 and colon < bracket) else bracket
        start = text.rfind("\n", 0, at) + 1
        end = find("\n", at)
        if end == -1:
            end = size
        match = plain_line(text, start, end)
        if match is not None and not _may_open_timestamp(text, content := match.end()):
            written = match.group(1)
            name = names.get(written)
            if name is None:
                name = names[written] = _plain_name(written)
            if name:
                found.append(new(_Label, (start, name, "plain", content, None)))  # as _Label(...), quicker
        else:
            label = _scan_line(text[start:end], start)  # another form of label, or a time after it
            if label is not None:
                found.append(label)
        if colon != -1 and colon < end:
            colon = find(":", end)
        if bracket != -1 and bracket < end:
            bracket = find("]", end)
    return found


def _may_open_timestamp(text: str, pos: int) -> bool:
    """Whether ``_TIMESTAMP`` could match at ``pos``: only at ``[``, ``(`` or a digit (at the end
    of a line, ``pos`` is its newline or the end of the text: no)."""
    first = text[pos : pos + 1]
    return bool(first) and (first in "[(" or first.isdecimal())


def _plain_name(written: str) -> str:
    """The name ``_scan_line`` reads from a plain label's name as ``_PLAIN_LINE`` matched it,
    or "" when it is no name."""
    name = written.strip()
    return name if _is_name(name) else ""


def _accepted(candidates: list[_Label]) -> list[_Label]:
    """Keep labels that are clearly speakers.

    A plain ``Word:`` must start lines at least twice or be a well-known form, so that a single
    "Note: ..." in running text does not become a speaker.
    """
    counts = Counter(label.name for label in candidates)
    well_known = {name: _WELL_KNOWN.fullmatch(name) is not None for name in counts}
    kept = []
    for label in candidates:
        known = well_known[label.name]
        if label.kind == "bold":
            ok = True
        elif label.kind == "bracket":
            ok = known or counts[label.name] >= 2 or any(ch.isdigit() for ch in label.name)
        else:
            ok = known or counts[label.name] >= 2
        if ok:
            kept.append(label)
    return kept


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraph_turns(text: str, start: int, end: int) -> list[Turn]:
    """Unlabelled text: one speaker-less turn per blank-line separated paragraph."""
    turns = []
    for match in _PARA_BREAK.finditer(text, start, end):
        turns.extend(_one_paragraph(text, start, match.start()))
        start = match.end()
    turns.extend(_one_paragraph(text, start, end))
    return turns


def _one_paragraph(text: str, start: int, end: int) -> list[Turn]:
    start, end = _trim(text, start, end)
    return [Turn(None, start, end)] if start < end else []


def split_turns(text: str) -> list[Turn]:
    """The turns of ``text`` (no front matter): labelled turns, else one per paragraph."""
    labels = _accepted(_candidates(text))
    first = labels[0].line_start if labels else len(text)
    turns = _paragraph_turns(text, 0, first)
    stops = [label.line_start for label in labels[1:]]
    stops.append(len(text))
    # Thousands of turns in a long interview: each turn's words trimmed in place (the loop of
    # ``_trim``, inline), and each turn made by ``tuple.__new__``, as ``Turn(...)`` makes it but
    # without the named tuple's own ``__new__`` in Python (half the time of a turn's making).
    new = tuple.__new__
    for (_line, name, _kind, start, time), stop in zip(labels, stops):
        end = stop
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:  # a label with no words after it opens no turn
            turns.append(new(Turn, (name, start, end, time, None)))
    return turns


# --- front matter -------------------------------------------------------------------------------

_OPEN_FENCE = re.compile(r"---[ \t]*")
_CLOSE_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_NULL_TAG = "tag:yaml.org,2002:null"


def split_front_matter(text: str, source: str = "<text>") -> tuple[dict[str, str], str]:
    """Split YAML front matter (between a first line ``---`` and a closing ``---``) from the text.

    Returns ``(attributes, rest)``; without front matter the text comes back unchanged. Values
    are kept as written (``yes`` stays "yes", dates stay as typed); a list becomes "a, b".
    """
    first_newline = text.find("\n")
    if first_newline == -1 or not _OPEN_FENCE.fullmatch(text[:first_newline]):
        return {}, text
    pos = first_newline + 1
    while pos <= len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline == -1 else newline
        if _CLOSE_FENCE.fullmatch(text[pos:end]):
            attributes = _attributes(text[first_newline + 1 : pos], source)
            return attributes, ("" if newline == -1 else text[newline + 1 :])
        if newline == -1:
            break
        pos = newline + 1
    return {}, text  # an opening rule without a closing one is just text


def _attributes(block: str, source: str) -> dict[str, str]:
    """Read the front matter block (its first line is line 2 of the file)."""
    import yaml  # here, not above: an import of files without front matter need not load it

    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        # At the end of the block (an unclosed bracket) the opening point says more.
        if context is not None and (mark is None or mark.line >= block.count("\n")):
            mark = context
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 2 if mark is not None else 1
        problem = " ".join(str(problem).split())
        raise InputError(f"front matter is not valid YAML: {problem}", f"{source}:{line}") from None
    except RecursionError:
        raise InputError("front matter is nested too deeply", f"{source}:1") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 2
        raise InputError("front matter must be 'key: value' lines", f"{source}:{line}")
    attributes: dict[str, str] = {}
    for key_node, value_node in node.value:
        where = f"{source}:{key_node.start_mark.line + 2}"
        if not isinstance(key_node, yaml.ScalarNode) or not key_node.value.strip():
            raise InputError("front matter key must be a plain name", where)
        key = key_node.value.strip()
        if key in attributes:
            raise InputError(f"front matter key '{key}' is given twice", where)
        attributes[key] = _attribute_value(key, value_node, where)
    return attributes


def _attribute_value(key: str, node: yaml.Node, where: str) -> str:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag == _NULL_TAG else node.value
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return ", ".join(item.value for item in node.value if item.tag != _NULL_TAG)
    raise InputError(f"front matter '{key}' must be a single value or a list", where)


def parse_plain_text(text: str, fmt: str, source: str = "<text>") -> ParsedTranscript:
    """Parse a plain-text or Markdown transcript into text, turns and attributes.

    The stored text is ``text`` after any front matter, otherwise unchanged. Raises
    ``InputError`` (with ``source:line``) only for front matter that cannot be read.
    """
    attributes, body = split_front_matter(text, source)
    return ParsedTranscript(text=body, turns=split_turns(body), format=fmt, attributes=attributes)

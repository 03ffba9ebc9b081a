"""Case attributes from a YAML or CSV file (``--cases FILE``).

YAML: a mapping from transcript name (file stem) to a mapping of attributes::

    informant_7: {informant: 7, role: IT strategist, size: smaller, cluster: B}

CSV: a ``transcript`` column and one column per attribute. In both, an optional ``case``
attribute lets several transcripts share one case (e.g. two interviews with one informant).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType

from workbench.errors import InputError
from workbench.interop import decode
from workbench.interop.files import read_user_file
from workbench.interop.plain_cases import read_plain_cases

CasesByTranscript = dict[str, dict[str, str]]


def read_cases_file(path: Path, warnings: list[str] | None = None) -> CasesByTranscript:
    """Read a cases file into {transcript name: {attribute: value}}; values are strings.

    When ``warnings`` is given, a warning about control characters in the attributes (raw, or
    brought by YAML escapes) is added to it.
    """
    data = read_user_file(path, "cases", decode.MAX_TRANSCRIPT_BYTES)
    text, _warnings = decode.decode_bytes(data, str(path))
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        cases = _read_yaml(text, str(path))
    elif suffix == ".csv":
        cases = _read_csv(text, str(path))
    else:
        raise InputError("cases file must be .yaml, .yml or .csv", where=str(path))
    if warnings is not None:
        if warning := decode.attribute_warning(cases.values(), str(path), "case attributes"):
            warnings.append(warning)
    return cases


def attribute_value(value: object) -> str:
    """How an attribute value from YAML is stored: a plain string."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def _read_yaml(text: str, source: str) -> CasesByTranscript:
    plain = read_plain_cases(text)  # the common shape, without importing PyYAML
    if plain is not None:
        return plain
    import yaml

    # libyaml composes some ten times faster than PyYAML's pure-Python parser, but it words its
    # errors differently, puts some marks on other lines, accepts a few things PyYAML refuses
    # (tabs, a byte-order mark inside the text, odd block scalars) and resolves a bare `!` tag
    # another way. So it reads only text without those characters, and whatever fails that way is
    # read again the pure-Python way: a refusal keeps the reason and line it has always had.
    fast_loader = _libyaml_loader(yaml)
    if fast_loader is not None and not any(ch in text for ch in _SLOW_PATH_CHARS):
        try:
            return _read_yaml_with(text, source, fast_loader)
        except Exception:  # noqa: BLE001 - not swallowed: the pure-Python reading below decides
            pass
    try:
        return _read_yaml_with(text, source, yaml.SafeLoader)
    except RecursionError:
        raise InputError("cases file is nested too deeply", where=source) from None


def _libyaml_loader(yaml: ModuleType) -> type | None:
    """PyYAML's safe loader on libyaml, when PyYAML was built with it."""
    return yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else None


_SLOW_PATH_CHARS = "\t!\ufeff"  # three quick searches: a pattern of them took 0.4 ms to compile


def _read_yaml_with(text: str, source: str, loader: type) -> CasesByTranscript:
    import yaml

    try:
        root = yaml.compose(text, Loader=loader)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', exc)})", where=where) from None
    if root is None:
        raise InputError("cases file is empty", where=source)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            "expected a mapping from transcript name to attributes", where=f"{source}:{root.start_mark.line + 1}"
        )
    constructor = yaml.SafeLoader("")  # turns each case's node into Python values, as safe_load would
    cases: CasesByTranscript = {}
    for key_node, value_node in root.value:
        line = f"{source}:{key_node.start_mark.line + 1}"
        name = str(key_node.value).strip()
        if not name:
            raise InputError("empty transcript name", where=line)
        if name in cases:
            raise InputError(f"transcript {name!r} is listed twice", where=line)
        if not isinstance(value_node, yaml.MappingNode):
            raise InputError(f"attributes of {name!r} must be a mapping (key: value)", where=line)
        try:
            values = constructor.construct_document(value_node) or {}
        except (yaml.YAMLError, ValueError, TypeError) as exc:  # unknown tags, !!float abc, list keys
            reason = " ".join(str(getattr(exc, "problem", None) or exc).split())[:100]
            raise InputError(f"attributes of {name!r} cannot be read ({reason})", where=line) from None
        if not isinstance(values, dict):
            raise InputError(f"attributes of {name!r} must be a mapping (key: value)", where=line)
        attrs = {}
        for attr, value in values.items():
            if isinstance(value, (dict, list)) or value is None:
                raise InputError(f"attribute {attr!r} of {name!r} must be a single value", where=line)
            attrs[str(attr).strip()] = attribute_value(value)
        cases[name] = attrs
    return cases


def _read_csv(text: str, source: str) -> CasesByTranscript:
    import csv  # here, not above: most cases files are YAML
    import io

    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError("cases file is empty", where=source) from None
    lowered = [h.casefold() for h in header]
    if "transcript" not in lowered:
        raise InputError("needs a 'transcript' column", where=f"{source}:1")
    if len(set(lowered)) != len(lowered):
        raise InputError("a column name is repeated", where=f"{source}:1")
    name_col = lowered.index("transcript")
    cases: CasesByTranscript = {}
    for row in reader:
        line = f"{source}:{reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"expected {len(header)} columns, found {len(row)}", where=line)
        name = row[name_col].strip()
        if not name:
            raise InputError("empty transcript name", where=line)
        if name in cases:
            raise InputError(f"transcript {name!r} is listed twice", where=line)
        cases[name] = {header[i]: cell.strip() for i, cell in enumerate(row) if i != name_col and cell.strip()}
    return cases

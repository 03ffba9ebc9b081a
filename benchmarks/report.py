"""The table benchmarks/run.py prints: every figure with its unit and, where the project has one,
its budget and whether it is met."""

from __future__ import annotations

from collections.abc import Callable

#: Keys pressed in the pseudo-terminal, in the order of the table, with what the reader calls them.
KEY_NAMES = {
    "cursor_down": "cursor down",
    "page_down": "page down",
    "extend_selection": "extend selection (shift+right)",
    "apply_theme": "apply a theme (1)",
    "undo": "undo (u)",
    "remove_coding": "remove a coding (x)",
    "board_cursor_down": "quote board: move (down)",
    "board_reorder": "quote board: reorder (shift+down/up)",
    "board_select": "quote board: select (space)",
    "board_filter": "quote board: filter by attribute (f)",
    "switch_transcript": "switch transcript (o, enter)",
}

FRAME_MS = 16.0

#: Keys whose budget is not one frame: a filter or a transcript switch lays out a new view, and
#: the project's budget for those is a p99 under 100 ms.
KEY_BUDGET_MS = {"board_filter": 100.0, "switch_transcript": 100.0}


def key_budget_ms(key: str) -> float:
    """The complete-update p99 budget of a key in ``KEY_NAMES``, in ms."""
    return KEY_BUDGET_MS.get(key, FRAME_MS)


#: (key, budget text, test) for single figures; keystrokes are checked separately
BUDGETS: list[tuple[str, str, Callable[[float], bool]]] = [
    ("first_paint_seconds", "< 0.5 s", lambda v: v < 0.5),
    ("cursor_down_bytes", "< 2 KB", lambda v: v < 2048),
    ("page_down_bytes", "< 12 KB", lambda v: v < 12 * 1024),
    ("chapter_export_seconds", "< 0.5 s", lambda v: v < 0.5),
    ("peak_rss_mb", "< 200 MB", lambda v: v < 200),
    *[
        (f"{name}_seconds", "< 1 s", lambda v: v < 1.0)
        for name in (
            "stats",
            "stats_by_size",
            "matrix_theme_case",
            "matrix_theme_size",
            "cooccurrence_span",
            "cooccurrence_turn",
            "coverage",
            "agreement_char",
            "agreement_turn",
            "agreement_char_one_theme",
        )
    ],
    *[
        (f"{name}_ratio_ours_over_peer", "<= 0.1 (10x faster)", lambda v: v <= 0.1)
        for name in ("import", "code_counts", "matrix", "crosstab")
    ],
]


def verdict(key: str, value: float) -> tuple[str, str]:
    """(budget, "met"/"MISSED") for a figure that has a budget, else ("", "")."""
    for name, text, test in BUDGETS:
        if name == key:
            return text, "met" if test(value) else "MISSED"
    return "", ""


def _line(label: str, value: object, unit: str, key: str = "") -> str:
    budget, state = verdict(key, value) if isinstance(value, (int, float)) else ("", "")
    if isinstance(value, (int, float)):
        shown = f"{value:,.0f}" if abs(value) >= 1000 or unit in ("bytes", "MB") else f"{value:,.3f}"
    else:
        shown = str(value)
    return f"  {label:<44} {shown:>12} {unit:<10} {budget:<20} {state}"


def table(r: dict) -> str:
    """The whole report as text."""
    out = [
        f"workbench benchmarks, scale {r['scale']}: {r['transcripts']} interviews of ~{r['words_per_transcript']:,} "
        f"words + one of {r['long_transcript_chars']:,} characters; {r['themes']} themes; "
        f"{r['codings']:,} codings by two coders; 8 case attributes",
        f"machine: {r['cpus']} CPUs, load average {r['load_before']:.2f} before and {r['load_after']:.2f} after "
        f"(above ~1 the machine was busy with other work: wall times include waiting for a CPU)",
        "",
    ]
    out.append("Start")
    out.append(_line("workbench --help (pty, median)", r["help_seconds"], "s"))
    out.append(
        _line("cold start to first painted screen (median)", r["first_paint_seconds"], "s", "first_paint_seconds")
    )
    out.append(_line("  slowest of the cold starts", r["first_paint_seconds_max"], "s"))
    out.append(_line("  ready: quote board filled, idle (median)", r["ready_seconds"], "s"))
    if "alone_first_paint_seconds" in r:
        out.append(_line("  the 300k transcript alone in a study", r["alone_first_paint_seconds"], "s"))
        out.append(_line("  the 300k transcript alone: ready", r["alone_ready_seconds"], "s"))
    out.append("")
    out += _key_table(
        r,
        "",
        f"Keystrokes on the {r['long_transcript_chars']:,}-character transcript "
        f"({r['long_transcript_codings']:,} codings) in the study of {r['codings']:,} codings",
    )
    if "alone_cursor_down_p99_ms" in r:
        out += _key_table(r, "alone_", "The same transcript alone in its study (2,000 codings on the quote board)")
    out.append("Bytes to the terminal (120x34, median)")
    out.append(_line("per cursor down", r["cursor_down_bytes"], "bytes", "cursor_down_bytes"))
    out.append(_line("per page down", r["page_down_bytes"], "bytes", "page_down_bytes"))
    out.append("")
    out.append("Memory")
    out.append(_line("TUI peak RSS, study open on the long transcript", r["peak_rss_mb"], "MB", "peak_rss_mb"))
    out.append(_line("TUI peak RSS after all the keys", r["peak_rss_end_mb"], "MB"))
    out.append("")
    out.append("Core (in-process, median wall time)")
    out.append(_line(f"import {r['transcripts']} transcripts ({r['import_words']:,} words)", r["import_seconds"], "s"))
    out.append(_line("import throughput", r["import_words_per_second"], "words/s"))
    out.append(_line(f"store {r['codings']:,} codings (code_many)", r["code_many_codings_per_second"], "codings/s"))
    out.append(
        _line(
            f"chapter export, {r['chapter_quotes']:,} selected quotes",
            r["chapter_export_seconds"],
            "s",
            "chapter_export_seconds",
        )
    )
    for key, label in (
        ("stats", "stats"),
        ("stats_by_size", "stats --by size"),
        ("matrix_theme_case", "matrix theme x case"),
        ("matrix_theme_size", "matrix theme x size"),
        ("cooccurrence_span", "co-occurrence by span"),
        ("cooccurrence_turn", "co-occurrence by turn"),
        ("coverage", "coverage"),
        ("agreement_char", "agreement by character (2 coders)"),
        ("agreement_turn", "agreement by turn"),
        ("agreement_char_one_theme", "agreement, one theme"),
    ):
        out.append(_line(label, r[f"{key}_seconds"], "s", f"{key}_seconds"))
    out.append("")
    out += _peer_table(r)
    return "\n".join(out)


def _key_table(r: dict, prefix: str, title: str) -> list[str]:
    out = [
        title,
        "  complete = last byte before the output goes quiet with the program idle; cpu = the program's own",
        "  CPU time for the key (from /proc/PID/task/*/schedstat); budget: complete p99 < 16 ms (one frame),",
        "  < 100 ms for a filter and a transcript switch",
        f"  {'key':<38} {'first byte ms':>15} {'complete ms':>17} {'cpu ms':>15} {'bytes':>8} {'n':>4}  budget",
        f"  {'':<38} {'median':>7} {'p99':>7} {'median':>8} {'p99':>8} {'median':>7} {'p99':>7}",
    ]
    for key, name in KEY_NAMES.items():
        k = f"{prefix}{key}"
        if f"{k}_p99_ms" not in r:
            if r.get(f"{k}_samples"):  # pressed, but the screen never changed: not a figure
                out.append(f"  {name:<38} not measured: none of {r[f'{k}_samples']} presses changed the screen")
            continue
        budget = key_budget_ms(key)
        state = "met" if r[f"{k}_p99_ms"] < budget else "MISSED"
        state += f" (first byte {'met' if r[f'{k}_first_byte_p99_ms'] < budget else 'missed'})"
        if r.get(f"{k}_silent_samples"):
            state += f"; {r[f'{k}_silent_samples']} of the {r[f'{k}_samples']} changed nothing"
        out.append(
            f"  {name:<38} {r[f'{k}_first_byte_median_ms']:7.1f} {r[f'{k}_first_byte_p99_ms']:7.1f} "
            f"{r[f'{k}_median_ms']:8.1f} {r[f'{k}_p99_ms']:8.1f} {r[f'{k}_cpu_median_ms']:7.1f} "
            f"{r[f'{k}_cpu_p99_ms']:7.1f} {r[f'{k}_bytes']:8,.0f} {r[f'{k}_samples']:4d}  {state}"
        )
    out.append("")
    return out


def _peer_table(r: dict) -> list[str]:
    out = [
        f"Side by side with qc {r.get('peer_version', '')} (wall time of each command, process start included; "
        "ratio = ours / theirs)"
    ]
    if r.get("peer_status") != "ok":
        out.append(f"  not run: {r.get('peer_status')}")
        return out
    out.append(
        f"  qc holds the {r['peer_codings']:,} interview codings as {r['peer_coded_lines']:,} coded lines "
        f"(stored in {r['peer_coding_seconds']:.0f} s through qc's own update_coded_lines)"
    )
    out.append(f"  {'':<30} {'commands (process start included)':^34}  {'in process':^27}")
    out.append(f"  {'':<30} {'ours s':>9} {'qc s':>9} {'ratio':>7} {'':7} {'ours s':>9} {'qc s':>9} {'ratio':>7}")
    for key, label in (
        ("import", "import the interviews"),
        ("code_counts", "code counts (stats)"),
        ("matrix", "theme x document counts"),
        ("crosstab", "crosstab (co-occurrence)"),
        ("startup", "--help (start-up alone)"),
    ):
        ratio = r[f"{key}_ratio_ours_over_peer"]
        budget, state = verdict(f"{key}_ratio_ours_over_peer", ratio)
        line = f"  {label:<30} {r[f'{key}_ours_seconds']:9.3f} {r[f'{key}_peer_seconds']:9.3f} {ratio:7.3f} {state:7}"
        if f"{key}_peer_inprocess_seconds" in r:
            inproc = r[f"{key}_inprocess_ratio_ours_over_peer"]
            ours = inproc * r[f"{key}_peer_inprocess_seconds"]
            line += (
                f" {ours:9.3f} {r[f'{key}_peer_inprocess_seconds']:9.3f} {inproc:7.3f} "
                f"{'met' if inproc <= 0.1 else 'MISSED'}"
            )
        out.append(line)
    out.append("  budget: ratio <= 0.1 (at least 10x faster); in process: the workbench's core call vs qc's")
    return out

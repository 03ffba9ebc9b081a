"""The researcher's cuts, shown differently from the transcript's own anonymisation marks.

An elided quote marks each cut with ``[...]``; a transcript may hold ``[...]`` itself, where a
name was removed before coding. In the chapter a cut is shown as the settings' ``cut_mark``
(``[…]`` by default, one ellipsis character), the transcript's own ``[...]`` as it is, so a reader
can tell the two apart. ``verify`` reads the cut mark back from the chapter's settings.
"""

from __future__ import annotations

from workbench.domain.elision import ELISION

DEFAULT_CUT_MARK = "[…]"
_CONTEXT = 20  # characters on each side that tell a transcript's own mark from a cut


def _collapse(text: str) -> str:
    return " ".join(text.split())


def mark_cuts(elided: str, passage: str, cut_mark: str) -> str:
    """``elided`` with each of the researcher's cuts shown as ``cut_mark``; a ``[...]`` that the
    passage itself has at that place (the text on both sides of it matches) is kept."""
    if cut_mark == ELISION or ELISION not in elided:
        return elided
    pieces = elided.split(ELISION)
    whole = _collapse(passage)
    out = [pieces[0]]
    for before, after in zip(pieces, pieces[1:], strict=False):
        around = _collapse(before[-_CONTEXT:] + ELISION + after[:_CONTEXT])
        out.append(ELISION if around in whole else cut_mark)
        out.append(after)
    return "".join(out)


def unmark_cuts(shown: str, cut_mark: str) -> str:
    """A quote read back from a chapter with its cuts as ``[...]`` again (for comparing)."""
    return shown if cut_mark == ELISION else shown.replace(cut_mark, ELISION)

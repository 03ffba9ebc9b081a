"""Figure files: an SVG as written, or the same drawing as PNG through the optional CairoSVG.

PNG needs ``pip install 'workbench[figures]'`` (CairoSVG and the Cairo library it binds); the SVG
needs nothing beyond the standard library. Both are written atomically.
"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.interop.files import write_atomically

PNG_SCALE = 2  # twice the SVG's size in pixels: sharp enough for print at a column's width


def write_svg(path: Path, svg: str) -> None:
    """Write the SVG text as UTF-8."""
    write_atomically(path, svg.encode("utf-8"))


def png_bytes(svg: str) -> bytes:
    """The SVG drawn as PNG; a one-line error when the figures extra is not installed."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: CairoSVG installed, the Cairo library missing
        raise WorkbenchError(
            f"PNG figures need the optional figures extra: pip install 'workbench[figures]' ({exc})"
        ) from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=PNG_SCALE, unsafe=False)


def write_png(path: Path, svg: str) -> None:
    """Write the SVG drawn as PNG."""
    write_atomically(path, png_bytes(svg))

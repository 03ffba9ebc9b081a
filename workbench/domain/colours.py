"""Theme colours: CSS named colours, normalisation to '#rrggbb', a palette that stays distinct, and
the perceptual arithmetic behind it (OKLab distances, simulated colour-vision deficiencies, contrast).

Pure Python: the few hundred distances a codebook needs cost well under a millisecond each.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# The CSS Color Module Level 4 named colours (the X11 set plus "rebeccapurple").
NAMED_COLOURS: dict[str, str] = {
    "aliceblue": "#f0f8ff",
    "antiquewhite": "#faebd7",
    "aqua": "#00ffff",
    "aquamarine": "#7fffd4",
    "azure": "#f0ffff",
    "beige": "#f5f5dc",
    "bisque": "#ffe4c4",
    "black": "#000000",
    "blanchedalmond": "#ffebcd",
    "blue": "#0000ff",
    "blueviolet": "#8a2be2",
    "brown": "#a52a2a",
    "burlywood": "#deb887",
    "cadetblue": "#5f9ea0",
    "chartreuse": "#7fff00",
    "chocolate": "#d2691e",
    "coral": "#ff7f50",
    "cornflowerblue": "#6495ed",
    "cornsilk": "#fff8dc",
    "crimson": "#dc143c",
    "cyan": "#00ffff",
    "darkblue": "#00008b",
    "darkcyan": "#008b8b",
    "darkgoldenrod": "#b8860b",
    "darkgray": "#a9a9a9",
    "darkgreen": "#006400",
    "darkgrey": "#a9a9a9",
    "darkkhaki": "#bdb76b",
    "darkmagenta": "#8b008b",
    "darkolivegreen": "#556b2f",
    "darkorange": "#ff8c00",
    "darkorchid": "#9932cc",
    "darkred": "#8b0000",
    "darksalmon": "#e9967a",
    "darkseagreen": "#8fbc8f",
    "darkslateblue": "#483d8b",
    "darkslategray": "#2f4f4f",
    "darkslategrey": "#2f4f4f",
    "darkturquoise": "#00ced1",
    "darkviolet": "#9400d3",
    "deeppink": "#ff1493",
    "deepskyblue": "#00bfff",
    "dimgray": "#696969",
    "dimgrey": "#696969",
    "dodgerblue": "#1e90ff",
    "firebrick": "#b22222",
    "floralwhite": "#fffaf0",
    "forestgreen": "#228b22",
    "fuchsia": "#ff00ff",
    "gainsboro": "#dcdcdc",
    "ghostwhite": "#f8f8ff",
    "gold": "#ffd700",
    "goldenrod": "#daa520",
    "gray": "#808080",
    "green": "#008000",
    "greenyellow": "#adff2f",
    "grey": "#808080",
    "honeydew": "#f0fff0",
    "hotpink": "#ff69b4",
    "indianred": "#cd5c5c",
    "indigo": "#4b0082",
    "ivory": "#fffff0",
    "khaki": "#f0e68c",
    "lavender": "#e6e6fa",
    "lavenderblush": "#fff0f5",
    "lawngreen": "#7cfc00",
    "lemonchiffon": "#fffacd",
    "lightblue": "#add8e6",
    "lightcoral": "#f08080",
    "lightcyan": "#e0ffff",
    "lightgoldenrodyellow": "#fafad2",
    "lightgray": "#d3d3d3",
    "lightgreen": "#90ee90",
    "lightgrey": "#d3d3d3",
    "lightpink": "#ffb6c1",
    "lightsalmon": "#ffa07a",
    "lightseagreen": "#20b2aa",
    "lightskyblue": "#87cefa",
    "lightslategray": "#778899",
    "lightslategrey": "#778899",
    "lightsteelblue": "#b0c4de",
    "lightyellow": "#ffffe0",
    "lime": "#00ff00",
    "limegreen": "#32cd32",
    "linen": "#faf0e6",
    "magenta": "#ff00ff",
    "maroon": "#800000",
    "mediumaquamarine": "#66cdaa",
    "mediumblue": "#0000cd",
    "mediumorchid": "#ba55d3",
    "mediumpurple": "#9370db",
    "mediumseagreen": "#3cb371",
    "mediumslateblue": "#7b68ee",
    "mediumspringgreen": "#00fa9a",
    "mediumturquoise": "#48d1cc",
    "mediumvioletred": "#c71585",
    "midnightblue": "#191970",
    "mintcream": "#f5fffa",
    "mistyrose": "#ffe4e1",
    "moccasin": "#ffe4b5",
    "navajowhite": "#ffdead",
    "navy": "#000080",
    "oldlace": "#fdf5e6",
    "olive": "#808000",
    "olivedrab": "#6b8e23",
    "orange": "#ffa500",
    "orangered": "#ff4500",
    "orchid": "#da70d6",
    "palegoldenrod": "#eee8aa",
    "palegreen": "#98fb98",
    "paleturquoise": "#afeeee",
    "palevioletred": "#db7093",
    "papayawhip": "#ffefd5",
    "peachpuff": "#ffdab9",
    "peru": "#cd853f",
    "pink": "#ffc0cb",
    "plum": "#dda0dd",
    "powderblue": "#b0e0e6",
    "purple": "#800080",
    "rebeccapurple": "#663399",
    "red": "#ff0000",
    "rosybrown": "#bc8f8f",
    "royalblue": "#4169e1",
    "saddlebrown": "#8b4513",
    "salmon": "#fa8072",
    "sandybrown": "#f4a460",
    "seagreen": "#2e8b57",
    "seashell": "#fff5ee",
    "sienna": "#a0522d",
    "silver": "#c0c0c0",
    "skyblue": "#87ceeb",
    "slateblue": "#6a5acd",
    "slategray": "#708090",
    "slategrey": "#708090",
    "snow": "#fffafa",
    "springgreen": "#00ff7f",
    "steelblue": "#4682b4",
    "tan": "#d2b48c",
    "teal": "#008080",
    "thistle": "#d8bfd8",
    "tomato": "#ff6347",
    "turquoise": "#40e0d0",
    "violet": "#ee82ee",
    "wheat": "#f5deb3",
    "white": "#ffffff",
    "whitesmoke": "#f5f5f5",
    "yellow": "#ffff00",
    "yellowgreen": "#9acd32",
}

# The colours a theme gets when its codebook gives none. They were chosen by a greedy
# farthest-point search over OKLab: each was the colour of its lightness band farthest from all
# before it, counting both normal vision and simulated deuteranopia and protanopia (the common
# red-green deficiencies). Every colour has a relative luminance of 0.10-0.30, so it keeps about
# 3:1 contrast against both black and white (swatches and gutter marks stay visible in light and
# dark UI themes). Measured (tests/test_colours.py prints the figures): any two of the 24 differ by
# at least 8 OKLab units (x100) for normal vision, and the first 8 by at least 7.5 also for deutans
# and protans. They are listed in the order pick_colour hands them out to a codebook of top-level
# themes.
DEFAULT_PALETTE: tuple[str, ...] = (
    "#3074c1",  # blue
    "#db1643",  # crimson
    "#ba73fb",  # lilac
    "#0fa974",  # green
    "#8d6e74",  # mauve grey
    "#d6710b",  # orange
    "#6936e3",  # indigo
    "#cc25b2",  # magenta
    "#5a600d",  # olive
    "#7c95c7",  # steel blue
    "#a32272",  # plum
    "#e865af",  # pink
    "#695290",  # dusk purple
    "#756bf5",  # periwinkle
    "#18804d",  # forest green
    "#8e964b",  # moss
    "#3f9294",  # teal
    "#f66370",  # coral
    "#872fb2",  # violet
    "#1995ea",  # sky
    "#4b718b",  # slate
    "#b7291b",  # brick
    "#9b53d9",  # amethyst
    "#b3575c",  # rose brown
)

#: OKLab distance (x100) below which two colours count as the same to the eye (about a just
#: noticeable difference); a codebook with two such colours gets a warning.
SAME_COLOUR = 2.0
#: OKLab distance (x100) from every colour in use above which a new colour is "clearly distinct";
#: among such colours a new theme gets the one farthest from its siblings and parent.
CLEARLY_DISTINCT = 6.0

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def normalise_colour(value: object) -> str | None:
    """Return ``value`` as lowercase ``'#rrggbb'``, or None if it is not a colour.

    Accepts ``'#rgb'``, ``'#rrggbb'`` and CSS colour names in any case; surrounding
    whitespace is ignored.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _HEX.fullmatch(text):
        digits = text[1:].lower()
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits
    return NAMED_COLOURS.get(text.lower())


def default_colour(index: int) -> str:
    """Return the palette colour for the ``index``-th theme without a colour (wraps around)."""
    return DEFAULT_PALETTE[index % len(DEFAULT_PALETTE)]


# -- perceptual arithmetic ---------------------------------------------------------------------

# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear sRGB.
_DEUTAN = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
_PROTAN = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))
DEFICIENCIES = {"deutan": _DEUTAN, "protan": _PROTAN}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_rgb(colour: str) -> tuple[float, float, float]:
    """``'#rrggbb'`` as linear-light sRGB components in 0..1."""
    return (_linear(int(colour[1:3], 16)), _linear(int(colour[3:5], 16)), _linear(int(colour[5:7], 16)))


def _oklab(rgb: Sequence[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    lms = (
        0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
        0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
        0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b,
    )
    l_, m_, s_ = (math.copysign(abs(x) ** (1 / 3), x) for x in lms)
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _simulate(rgb: Sequence[float], matrix) -> tuple[float, float, float]:
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb)))) for row in matrix)  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def _views(colour: str) -> tuple[tuple[float, float, float], ...]:
    """OKLab coordinates as seen with normal vision, then with each deficiency."""
    rgb = linear_rgb(colour)
    return (_oklab(rgb), *(_oklab(_simulate(rgb, m)) for m in DEFICIENCIES.values()))


def simulate(colour: str, deficiency: str) -> str:
    """``colour`` as someone with ``deficiency`` ('deutan' or 'protan') sees it, as '#rrggbb'."""
    rgb = _simulate(linear_rgb(colour), DEFICIENCIES[deficiency])

    def encode(x: float) -> int:
        return round(255 * (12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055))

    return "#" + "".join(f"{encode(x):02x}" for x in rgb)


def colour_distance(a: str, b: str) -> float:
    """Perceptual distance between two '#rrggbb' colours with normal vision (OKLab, x100)."""
    return 100 * math.dist(_views(a)[0], _views(b)[0])


def deficient_distance(a: str, b: str) -> float:
    """The smaller distance between two colours as deutans and protans see them (OKLab, x100)."""
    va, vb = _views(a), _views(b)
    return 100 * min(math.dist(x, y) for x, y in zip(va[1:], vb[1:]))


@lru_cache(maxsize=65536)  # a codebook of hundreds of themes asks for the same pairs again and again
def _apart(a: str, b: str) -> float:
    """How far apart two colours look to most readers: normal vision, with the deficient views
    weighted double (they are always closer; full weight would leave only blues and yellows)."""
    return min(colour_distance(a, b), 2 * deficient_distance(a, b))


def pick_colour(near: Iterable[str], in_use: Iterable[str], palette: Sequence[str] = DEFAULT_PALETTE) -> str:
    """The palette colour for a new theme.

    ``near`` are the colours of the theme's siblings and parent, ``in_use`` every other theme
    colour of the study. Among the palette colours clearly distinct from every colour in use, the
    one farthest from ``near`` wins (then the one farthest from all); when the palette is used up,
    the one farthest from everything, siblings and parent first.
    """
    near_set = {c for c in (normalise_colour(x) for x in near) if c}
    used = near_set | {c for c in (normalise_colour(x) for x in in_use) if c}
    if not used:
        return palette[0]

    def score(candidate: str) -> tuple[float, float, float]:
        to_all = min(_apart(candidate, c) for c in used)
        to_near = min((_apart(candidate, c) for c in near_set), default=math.inf)
        return (min(to_all, CLEARLY_DISTINCT), min(to_near, 100.0), to_all)

    return max(palette, key=score)  # max keeps the first of equals: the palette order decides ties


def repeated_colours(themes: Iterable[tuple[str, str | None]]) -> list[tuple[str, str, str]]:
    """Pairs of themes whose colours look the same: ``(first path, second path, colour)``.

    ``themes`` are ``(path, colour)`` pairs; themes without a colour are skipped.
    """
    seen: list[tuple[str, str]] = []
    found = []
    for path, value in themes:
        colour = normalise_colour(value)
        if colour is None:
            continue
        twin = next((p for p, c in seen if colour_distance(c, colour) < SAME_COLOUR), None)
        if twin is not None:
            found.append((twin, path, colour))
        seen.append((path, colour))
    return found


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb' (0 black .. 1 white)."""
    r, g, b = linear_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 .. 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(back: str, front: str, amount: float) -> str:
    """``front`` laid over ``back`` with opacity ``amount`` (0..1), in sRGB as terminals do."""
    parts = []
    for i in (1, 3, 5):
        b, f = int(back[i : i + 2], 16), int(front[i : i + 2], 16)
        parts.append(round(b + (f - b) * amount))
    return "#" + "".join(f"{p:02x}" for p in parts)


def readable_on(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return "#000000" if contrast_ratio(background, "#000000") >= contrast_ratio(background, "#ffffff") else "#ffffff"

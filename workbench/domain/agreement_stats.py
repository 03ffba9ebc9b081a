"""Agreement between coders: percent agreement, Cohen's kappa and Krippendorff's alpha (nominal).

The input is *reliability data*: units (characters, turns, ...) by coders. One unit is a
*pattern*, a tuple with one value per coder, ``None`` where that coder gave no value (a missing
value). Identical units may be given once with a weight, as a mapping ``{pattern: weight}``;
that is how a study counts characters: 4,000 characters that neither of two coders coded are
one pattern ``(0, 0)`` with weight 4,000. A plain iterable of patterns is the same with weight 1
each.

Definitions (m_u is the number of values unit u has, w_u its weight):

- *Pairable units* are those with m_u >= 2; only they say anything about agreement.
- **Percent agreement** = (weight of pairable units whose values are all equal) / (weight of
  pairable units). For two coders this is the familiar share of units both coded alike.
- **Cohen's kappa** (two coders only; units where both gave a value):
  kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and
  p_e = sum over values c of p_A(c) * p_B(c), each coder's own marginal proportions
  (Cohen 1960).
- **Krippendorff's alpha**, nominal, any number of coders, missing values allowed
  (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"): the coincidence matrix
  o_ck = sum_u w_u * (number of ordered pairs of values (c, k) in u) / (m_u - 1);
  n_c = sum_k o_ck; n = sum_c n_c;
  alpha = 1 - D_o / D_e = ((n - 1) * sum_c o_cc - sum_c n_c (n_c - 1)) / (n (n - 1) - sum_c n_c (n_c - 1)).

Edge cases, all defined:

- No pairable unit: every figure is ``None`` (nothing to compare).
- No variation (every value given is the same, e.g. neither coder ever applied a theme in the
  units compared): kappa and alpha are 0/0, so ``None`` ("not defined"), while percent agreement
  is 1.0. Krippendorff states the same: data without variation cannot show reliability.
- Kappa with more or fewer than two coders is ``None``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

Label = Hashable
Pattern = tuple  # one value per coder, None for a missing value
ReliabilityData = Mapping[Pattern, float] | Iterable[Sequence]


def tally(units: ReliabilityData) -> dict[Pattern, float]:
    """Reliability data as ``{pattern: weight}`` (a mapping is returned as it is)."""
    if isinstance(units, Mapping):
        return dict(units)
    return dict(Counter(tuple(unit) for unit in units))


def pairable_weight(units: ReliabilityData) -> float:
    """The weight of the units with at least two values."""
    return sum(w for pattern, w in tally(units).items() if _count_values(pattern) >= 2)


def agreed_weight(units: ReliabilityData) -> float:
    """The weight of the pairable units in which every value given is the same."""
    return sum(
        w
        for pattern, w in tally(units).items()
        if _count_values(pattern) >= 2 and len({v for v in pattern if v is not None}) == 1
    )


def percent_agreement(units: ReliabilityData) -> float | None:
    """Share (0..1) of pairable units in which all the coders who gave a value agree."""
    data = tally(units)
    total = pairable_weight(data)
    if total == 0:
        return None
    return agreed_weight(data) / total


def cohen_kappa(units: ReliabilityData) -> float | None:
    """Cohen's kappa for two coders over the units both gave a value to (None: not defined)."""
    data = tally(units)
    if not data or any(len(p) != 2 for p in data):
        return None
    total = 0.0
    agreed = 0.0
    first: dict[Label, float] = defaultdict(float)
    second: dict[Label, float] = defaultdict(float)
    for (a, b), w in data.items():
        if a is None or b is None:
            continue
        total += w
        first[a] += w
        second[b] += w
        if a == b:
            agreed += w
    if total == 0:
        return None
    observed = agreed / total
    expected = sum(first[c] * second.get(c, 0.0) for c in first) / (total * total)
    if expected >= 1.0:
        return None  # both coders gave one and the same value throughout: 0/0
    return (observed - expected) / (1.0 - expected)


def coincidences(units: ReliabilityData) -> dict[tuple[Label, Label], float]:
    """Krippendorff's coincidence matrix ``{(c, k): o_ck}`` (pairable units only)."""
    matrix: dict[tuple[Label, Label], float] = defaultdict(float)
    for pattern, w in tally(units).items():
        values = Counter(v for v in pattern if v is not None)
        m = sum(values.values())
        if m < 2:
            continue
        share = w / (m - 1)
        for c, n_c in values.items():
            for k, n_k in values.items():
                # Ordered pairs of distinct values within the unit: n_c * n_k, or n_c * (n_c - 1) on the diagonal.
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] += pairs * share
    return dict(matrix)


def krippendorff_alpha(units: ReliabilityData) -> float | None:
    """Krippendorff's alpha for nominal values, with missing values (None: not defined)."""
    matrix = coincidences(units)
    totals: dict[Label, float] = defaultdict(float)
    for (c, _k), o in matrix.items():
        totals[c] += o
    n = sum(totals.values())
    if n <= 1:
        return None
    diagonal = sum(o for (c, k), o in matrix.items() if c == k)
    chance = sum(n_c * (n_c - 1) for n_c in totals.values())
    denominator = n * (n - 1) - chance
    if denominator <= 0:
        return None  # one value only: expected disagreement is 0
    return ((n - 1) * diagonal - chance) / denominator


def _count_values(pattern: Pattern) -> int:
    return sum(1 for v in pattern if v is not None)

"""Percent agreement, Cohen's kappa and Krippendorff's alpha: worked examples from the literature,
edge cases, and comparisons with the `krippendorff` package and a direct kappa on random data."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.agreement_stats import (
    agreed_weight,
    cohen_kappa,
    coincidences,
    krippendorff_alpha,
    pairable_weight,
    percent_agreement,
    tally,
)

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, values 1-5, missing data. Nominal alpha = 0.743.
FOUR_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Krippendorff (2011), section A: binary data, two observers, ten units, no missing data.
BINARY_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
BINARY_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]

# The `krippendorff` package's own example (three coders, fifteen units): nominal 0.691358.
THREE_CODERS = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]


def units(coders: list[list]) -> list[tuple]:
    """Coders x units (the literature's layout) to the unit patterns the module takes."""
    return list(zip(*coders))


def package_alpha(coders: list[list]) -> float:
    data = np.array([[np.nan if v is None else v for v in row] for row in coders], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_krippendorff_four_observers_with_missing_values():
    assert krippendorff_alpha(units(FOUR_OBSERVERS)) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(units(FOUR_OBSERVERS)) == pytest.approx(package_alpha(FOUR_OBSERVERS), abs=1e-12)


def test_coincidence_matrix_of_the_four_observer_example():
    # n = 40 pairable values (unit 12 has one value only). o_11: unit 1 gives 3 * 2 / 2 = 3,
    # unit 8 gives 3 * 2 / 3 = 2, unit 11 gives 2 * 1 / 1 = 2, so 7; o_12: unit 6 gives 1/3 and
    # unit 8 gives 3 * 1 / 3 = 1, so 4/3.
    matrix = coincidences(units(FOUR_OBSERVERS))
    assert sum(matrix.values()) == pytest.approx(40)
    totals = {c: sum(o for (a, _b), o in matrix.items() if a == c) for c in range(1, 6)}
    assert totals == pytest.approx({1: 9, 2: 13, 3: 10, 4: 5, 5: 3})
    assert matrix[(1, 1)] == pytest.approx(7)
    assert matrix[(1, 2)] == pytest.approx(4 / 3) == matrix[(2, 1)]


def test_binary_two_observers():
    data = list(zip(BINARY_A, BINARY_B))
    assert krippendorff_alpha(data) == pytest.approx(0.095, abs=5e-4)  # Krippendorff's figure
    assert krippendorff_alpha(data) == pytest.approx(1 - 19 * 4 / (14 * 6))  # 1 - (n-1) o_01 / (n_0 n_1)
    assert percent_agreement(data) == pytest.approx(0.6)
    # p_o = 0.6; p_e = 0.2 * 0.4 + 0.8 * 0.6 = 0.56; kappa = 0.04 / 0.44
    assert cohen_kappa(data) == pytest.approx(0.04 / 0.44)


def test_the_packages_own_example():
    assert krippendorff_alpha(units(THREE_CODERS)) == pytest.approx(0.691358, abs=1e-6)


def test_cohen_kappa_textbook_example():
    # 50 proposals read by two reviewers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    # p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    data = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    assert cohen_kappa(data) == pytest.approx(0.4)
    assert percent_agreement(data) == pytest.approx(0.7)


def test_weights_are_the_same_as_repeated_units():
    expanded = [(1, 1)] * 7 + [(1, 0)] * 2 + [(0, 0)] * 11 + [(0, None)] * 3
    weighted = {(1, 1): 7, (1, 0): 2, (0, 0): 11, (0, None): 3}
    assert tally(expanded) == weighted
    for measure in (percent_agreement, cohen_kappa, krippendorff_alpha):
        assert measure(expanded) == pytest.approx(measure(weighted))
    assert pairable_weight(weighted) == 20
    assert agreed_weight(weighted) == 18


def test_no_variation_is_not_defined_but_agreement_is_complete():
    data = {(0, 0): 500}
    assert percent_agreement(data) == 1.0
    assert cohen_kappa(data) is None
    assert krippendorff_alpha(data) is None


def test_nothing_pairable_gives_nothing():
    data = [(1, None), (None, 0), (None, None)]
    assert percent_agreement(data) is None
    assert cohen_kappa(data) is None
    assert krippendorff_alpha(data) is None
    assert percent_agreement([]) is None


def test_kappa_is_for_two_coders_only():
    assert cohen_kappa([(1, 1, 0), (0, 0, 0)]) is None
    assert krippendorff_alpha([(1, 1, 0), (0, 0, 0), (1, 1, 1)]) is not None


def test_perfect_agreement_with_variation_is_one_and_systematic_disagreement_is_below_zero():
    assert cohen_kappa([(1, 1), (0, 0), (2, 2)]) == pytest.approx(1.0)
    assert krippendorff_alpha([(1, 1), (0, 0), (2, 2)]) == pytest.approx(1.0)
    assert cohen_kappa([(1, 0), (0, 1)]) == pytest.approx(-1.0)
    assert krippendorff_alpha([(1, 0), (0, 1)]) < 0


def direct_kappa(pairs: list[tuple[int, int]]) -> float | None:
    """Cohen's kappa from the confusion matrix, written independently of the module."""
    labels = sorted({v for pair in pairs for v in pair})
    index = {v: i for i, v in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for a, b in pairs:
        table[index[a], index[b]] += 1
    total = table.sum()
    observed = np.trace(table) / total
    expected = float((table.sum(axis=1) * table.sum(axis=0)).sum() / total**2)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


values = st.integers(min_value=0, max_value=3)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(values, values), min_size=1, max_size=60))
def test_kappa_matches_a_direct_computation(pairs):
    expected = direct_kappa(pairs)
    found = cohen_kappa(pairs)
    if expected is None:
        assert found is None
    else:
        assert found == pytest.approx(expected, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda coders: st.lists(st.lists(st.none() | values, min_size=coders, max_size=coders), min_size=2, max_size=40)
    )
)
def test_alpha_matches_the_krippendorff_package(unit_rows):
    coders = [list(column) for column in zip(*unit_rows)]
    pairable_values = {v for row in unit_rows if sum(x is not None for x in row) >= 2 for v in row if v is not None}
    found = krippendorff_alpha(unit_rows)
    if len(pairable_values) < 2:
        # Nothing pairable, or no variation among the pairable values: the package refuses
        # such data (or returns 0/0); we say "not defined".
        assert found is None
        return
    assert found == pytest.approx(package_alpha(coders), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=80))
def test_binary_figures_are_defined_exactly_when_there_is_variation(pairs):
    alpha = krippendorff_alpha(pairs)
    kappa = cohen_kappa(pairs)
    assert (alpha is None) == all(a == b == pairs[0][0] for a, b in pairs)
    if alpha is not None:
        assert alpha <= 1.0 + 1e-12
    if kappa is not None:
        assert -1.0 - 1e-12 <= kappa <= 1.0 + 1e-12

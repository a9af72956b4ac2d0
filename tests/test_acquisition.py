import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from skactive.acquisition import (
    closest_to_centers,
    decision_margin,
    entropy,
    greedy_sampling,
    k_center_greedy,
    least_confidence,
    margin,
    prediction_variance,
    probability_variance,
    ratio,
    round_robin,
    typicality,
    typiclust,
    vote_entropy,
)

FUNCTIONS = [entropy, least_confidence, margin, ratio, probability_variance]

P = np.array([[0.5, 0.3, 0.2], [1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])

# Worked out by hand from the formulas.
EXPECTED = {
    entropy: [0.5 + 0.3 * np.log2(1 / 0.3) + 0.2 * np.log2(5), 0.0, np.log2(3)],
    least_confidence: [0.5, 0.0, 2 / 3],
    margin: [0.2, 1.0, 0.0],
    ratio: [0.6, 0.0, 1.0],
    probability_variance: [42 / 2700, 2 / 9, 0.0],
}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_hand_computed_values(function):
    assert_allclose(function(P), EXPECTED[function], atol=1e-12)


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(function, dtype):
    scores = function(P.astype(dtype))
    assert scores.dtype == dtype
    assert_allclose(scores, EXPECTED[function], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_input_not_modified_and_lists_accepted(function):
    P_copy = P.copy()
    assert_array_equal(function(P.tolist()), function(P))
    assert_array_equal(P, P_copy)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_blocks_give_the_same_result(function, monkeypatch):
    rng = np.random.RandomState(0)
    Q = rng.dirichlet(np.ones(7), size=1000)
    expected = function(Q)
    monkeypatch.setattr("skactive.acquisition._uncertainty._BLOCK_ELEMENTS", 7 * 33)
    assert_array_equal(function(Q), expected)


@pytest.mark.parametrize("n_classes", [2, 5, 16, 17, 40])
def test_agrees_with_a_full_sort(n_classes):
    rng = np.random.RandomState(n_classes)
    Q = rng.dirichlet(np.ones(n_classes), size=200)
    ordered = np.sort(Q, axis=1)
    assert_array_equal(margin(Q), ordered[:, -1] - ordered[:, -2])
    assert_array_equal(ratio(Q), ordered[:, -2] / ordered[:, -1])
    assert_array_equal(least_confidence(Q), 1 - ordered[:, -1])


def test_extremes_of_the_ranges():
    C = 4
    uniform = np.full((1, C), 1 / C)
    one_hot = np.eye(C)[:1]
    assert_allclose(entropy(uniform), np.log2(C))
    assert_allclose(least_confidence(uniform), 1 - 1 / C)
    assert_allclose(probability_variance(one_hot), (C - 1) / C**2)
    assert_allclose(margin(one_hot), 1)
    assert_allclose(ratio(uniform), 1)


def test_decision_margin():
    assert_array_equal(decision_margin([-2.0, 0.5, 0.0]), [2.0, 0.5, 0.0])
    assert_array_equal(decision_margin([[-2.0], [0.5]]), [2.0, 0.5])
    assert_allclose(decision_margin([[1.0, -1.0, 0.5], [0.2, 0.1, -3.0]]), [0.5, 0.1])
    with pytest.raises(ValueError, match="NaN"):
        decision_margin([0.1, np.nan])


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize(
    "bad, match",
    [
        ([[0.5, np.nan], [0.5, 0.5]], "NaN or infinity"),
        ([[np.inf, 0.0]], "NaN or infinity"),
        ([[1.5, -0.5]], r"outside \[0, 1\]"),
        ([[2.0, 0.0]], r"outside \[0, 1\]"),
        ([[0.5, 0.5], [0.3, 0.3]], "row 1 sums to 0.6"),
        ([[1.0], [1.0]], "1 column"),
        ([0.2, 0.8], "Expected 2D array"),
        (np.zeros((0, 3)), "0 sample"),
    ],
)
def test_bad_probabilities(function, bad, match):
    with pytest.raises(ValueError, match=match):
        function(bad)


probabilities = st.integers(2, 6).flatmap(
    lambda n_classes: arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.just(n_classes)),
        elements=st.floats(0.01, 1.0),
    )
).map(lambda A: A / A.sum(axis=1, keepdims=True))


@settings(deadline=None, max_examples=60)
@given(P=probabilities, seed=st.integers(0, 2**31 - 1))
def test_permuting_classes_changes_nothing(P, seed):
    columns = np.random.RandomState(seed).permutation(P.shape[1])
    for function in FUNCTIONS:
        assert_allclose(function(P[:, columns]), function(P), rtol=1e-12, atol=1e-15)


@settings(deadline=None, max_examples=60)
@given(P=probabilities, seed=st.integers(0, 2**31 - 1))
def test_permuting_rows_permutes_scores(P, seed):
    rows = np.random.RandomState(seed).permutation(P.shape[0])
    for function in FUNCTIONS:
        assert_array_equal(function(P[rows]), function(P)[rows])


@settings(deadline=None, max_examples=100)
@given(
    p=arrays(np.float64, st.integers(2, 40), elements=st.floats(0.0, 1.0)),
)
def test_binary_problems_share_one_order(p):
    """On two classes entropy, least confidence, margin and ratio all rank by
    the distance of p to 1/2."""
    P = np.column_stack([p, 1 - p])
    confidence = np.abs(p - 0.5)
    uncertainty = {
        "entropy": entropy(P),
        "least_confidence": least_confidence(P),
        "margin": -margin(P),
        "ratio": ratio(P),
    }
    clearly_less = confidence[:, None] < confidence[None, :] - 1e-6
    for name, u in uncertainty.items():
        more_uncertain = u[:, None] > u[None, :]
        assert more_uncertain[clearly_less].all(), name


# --- edge cases of the acquisition functions (issue 21 item 21) --------------


def test_round_robin_memory_does_not_grow_with_label_values():
    tracemalloc.start()
    try:
        # Clusters 5 (two members, visited first) and 10**7 (one member).
        order = round_robin([5, 10**7, 5], [0.2, 0.1, 0.1])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_array_equal(order, [2, 1, 0])
    assert peak < 2**20  # a bincount up to 10**7 takes 76 MiB (10**9: 7.45 GiB)
    # cluster_order names the labels; labels it lists that no sample has are
    # skipped.
    assert_array_equal(round_robin([5, 10**7, 5], [0.2, 0.1, 0.1],
                                   cluster_order=[7, 10**7, 5]), [1, 2, 0])


@pytest.mark.parametrize("call", [
    lambda labels: round_robin(labels, [0.1, 0.2, 0.3]),
    lambda labels: round_robin([0, 1, 2], [0.1, 0.2, 0.3], cluster_order=labels),
    lambda labels: typicality(np.eye(3), labels=labels),
    lambda labels: typiclust(np.eye(3), labels, 2),
    lambda labels: closest_to_centers(np.eye(3), labels, np.eye(3), [1, 2, 3]),
])
def test_cluster_labels_that_are_not_integers_are_refused_not_truncated(call):
    # 0.5 used to become cluster 0.
    with pytest.raises(ValueError, match="must be integer cluster labels, got 0.5"):
        call([0, 0.5, 1])
    with pytest.raises(ValueError, match="must be integer cluster labels, got 'a'"):
        call(["a", "b", "b"])
    call([2.0, 0.0, 1.0])  # whole numbers are labels


def test_closest_to_centers_names_centers_of_another_width():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [9.0, 9.0]])
    with pytest.raises(ValueError, match="centers have 3 features but X has 2"):
        closest_to_centers(X, [0, 0, 1], np.zeros((2, 3)), [1.0, 2.0, 3.0])
    assert_array_equal(closest_to_centers(X, [0, 0, 1], [[0.2, 0.0], [9.0, 9.0]],
                                          [1.0, 2.0, 3.0]), [2, 0])


@pytest.mark.parametrize("select", [
    lambda X, squared: k_center_greedy(X, 2, squared_distances=squared),
    lambda X, squared: greedy_sampling(X, 2, squared_distances=squared),
])
def test_negative_squared_distances_are_refused(select):
    X = np.array([[0.0], [1.0], [3.0]])
    for bad in ([-1.0, 0.0, 1.0], [0.0, -np.inf, 1.0]):
        with pytest.raises(ValueError, match="squared_distances holds negative "
                                             "values"):
            select(X, bad)
    assert_array_equal(select(X, [0.0, 1.0, 9.0]), [2, 1])


def test_vote_entropy_says_that_string_votes_are_not_class_indices():
    # Was numpy's "ufunc 'remainder' not supported for the input types".
    with pytest.raises(ValueError, match="votes must be integer class indices in "
                                         "\\[0, 2\\), got 'a'"):
        vote_entropy([["a", "b"], ["a", "a"]], n_classes=2)
    assert_allclose(vote_entropy(np.array([[0, 1], [0, 0]], dtype=object), 2),
                    [1.0, 0.0])


def test_prediction_variance_of_predictions_near_the_float_limits():
    # 1e308 and -1e308: the variance is 1e616, beyond the float range (it
    # was 0: Welford's running sums overflowed to -inf and were clipped).
    assert_array_equal(prediction_variance([[1e308], [-1e308]]), [np.inf])
    # 1e154 and -1e154: 1e308 fits, though its running sum 2e308 does not.
    assert_allclose(prediction_variance([[1e154], [-1e154]]), [1e308], rtol=1e-12)
    # Each sample at its own scale: huge ones leave the others exact.
    Y = [[1e308, 1.0, 2e-150], [1e308, 3.0, 4e-150], [-1e308, 2.0, 3e-150]]
    assert_allclose(prediction_variance(Y), [np.inf, 2 / 3, 2e-300 / 3],
                    rtol=1e-12)

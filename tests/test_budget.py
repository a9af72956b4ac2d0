"""select_within_budget, from skactive/acquisition/_budget.py."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skactive import UncertaintySampler, select_within_budget


def test_select_within_budget_by_hand_and_with_a_sampler():
    assert_array_equal(select_within_budget([0.9, 0.8, 0.5, 0.1], [10, 2, 1, 1], 4),
                       [2, 1, 3])
    assert select_within_budget([1.0, 2.0], [5.0, 5.0], 4.0).size == 0
    X, y = load_iris(return_X_y=True)
    sampler = UncertaintySampler(LogisticRegression(max_iter=500)).fit(X[::5], y[::5])
    costs = 1 + np.arange(len(X)) % 4
    scores = sampler.score_samples(X)
    picks = select_within_budget(scores, costs, budget=20)
    assert_array_equal(picks, brute_within_budget(scores, costs, 20))
    assert costs[picks].sum() <= 20


def brute_within_budget(scores, costs, budget):
    """Settles et al.'s greedy, sample by sample: best utility per cost first,
    taken while it fits, skipped when it does not."""
    value = [(s - min(scores)) / c for s, c in zip(scores, costs)]
    assert len(set(value)) == len(value)  # tie-free: the order is the sort
    picks, left = [], budget
    for i in sorted(range(len(value)), key=lambda i: -value[i]):
        if costs[i] <= left:
            picks.append(i)
            left -= costs[i]
    return picks


@pytest.mark.parametrize("costs, match", [
    ([1.0, 0.0, 2.0], "costs must be positive, got 0 for sample 1"),
    ([1.0, -2.0, 2.0], "costs must be positive"),
    ([1.0, 2.0], "of one length"),
])
def test_select_within_budget_bad_costs(costs, match):
    with pytest.raises(ValueError, match=match):
        select_within_budget([0.1, 0.2, 0.3], costs, 5.0)

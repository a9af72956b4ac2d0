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
    picks = select_within_budget(sampler.score_samples(X), costs, budget=20)
    assert costs[picks].sum() <= 20
    assert np.unique(picks).size == picks.size
    # Nothing left out would still fit, in value-per-cost order.
    assert (20 - costs[picks].sum()) < costs.min() or picks.size == len(X)


@pytest.mark.parametrize("costs, match", [
    ([1.0, 0.0, 2.0], "costs must be positive, got 0 for sample 1"),
    ([1.0, -2.0, 2.0], "costs must be positive"),
    ([1.0, 2.0], "of one length"),
])
def test_select_within_budget_bad_costs(costs, match):
    with pytest.raises(ValueError, match=match):
        select_within_budget([0.1, 0.2, 0.3], costs, 5.0)

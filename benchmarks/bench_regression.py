"""Predictive std of a 200-tree forest on a 100k pool: UncertaintySampler
against the naive stack of every tree's predictions (``np.std`` over them).

Run: ``python benchmarks/bench_regression.py``. The two are timed in turn in
the same run; peak memory by tracemalloc.
"""

import os
import sys

import numpy as np
from sklearn.datasets import make_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.frozen import FrozenEstimator

sys.path.insert(0, os.path.dirname(__file__))
from _common import report_against  # noqa: E402

from skactive import UncertaintySampler  # noqa: E402


def main(n_pool=100_000, n_trees=200):
    X, y = make_regression(n_samples=n_pool + 2000, n_features=20, n_informative=10,
                           noise=5.0, random_state=0)
    X_train, y_train, X_pool = X[:2000], y[:2000], X[2000:]
    forest = RandomForestRegressor(n_estimators=n_trees, random_state=0,
                                   n_jobs=1).fit(X_train, y_train)
    sampler = UncertaintySampler(FrozenEstimator(forest), strategy="std")
    sampler.fit(X_train, y_train)

    def naive():
        return np.stack([tree.predict(X_pool) for tree in forest.estimators_]).std(
            axis=0)

    assert np.allclose(sampler.score(X_pool), naive(), rtol=1e-5, atol=1e-6)
    print(f"std, {n_trees}-tree RandomForestRegressor, pool {n_pool:,} x "
          f"{X.shape[1]}")
    report_against("skactive std", lambda: sampler.score(X_pool),
                   "naive stack of the trees", naive)


if __name__ == "__main__":
    main()

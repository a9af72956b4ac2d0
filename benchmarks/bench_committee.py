"""BALD scoring by a 100-tree forest on a 100k pool: CommitteeSampler against
a naive loop over the members (stack every tree's predict_proba, then BALD).

Run: ``python benchmarks/bench_committee.py``. The two are timed in turn in
the same run; peak memory by tracemalloc.
"""

import os
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator

sys.path.insert(0, os.path.dirname(__file__))
from _common import report_against  # noqa: E402

from skactive import CommitteeSampler  # noqa: E402
from skactive.acquisition import bald  # noqa: E402


def main(n_pool=100_000, n_trees=100, n_classes=5):
    X, y = make_classification(n_samples=n_pool + 2000, n_features=20,
                               n_informative=10, n_classes=n_classes,
                               random_state=0)
    X_train, y_train, X_pool = X[:2000], y[:2000], X[2000:]
    forest = RandomForestClassifier(n_estimators=n_trees, random_state=0,
                                    n_jobs=1).fit(X_train, y_train)
    sampler = CommitteeSampler(FrozenEstimator(forest), strategy="bald")
    sampler.fit(X_train, y_train)

    def naive():
        P = np.stack([tree.predict_proba(X_pool) for tree in forest.estimators_])
        return bald(P)

    assert np.allclose(sampler.score(X_pool), naive())
    print(f"BALD, {n_trees}-tree forest, pool {n_pool:,} x {X.shape[1]}, "
          f"{n_classes} classes")
    report_against("skactive CommitteeSampler", lambda: sampler.score(X_pool),
                   "naive loop over members", naive)


if __name__ == "__main__":
    main()

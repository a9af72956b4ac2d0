"""Parallel scoring of an in-memory pool with a big model: n_jobs=2 against
n_jobs=1, measured in the same run.

Run: ``python benchmarks/bench_parallel.py``. Threads are limited to one per
process (OMP_NUM_THREADS and the like are set to 1 unless given), so that
the two workers are the only parallelism.

A frozen 200-tree RandomForestClassifier (n_jobs=1 itself; about 100 MB
pickled, fitted on 28,000 rows with 10% of the labels at random) scores a
200,000 x 20 pool with ``UncertaintySampler(strategy="entropy")``,
``n_jobs=1`` and ``n_jobs=2`` called in turn (paired runs); the scores are
checked to be identical. The first call after a fit is timed apart: it is
the one that sends the model to the worker processes, which keep it for the
calls that follow. Then the same on 2,000 rows of the pool: what is left
is the fixed cost of a call.
"""

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import pickle  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.frozen import FrozenEstimator  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _common import paired_times, row  # noqa: E402

from skactive import UncertaintySampler  # noqa: E402


def forest_and_pool(n_labeled=28_000, n_pool=200_000, n_features=20):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((n_labeled + n_pool, n_features))
    y = (X[:, :3].sum(axis=1) > 0).astype(int) + (X[:, 3] > 1)
    noisy = rng.rand(y.shape[0]) < 0.1  # 10% of labels at random: deep trees
    y[noisy] = rng.randint(0, 3, noisy.sum())
    forest = RandomForestClassifier(n_estimators=200, random_state=0, n_jobs=2)
    forest.fit(X[:n_labeled], y[:n_labeled]).set_params(n_jobs=1)
    return X[:n_labeled], y[:n_labeled], X[n_labeled:], forest


def bench_forest():
    X, y, pool, forest = forest_and_pool()
    model_mb = len(pickle.dumps(forest, protocol=pickle.HIGHEST_PROTOCOL)) / 2**20
    serial = UncertaintySampler(FrozenEstimator(forest), strategy="entropy",
                                n_jobs=1).fit(X, y)
    parallel = UncertaintySampler(FrozenEstimator(forest), strategy="entropy",
                                  n_jobs=2).fit(X, y)
    print(f"A frozen 200-tree forest ({model_mb:.0f} MB pickled) scoring a "
          f"{pool.shape[0]:,} x {pool.shape[1]} pool, "
          f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    assert np.array_equal(parallel.score(pool), serial.score(pool))
    two, one, ratio = paired_times(lambda: parallel.score(pool),
                                   lambda: serial.score(pool), repeat=3)
    parallel.fit(X, y)  # the workers are started: time the sending alone
    start = time.perf_counter()
    first = parallel.score(pool)
    first_time = time.perf_counter() - start
    assert np.array_equal(first, serial.score(pool))
    print(row("n_jobs=1 (baseline)", one, 1.0))
    print(row("n_jobs=2", two, ratio))
    print(row("n_jobs=2, first call after fit", first_time, first_time / one))
    print(f"   speed-up {1 / ratio:.2f}x with n_jobs=2 (median of paired runs; "
          "identical scores)")
    # The fixed cost of a call: scoring 2,000 rows takes little, what is
    # left is dispatching the tasks (and the model, were it sent again).
    small = pool[:2000]
    two, one, ratio = paired_times(lambda: parallel.score(small),
                                   lambda: serial.score(small), repeat=5)
    print(f"\nThe same on {small.shape[0]:,} rows: the fixed cost of a call")
    print(row("n_jobs=1 (baseline)", one, 1.0))
    print(row("n_jobs=2", two, ratio))


if __name__ == "__main__":
    bench_forest()

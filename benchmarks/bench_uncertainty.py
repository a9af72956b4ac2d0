"""Speed and memory of UncertaintySampler against the numpy floor and peers.

Run: ``python benchmarks/bench_uncertainty.py`` (peers: ``pip install ".[bench]"``).
Every figure is a ratio against a baseline measured in the same run.

1. ``select(k=1000)`` by margin on a precomputed 1M x 10 probability matrix,
   against the one-pass numpy floor (look the rows up, ``np.partition`` for
   the top two, ``np.argpartition``) and modAL's ``margin_sampling``.
2. The same at 100k x 10 against scikit-activeml's ``UncertaintySampling``.
3. ``n_jobs=2`` against ``n_jobs=1`` with a single-threaded ``predict_proba``
   (an RBF ``SVC`` calibrated by ``CalibratedClassifierCV``) on a 200k pool.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import (  # noqa: E402
    LookupClassifier,
    paired_times,
    peak_memory,
    row,
)

from skactive import UncertaintySampler  # noqa: E402
from skactive.utils._chunks import MAX_CHUNK_ROWS  # noqa: E402


def numpy_floor(proba, X, k):
    P = proba[X[:, 0]]
    top_two = np.partition(P, -2, axis=1)[:, -2:]
    margins = top_two[:, 1] - top_two[:, 0]
    return np.argpartition(margins, k)[:k]


def pool(n_samples, n_classes, seed=0):
    rng = np.random.RandomState(seed)
    proba = rng.dirichlet(np.ones(n_classes), size=n_samples)
    X = np.arange(n_samples).reshape(-1, 1)
    return proba, X


def bench_select(n_samples=1_000_000, n_classes=10, k=1000):
    print(f"\n1. select(k={k}) by margin, {n_samples:,} x {n_classes} probabilities")
    proba, X = pool(n_samples, n_classes)
    sampler = UncertaintySampler(LookupClassifier(proba), strategy="margin")
    sampler.fit(X[:20], np.arange(20) % n_classes)

    # Same answer as the floor: the same k samples.
    assert set(sampler.select(X, k)) == set(numpy_floor(proba, X, k))

    ours, floor, ratio = paired_times(
        lambda: sampler.select(X, k), lambda: numpy_floor(proba, X, k), repeat=11
    )
    floor_peak = peak_memory(lambda: numpy_floor(proba, X, k))
    our_peak = peak_memory(lambda: sampler.select(X, k))
    print(row("numpy floor", floor, 1.0, floor_peak))
    print(row("skactive UncertaintySampler", ours, ratio, our_peak))
    chunk = min(n_samples, MAX_CHUNK_ROWS) * n_classes * 8
    budget = 3 * 8 * n_samples + 2 * chunk
    print(f"   skactive peak {our_peak / n_samples:.1f} bytes/row; budget "
          f"3 x 8 bytes/row + one chunk = {budget / 2**20:.1f} MB "
          f"({'within' if our_peak <= budget else 'OVER'})")
    try:
        from modAL.uncertainty import margin_sampling
    except ImportError:
        print("   modAL not installed: pip install '.[bench]'")
        return
    model = LookupClassifier(proba).fit(X[:20], None)
    modal, ours, ratio = paired_times(
        lambda: margin_sampling(model, X, n_instances=k),
        lambda: sampler.select(X, k),
        repeat=11,
    )
    modal_peak = peak_memory(lambda: margin_sampling(model, X, n_instances=k))
    print(row("modAL margin_sampling", modal, modal / floor, modal_peak))
    print(f"   modAL peak {modal_peak / n_samples:.0f} bytes/row; "
          f"skactive is {ratio:.2f}x faster than modAL (paired runs)")


def bench_skactiveml(n_samples=100_000, n_classes=10, k=1000):
    print(f"\n2. select(k={k}) by margin, {n_samples:,} x {n_classes}: "
          "against scikit-activeml")
    try:
        from skactiveml.classifier import SklearnClassifier
        from skactiveml.pool import UncertaintySampling
        from skactiveml.utils import MISSING_LABEL
    except ImportError:
        print("   scikit-activeml not installed: pip install '.[bench]'")
        return
    proba, X = pool(n_samples, n_classes)
    y_seed = np.arange(20) % n_classes
    sampler = UncertaintySampler(LookupClassifier(proba), strategy="margin")
    sampler.fit(X[:20], y_seed)

    y = np.full(n_samples, MISSING_LABEL)
    y[:20] = y_seed
    clf = SklearnClassifier(LookupClassifier(proba), classes=np.arange(n_classes))
    clf.fit(X, y)
    qs = UncertaintySampling(method="margin_sampling", random_state=0)

    def skactiveml_query():
        return qs.query(X, y, clf, fit_clf=False, batch_size=k)

    theirs, ours, ratio = paired_times(
        skactiveml_query, lambda: sampler.select(X[20:], k), repeat=3
    )
    our_peak = peak_memory(lambda: sampler.select(X[20:], k))
    their_peak = peak_memory(skactiveml_query)
    print(row("skactive UncertaintySampler", ours, 1.0, our_peak))
    print(row("scikit-activeml UncertaintySampling", theirs, ratio, their_peak))
    print(f"   skactive is {ratio:.0f}x faster and uses "
          f"{our_peak / their_peak:.3f} of scikit-activeml's peak memory")


def bench_n_jobs(n_samples=200_000):
    print(f"\n3. n_jobs=2 against n_jobs=1, calibrated RBF SVC on a "
          f"{n_samples:,} pool ({os.cpu_count()} cores)")
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.datasets import make_classification
    from sklearn.svm import SVC

    X, y = make_classification(n_samples=n_samples + 1000, n_features=20,
                               n_informative=10, n_classes=3, random_state=0)
    X_train, y_train, X_pool = X[:1000], y[:1000], X[1000:]
    model = CalibratedClassifierCV(SVC(), ensemble=False)
    serial = UncertaintySampler(model, n_jobs=1).fit(X_train, y_train)
    parallel = UncertaintySampler(model, n_jobs=2).fit(X_train, y_train)
    assert np.array_equal(serial.score(X_pool), parallel.score(X_pool))
    one, two, ratio = paired_times(
        lambda: serial.select(X_pool, 1000),
        lambda: parallel.select(X_pool, 1000),
        repeat=3,
    )
    print(row("n_jobs=1", one, 1.0))
    print(row("n_jobs=2", two, two / one))
    print(f"   speed-up {ratio:.2f}x (paired runs)")


if __name__ == "__main__":
    bench_select()
    bench_skactiveml()
    bench_n_jobs()

"""Speed and memory of DiversitySampler against bare KMeans and scikit-activeml.

Run: ``python benchmarks/bench_diversity.py`` (peers: ``pip install ".[bench]"``).
Every figure is a ratio against a baseline measured in the same run.

1. Core-set: 100k x 64 pool (50 Gaussian blobs), 1,000 reference samples,
   a batch of 1,000, against scikit-activeml's ``CoreSet``; peak memory by
   tracemalloc.
2. k-means round-robin: 100k x 64, k=10, against a bare
   ``KMeans(n_clusters=10)`` fit with the same settings.
"""

import os
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

sys.path.insert(0, os.path.dirname(__file__))
from _common import paired_times, peak_memory, row  # noqa: E402

from skactive import DiversitySampler  # noqa: E402


def data(n_samples=101_000, n_features=64):
    X, y = make_blobs(n_samples=n_samples, n_features=n_features, centers=50,
                      random_state=0)
    return X, y


def bench_coreset(n_reference=1000, k=1000):
    X, y = data()
    reference, pool = X[:n_reference], X[n_reference:]
    n_pool = pool.shape[0]
    print(f"\n1. core-set select(k={k}), pool {n_pool:,} x {X.shape[1]}, "
          f"{n_reference:,} reference samples")
    sampler = DiversitySampler(strategy="coreset", random_state=0).fit(reference)
    ours = peak_memory(lambda: sampler.select(pool, k))
    print(f"   skactive peak {ours / 2**20:.1f} MB = {ours / n_pool:.0f} bytes per "
          f"pool row (the pool itself: {pool.nbytes / 2**20:.0f} MB, not counted)")
    try:
        from skactiveml.pool import CoreSet
        from skactiveml.utils import MISSING_LABEL
    except ImportError:
        print("   scikit-activeml not installed: pip install '.[bench]'")
        return
    y_missing = np.full(X.shape[0], MISSING_LABEL)
    y_missing[:n_reference] = y[:n_reference]
    query = CoreSet(random_state=0)

    def skactiveml_select():
        return query.query(X, y_missing, batch_size=k)

    theirs, mine, ratio = paired_times(
        skactiveml_select, lambda: sampler.select(pool, k), repeat=2
    )
    their_peak = peak_memory(skactiveml_select)
    print(row("skactive DiversitySampler", mine, 1.0, ours))
    print(row("scikit-activeml CoreSet", theirs, ratio, their_peak))
    print(f"   skactive is {ratio:.1f}x faster (paired runs) and uses "
          f"{ours / their_peak:.3f} of scikit-activeml's peak memory")


def bench_kmeans(n_clusters=10, k=1000):
    X, _ = data(n_samples=100_000)
    print(f"\n2. k-means round-robin select(k={k}), {X.shape[0]:,} x {X.shape[1]}, "
          f"{n_clusters} clusters")
    sampler = DiversitySampler(n_clusters=n_clusters, random_state=0).fit(X[:0])
    ours, bare, ratio = paired_times(
        lambda: sampler.select(X, k),
        lambda: KMeans(n_clusters=n_clusters, random_state=0).fit(X),
        repeat=5,
    )
    print(row("bare KMeans fit", bare, 1.0))
    print(row("skactive DiversitySampler", ours, ratio))
    print(f"   skactive takes {ratio:.2f}x the bare fit (paired runs)")


if __name__ == "__main__":
    bench_coreset()
    bench_kmeans()

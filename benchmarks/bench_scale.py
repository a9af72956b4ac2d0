"""Pools that outgrow memory: streaming select on a memory-mapped pool.

Run: ``python benchmarks/bench_scale.py``. Every figure is a ratio against a
baseline measured in the same run.

1. A 10M x 20 float32 pool memory-mapped from disk, LogisticRegression on
   1,000 labels, entropy, ``select(k=1000)``, against a hand-written
   chunked numpy floor (predict_proba per chunk, entropy, argpartition of
   the whole score vector); peak traced memory of both.

Parallel scoring with a big model is measured by ``bench_parallel.py``.
"""

import os
import sys
import tempfile

import numpy as np
from scipy.special import entr
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(__file__))
from _common import paired_times, peak_memory, row  # noqa: E402

from skactive import UncertaintySampler  # noqa: E402

CHUNK = 2**14


def memmap_pool(folder, n_samples=10_000_000, n_features=20):
    path = os.path.join(folder, "pool.npy")
    pool = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32,
                                     shape=(n_samples, n_features))
    rng = np.random.RandomState(0)
    for start in range(0, n_samples, 1_000_000):
        stop = min(start + 1_000_000, n_samples)
        pool[start:stop] = rng.standard_normal((stop - start, n_features))
    pool.flush()
    del pool
    return np.load(path, mmap_mode="r")


def floor(model, pool, k):
    scores = np.empty(pool.shape[0])
    for start in range(0, pool.shape[0], CHUNK):
        proba = model.predict_proba(pool[start:start + CHUNK])
        scores[start:start + CHUNK] = entr(proba).sum(axis=1)
    top = np.argpartition(scores, -k)[-k:]
    return top[np.argsort(-scores[top])]


def bench_memmap(k=1000):
    with tempfile.TemporaryDirectory() as folder:
        pool = memmap_pool(folder)
        rng = np.random.RandomState(1)
        X = rng.standard_normal((1000, pool.shape[1])).astype(np.float32)
        y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)
        model = LogisticRegression(max_iter=1000).fit(X, y)
        sampler = UncertaintySampler(FrozenEstimator(model), strategy="entropy",
                                     chunk_size=CHUNK).fit(X, y)
        assert set(sampler.select(pool, k)) == set(floor(model, pool, k))
        print(f"1. select(k={k}) by entropy, {pool.shape[0]:,} x {pool.shape[1]} "
              "float32 memory-mapped pool")
        ours, theirs, ratio = paired_times(lambda: sampler.select(pool, k),
                                           lambda: floor(model, pool, k), repeat=3)
        our_peak = peak_memory(lambda: sampler.select(pool, k))
        floor_peak = peak_memory(lambda: floor(model, pool, k))
        print(row("chunked numpy floor", theirs, 1.0, floor_peak))
        print(row("skactive select", ours, ratio, our_peak))
        chunk_bytes = CHUNK * pool.shape[1] * 4
        print(f"   skactive: {ratio:.2f}x the floor; peak {our_peak / 2**20:.1f} MB "
              f"(budget 64 MB + one chunk of {chunk_bytes / 2**20:.1f} MB: "
              f"{'within' if our_peak <= 64 * 2**20 + chunk_bytes else 'OVER'}); "
              f"{pool.shape[0] / ours / 1e6:.1f} M rows/s")


if __name__ == "__main__":
    bench_memmap()

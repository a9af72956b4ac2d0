"""Time the same workloads on two versions of skactive, in turns.

A refactoring must not slow the library down. This script exports two git
revisions (``git archive``) and times four workloads on each, alternating
before / after / before / after in fresh processes, so that a machine whose
speed drifts (shared cores) moves both sides alike::

    python benchmarks/bench_versions.py ec99f6a          # against HEAD
    python benchmarks/bench_versions.py ec99f6a main --rounds 7

Each workload uses only names both versions export from ``skactive``:

- ``margin select``: uncertainty sampling (margin) of 2,000,000 pool rows
  whose probabilities a lookup model returns, so the sampler is timed, not
  a model;
- ``core-set``: ``select(1000)`` from a 100,000 x 64 pool, 1,000 labeled;
- ``BALD``: a committee of five logistic regressions over 100,000 rows;
- ``dask select``: margin sampling of a 1,000,000-row dask array (50
  blocks, the synchronous scheduler).

Printed: the median over rounds of each side's best-of-3 time, and the
median of the paired ratios after / before (below 1: faster).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKLOAD = r'''
import json, sys, time
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from skactive import CommitteeSampler, DiversitySampler, UncertaintySampler


class Lookup(ClassifierMixin, BaseEstimator):
    def __init__(self, proba=None):
        self.proba = proba

    def fit(self, X, y):
        self.classes_ = np.arange(self.proba.shape[1])
        return self

    def predict_proba(self, X):
        return self.proba[np.asarray(X)[:, 0].astype(int)]


def best(func, repeat=3):
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


rng = np.random.RandomState(0)
name = sys.argv[1]
if name == "margin select":
    proba = rng.dirichlet(np.ones(10), size=2_000_000)
    pool = np.arange(2_000_000, dtype=float)[:, None]
    sampler = UncertaintySampler(Lookup(proba)).fit(pool[:20], np.arange(20) % 10)
    seconds = best(lambda: sampler.select(pool, batch_size=1000))
elif name == "core-set":
    X = rng.normal(size=(101_000, 64))
    sampler = DiversitySampler(strategy="coreset", random_state=0).fit(X[:1000])
    seconds = best(lambda: sampler.select(X[1000:], batch_size=1000), repeat=2)
elif name == "BALD":
    X = rng.normal(size=(100_200, 20))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1)
    sampler = CommitteeSampler(
        [LogisticRegression(C=c, max_iter=500) for c in (0.01, 0.1, 1, 10, 100)],
        strategy="bald").fit(X[:200], y[:200])
    seconds = best(lambda: sampler.select(X[200:], batch_size=100))
elif name == "dask select":
    import dask
    import dask.array as da
    X = rng.normal(size=(1_000_200, 20))
    y = (X[:, 0] > 0).astype(int)
    model = LogisticRegression().fit(X[:200], y[:200])
    sampler = UncertaintySampler(model).fit(X[:200], y[:200])
    pool = da.from_array(X[200:], chunks=(20_004, 20))
    with dask.config.set(scheduler="synchronous"):
        seconds = best(lambda: sampler.select(pool, batch_size=100))
print(json.dumps(seconds))
'''
NAMES = ["margin select", "core-set", "BALD", "dask select"]


def export(revision, folder):
    """The package of ``revision``, unpacked into ``folder``."""
    archive = subprocess.run(["git", "archive", revision, "skactive"], cwd=ROOT,
                             check=True, capture_output=True).stdout
    path = Path(folder) / "skactive.tar"
    path.write_bytes(archive)
    with tarfile.open(path) as tar:
        tar.extractall(folder, filter="data")
    return folder


def time_once(tree, name):
    env = {**os.environ, "PYTHONPATH": tree, "OMP_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-c", WORKLOAD, name], env=env,
                         cwd=tree, check=True, capture_output=True, text=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="git revision timed as the baseline")
    parser.add_argument("after", nargs="?", default="HEAD")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=NAMES, action="append")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        trees = {"before": export(args.before, a), "after": export(args.after, b)}
        print(f"before = {args.before}, after = {args.after}; "
              f"{args.rounds} alternating rounds, best of 3 each, one thread")
        print(f"{'workload':<14} {'before (s)':>10} {'after (s)':>10} "
              f"{'after/before':>13}")
        for name in args.only or NAMES:
            times = {"before": [], "after": []}
            for _ in range(args.rounds):
                for side in ("before", "after"):
                    times[side].append(time_once(trees[side], name))
            ratio = statistics.median(
                x / y for x, y in zip(times["after"], times["before"]))
            print(f"{name:<14} {statistics.median(times['before']):>10.3f} "
                  f"{statistics.median(times['after']):>10.3f} {ratio:>13.2f}",
                  flush=True)


if __name__ == "__main__":
    main()

"""QUIRE on Lu, Li & Lin's Wdbc protocol, and its cost per query.

Run: ``python benchmarks/bench_quire.py [--seeds N] [--quick] [--large]``.

- The protocol of :mod:`_lu2023` (SVC rbf gamma="auto", 40 % test per seed,
  20 initial labels, batch 1, the whole pool): QUIRESampler with libact's
  settings as Lu et al. ran it (their src/config.py: lambda=1, kernel rbf,
  gamma=1), next to the published Wdbc AUBC and time, and uniform sampling
  measured in the same run.
- Time per query at n=341 (Wdbc's pool) and n=5,000: the kept
  factorization (one Schur-complement row per new label, the sampler's
  fit + select averaged over a whole-pool run of the sampler alone), the
  closed form afresh (one Cholesky of the labeled kernel per round, at 20
  and n/2 labels), and the paper's formula written out (one inverse of
  ``L_U'U'`` per candidate; at n=5,000 one inverse is timed and multiplied
  by the number of candidates, marked "est.").
- ``--large``: the whole-pool protocol once on a 5,000-sample pool of
  ``make_classification`` (20 features, 40 % more drawn as the test set),
  with the time of the experiment and of the sampler in it.

Each is run on one thread (threadpoolctl), as Lu et al. time one experiment.
libact's QUIRE, which Lu et al. ran, evaluates a different expression from
the paper's (see doc/user_guide/quire.rst), so the AUBC may differ.
"""

import argparse
import time

import numpy as np
from _lu2023 import header, one_experiment, table_row, task_model
from sklearn.datasets import make_classification
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skactive import QUIRESampler, RandomSampler
from skactive.experiment import run_experiment

SETTINGS = dict(alpha=1.0, kernel="rbf", gamma=1.0)  # Lu et al.'s config.py
SAMPLER_SECONDS = []


class TimedQUIRE(QUIRESampler):
    """QUIRESampler that adds the seconds of its fit and select to
    SAMPLER_SECONDS."""

    def fit(self, X, y):
        start = time.perf_counter()
        super().fit(X, y)
        SAMPLER_SECONDS.append(time.perf_counter() - start)
        return self

    def select(self, X, batch_size=1):
        start = time.perf_counter()
        picked = super().select(X, batch_size)
        SAMPLER_SECONDS.append(time.perf_counter() - start)
        return picked


def wdbc(seeds, budget):
    print(header())
    for name, make in [("QUIRE", lambda s: QUIRESampler(**SETTINGS, random_state=s)),
                       ("Uniform", lambda s: RandomSampler(random_state=s))]:
        runs = [one_experiment(name, make(seed), seed, budget) for seed in seeds]
        aubc, seconds = zip(*runs)
        print(table_row(name, aubc, float(np.mean(seconds))))


def _pool(n, seed=0):
    X, y = make_classification(n_samples=n, n_features=20, random_state=seed)
    return StandardScaler().fit_transform(X), y


def kept_seconds_per_query(X, y, n_initial=20):
    """The sampler alone through the whole pool, in the protocol's order."""
    labeled = np.zeros(len(y), dtype=bool)
    labeled[:n_initial] = True
    sampler = QUIRESampler(**SETTINGS, random_state=0)
    start = time.perf_counter()
    while not labeled.all():
        known, pool = np.flatnonzero(labeled), np.flatnonzero(~labeled)
        sampler.fit(X[known], y[known])
        labeled[pool[sampler.select(X[pool])]] = True
    return (time.perf_counter() - start) / (len(y) - n_initial)


def fresh_seconds_per_query(X, y, n_labeled):
    start = time.perf_counter()
    QUIRESampler(**SETTINGS, random_state=0).fit(X[:n_labeled], y[:n_labeled]).select(
        X[n_labeled:])
    return time.perf_counter() - start


def naive_seconds_per_query(X, y, n_labeled=20, max_candidates=None):
    """The paper's formula, one inverse of L_U'U' per candidate; with
    ``max_candidates``, that many timed and the rest extrapolated."""
    start = time.perf_counter()
    n = X.shape[0]
    L = np.linalg.inv(rbf_kernel(X, gamma=SETTINGS["gamma"]) + np.eye(n))
    labeled, unlabeled = np.arange(n_labeled), np.arange(n_labeled, n)
    y_l = np.where(y[:n_labeled] == 1, 1.0, -1.0)
    setup = time.perf_counter() - start
    candidates = unlabeled if max_candidates is None else unlabeled[:max_candidates]
    start = time.perf_counter()
    values = []
    for s in candidates:
        rest = unlabeled[unlabeled != s]
        inverse = np.linalg.inv(L[np.ix_(rest, rest)])
        t = L[s, rest] @ inverse
        values.append(L[s, s] - t @ L[rest, s] + 2 * abs(
            L[s, labeled] @ y_l - t @ L[np.ix_(rest, labeled)] @ y_l))
    per_candidate = (time.perf_counter() - start) / len(candidates)
    return setup + per_candidate * len(unlabeled), max_candidates is not None


def cost_table(sizes):
    print(f"\n{'n':>6} {'kept s/query':>13} {'fresh@20':>9} {'fresh@n/2':>10} "
          f"{'paper formula':>14} {'vs kept':>8}")
    for n in sizes:
        X, y = _pool(n)
        kept = kept_seconds_per_query(X, y)
        fresh = fresh_seconds_per_query(X, y, 20)
        fresh_mid = fresh_seconds_per_query(X, y, n // 2)
        naive, estimated = naive_seconds_per_query(
            X, y, max_candidates=2 if n > 1000 else None)
        mark = " est." if estimated else ""
        print(f"{n:>6} {kept:>13.5f} {fresh:>9.4f} {fresh_mid:>10.4f} "
              f"{naive:>9.2f}{mark:<5} {naive / kept:>7.0f}x")


def large(n_pool=5000, seed=0):
    """The whole-pool protocol once on a 5,000-sample pool."""
    X, y = make_classification(n_samples=int(n_pool / 0.6) + 1, n_features=20,
                               random_state=seed)
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, train_size=n_pool, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(X_pool)
    SAMPLER_SECONDS.clear()
    start = time.perf_counter()
    result = run_experiment(task_model(), {"QUIRE": TimedQUIRE(**SETTINGS)},
                            scaler.transform(X_pool), y_pool,
                            X_test=scaler.transform(X_test), y_test=y_test,
                            initial_size=20, batch_size=1, budget=n_pool,
                            n_repeats=1, random_state=seed)
    total = time.perf_counter() - start
    aubc = result.aubc_per_repeat()["QUIRE"][0]
    print(f"\nlarge: pool {n_pool}, {n_pool - 20} queries, AUBC {aubc:.4f}; "
          f"experiment {total:.1f} s, of which QUIRE's fit + select "
          f"{sum(SAMPLER_SECONDS):.1f} s "
          f"({sum(SAMPLER_SECONDS) / (n_pool - 20) * 1e3:.2f} ms per query)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds, a budget of 60 labels, n=341 costs only")
    parser.add_argument("--large", action="store_true",
                        help="also the whole-pool protocol on a 5,000-sample pool")
    args = parser.parse_args()
    seeds = range(2 if args.quick else args.seeds)
    with threadpool_limits(1):
        wdbc(seeds, 60 if args.quick else None)
        cost_table([341] if args.quick else [341, 5000])
        if args.large:
            large()


if __name__ == "__main__":
    main()

"""Information density, graph density and DWUS on Lu, Li & Lin's protocol.

Run: ``python benchmarks/bench_density.py [--seeds N] [--quick]``.

Lu, Li & Lin (2023), "Re-Benchmarking Pool-Based Active Learning for Binary
Classification", on scikit-learn's ``load_breast_cancer`` (their Wdbc): for
each seed, 40 % of the data is the test set (stratified, redrawn per seed),
a StandardScaler is fitted on the other 60 % (the pool), 20 initial labels
are drawn (:func:`skactive.experiment.run_experiment` draws one of each
class first, then at random), then one label per round until the whole pool
is labeled; the task model is ``SVC(kernel="rbf", gamma="auto")``; the
score is the AUBC (area under the accuracy curve, normalised by the number
of rounds) of :meth:`ExperimentResult.aubc_per_repeat`.

Strategies and settings:

- ``DWUS``: ``DensitySampler(strategy="dwus")``, libact's n_clusters=5,
  sigma=0.1 (its own cluster model, the SVC only evaluates);
- ``Graph``: ``DensitySampler(strategy="graph_density")``, Google's
  10 neighbours, Manhattan distance, gamma = 1 / n_features;
- ``InfoDensity``: ``DensitySampler(SVC(..., probability=True),
  uncertainty="margin")``, beta=1, RBF similarity; not among Lu et al.'s
  17 strategies, so no published number;
- ``US-C`` (margin of the task model) and ``Uniform``, the protocol's
  anchors, against their published values.

The published mean ± std AUBC (Wdbc row) are from
https://github.com/ariapoy/active-learning-benchmark, results/README.md.
That file gives no computational time for these strategies, so the
published-time column says n/a; the measured time per experiment (one
strategy, one seed, the whole pool, one thread) is printed.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from skactive import DensitySampler, RandomSampler, UncertaintySampler
from skactive.experiment import run_experiment

# Wdbc row of results/README.md, ariapoy/active-learning-benchmark
# (commit 198ce75db73f46ae2e6a7c622b3a84626dc901b3): mean, std of the AUBC.
PUBLISHED_AUBC = {
    "Uniform": (0.9539, 0.013),
    "US-C": (0.9652, 0.0103),
    "DWUS": (0.9504, 0.0157),
    "Graph": (0.954, 0.0123),
    "InfoDensity": None,
}


def task_model(probability=False):
    return SVC(kernel="rbf", gamma="auto", probability=probability)


def samplers():
    return {
        "Uniform": RandomSampler(),
        "US-C": UncertaintySampler(task_model(), strategy="margin"),
        "DWUS": DensitySampler(strategy="dwus"),
        "Graph": DensitySampler(strategy="graph_density"),
        "InfoDensity": DensitySampler(task_model(probability=True),
                                      uncertainty="margin"),
    }


def one_seed(seed, name, sampler, budget=None):
    """AUBC and seconds of one whole-pool experiment."""
    X, y = load_breast_cancer(return_X_y=True)
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.4, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(X_pool)
    X_pool, X_test = scaler.transform(X_pool), scaler.transform(X_test)
    start = time.perf_counter()
    result = run_experiment(task_model(), {name: sampler}, X_pool, y_pool,
                            X_test=X_test, y_test=y_test, initial_size=20,
                            batch_size=1, budget=budget or y_pool.shape[0],
                            n_repeats=1, random_state=seed)
    seconds = time.perf_counter() - start
    return float(result.aubc_per_repeat()[name][0]), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds and 60 labels: checks that it runs")
    args = parser.parse_args()
    n_seeds, budget = (2, 60) if args.quick else (args.seeds, None)
    warnings.filterwarnings("ignore", category=FutureWarning)  # SVC(probability)
    # One thread: the problems are small (341 x 30) and on a shared machine
    # OpenMP/BLAS threads cost more than they save.
    threadpool_limits(1)
    print(f"Wdbc (load_breast_cancer), {n_seeds} seeds, "
          f"{'60 labels' if budget else 'whole pool'}, batch 1, SVC rbf")
    print(f"{'strategy':<12} {'AUBC mean ± std':>18} {'published':>18} "
          f"{'s/experiment':>13} {'published time':>15}")
    for name, sampler in samplers().items():
        runs = [one_seed(seed, name, sampler, budget) for seed in range(n_seeds)]
        aubc = np.array([area for area, _ in runs])
        seconds = np.mean([s for _, s in runs])
        published = PUBLISHED_AUBC[name]
        published = "n/a" if published is None else \
            f"{published[0]:.4f} ± {published[1]:.4f}"
        print(f"{name:<12} {aubc.mean():>9.4f} ± {aubc.std(ddof=1):.4f} "
              f"{published:>18} {seconds:>13.1f} {'n/a':>15}", flush=True)


if __name__ == "__main__":
    main()

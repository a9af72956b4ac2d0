"""Hierarchical sampling, MCM and InfoDiv on Lu, Li & Lin's protocol (issue 25).

Run: ``python benchmarks/bench_hierarchical.py [--seeds N] [--quick]``
(``--seeds`` defaults to 20; ``--quick`` runs 2 seeds on a third of the
budget, a smoke run whose numbers are not comparable).

Protocol of Lu, Li & Lin (2023), "Re-Benchmarking Pool-Based Active
Learning for Binary Classification", on scikit-learn's ``load_breast_cancer``
(their Wdbc): per seed, a new 60 / 40 split of the 569 samples (stratified
here), a ``StandardScaler`` fitted on the 60 % training part, 20 initial
labels (``run_experiment`` draws one of each class, then 18 at random),
batches of 1 until the whole pool is labeled, ``SVC(kernel="rbf",
gamma="auto")`` as the task model, and the AUBC of its test accuracy
(trapezoidal area over the number of labels, normalised by the budget).

Strategies: ``HierarchicalSampler()`` (Ward tree, beta=2: Google's
``hierarchical`` as their config sets it), ``MarginClusterSampler`` with
``"cluster_mean"`` (MCM) and ``"cluster_proportions"`` (InfoDiv) on the same
SVC, and for reference margin sampling (``UncertaintySampler``, US-C) and
random sampling (Uniform).

Printed for each: mean ± std of the AUBC over the seeds next to the
published Wdbc mean ± std, and the mean wall time of one whole-pool
experiment next to the published computational time (their machine, their
implementation). The published numbers are constants below, copied from
results/README.md of https://github.com/ariapoy/active-learning-benchmark
(commit 5ef0bdb9fe1a76eba640c5f0a45ae6973b4cc41d), "Summary Table" and
"Computational Time", row Wdbc.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactive import (
    HierarchicalSampler,
    MarginClusterSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.experiment import run_experiment

# Lu, Li & Lin (2023), results/README.md, row Wdbc: (AUBC mean, std, seconds
# per experiment), under their names.
PUBLISHED = {
    "Hier": (0.9565, 0.0107, 1 * 60 + 42.001),
    "MCM": (0.9650, 0.0104, 9.264),
    "InfoDiv": (0.9652, 0.0103, 7.215),
    "US-C": (0.9652, 0.0103, 6.857),
    "Uniform": (0.9539, 0.0130, 4.867),
}


def task_model():
    return SVC(kernel="rbf", gamma="auto")


def samplers():
    return {
        "Hier": HierarchicalSampler(),
        "MCM": MarginClusterSampler(task_model(), strategy="cluster_mean"),
        "InfoDiv": MarginClusterSampler(task_model(), strategy="cluster_proportions"),
        "US-C": UncertaintySampler(task_model(), strategy="margin"),
        "Uniform": RandomSampler(),
    }


def one_seed(X, y, seed, quick):
    """AUBC and wall time of each strategy on one split."""
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(X_pool)
    X_pool, X_test = scaler.transform(X_pool), scaler.transform(X_test)
    budget = 20 + (X_pool.shape[0] - 20) // 3 if quick else X_pool.shape[0]
    results = {}
    for name, sampler in samplers().items():
        start = time.perf_counter()
        result = run_experiment(
            task_model(), {name: sampler}, X_pool, y_pool, X_test=X_test,
            y_test=y_test, initial_size=20, batch_size=1, budget=budget,
            n_repeats=1, random_state=seed)
        elapsed = time.perf_counter() - start
        results[name] = (result.aubc()[name][0], elapsed)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_seeds = 2 if args.quick else args.seeds
    X, y = load_breast_cancer(return_X_y=True)
    runs = [one_seed(X, y, seed, args.quick) for seed in range(n_seeds)]
    print(f"Wdbc (load_breast_cancer), {n_seeds} seeds, "
          f"{'QUICK: a third of the budget, ' if args.quick else ''}"
          "SVC(rbf, gamma='auto'), 20 initial, batch 1, whole pool")
    print(f"{'strategy':<9} {'AUBC (ours)':>17} {'published':>17} "
          f"{'s/experiment':>13} {'published s':>12} {'speed-up':>9}")
    for name, (mean, std, seconds) in PUBLISHED.items():
        areas = np.array([run[name][0] for run in runs])
        times = np.array([run[name][1] for run in runs])
        spread = areas.std(ddof=1) if n_seeds > 1 else 0.0
        print(f"{name:<9} {areas.mean():>8.4f} ± {spread:.4f} "
              f"{mean:>8.4f} ± {std:.4f} {times.mean():>13.2f} {seconds:>12.1f} "
              f"{seconds / times.mean():>8.1f}x")


if __name__ == "__main__":
    main()

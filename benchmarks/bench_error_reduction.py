"""Expected error reduction and variance reduction on Lu, Li & Lin's protocol.

Run: ``python benchmarks/bench_error_reduction.py [--seeds N] [--quick] [--exact]``.

Lu, Li & Lin (2023), "Re-Benchmarking Pool-Based Active Learning for Binary
Classification", on scikit-learn's ``load_breast_cancer`` (their Wdbc): per
seed, 40 % of the data drawn as the test set, a StandardScaler fitted on the
training part, 20 initial labels, batches of 1 until the whole pool is
labeled; the task model is ``SVC(kernel="rbf", gamma="auto")``; the score
is the area under the accuracy curve (AUBC) of
:func:`skactive.experiment.run_experiment`.

Strategies (their src/config.py settings):

- ``vr``: VarianceReductionSampler with a logistic regression, sigma=100;
- ``eer_mc``: ExpectedErrorReductionSampler(SVC(probability=True)), the
  Monte-Carlo approximation (20 random candidates per round), log loss;
- ``eer`` (with ``--exact``): the exact criterion, every pool sample a
  candidate (2 SVC fits per candidate per round: about 10^5 fits per
  experiment);
- ``uniform``: RandomSampler, the baseline.

Published numbers: ariapoy/active-learning-benchmark, results/README.md
(Wdbc row: mean ± std AUBC) and the paper's table of computational time per
experiment on Wdbc (EER 79 min, VR 50 min, as issue 24 quotes them).
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactive import (
    ExpectedErrorReductionSampler,
    RandomSampler,
    VarianceReductionSampler,
)
from skactive.experiment import run_experiment

# ariapoy/active-learning-benchmark, results/README.md, row Wdbc.
PUBLISHED_AUBC = {"uniform": (0.9539, 0.013), "vr": (0.9539, 0.013),
                  "eer": (0.9622, 0.0107), "eer_mc": (0.9622, 0.0107)}
# Minutes per experiment on Wdbc, Lu, Li & Lin (2023), as quoted in issue 24.
PUBLISHED_MINUTES = {"vr": 50.0, "eer": 79.0, "eer_mc": 79.0}


def samplers(seed, exact):
    svc = SVC(kernel="rbf", gamma="auto", probability=True, random_state=seed)
    chosen = {
        "uniform": RandomSampler(random_state=seed),
        "vr": VarianceReductionSampler(LogisticRegression(), sigma=100.0,
                                       random_state=seed),
        "eer_mc": ExpectedErrorReductionSampler(svc, loss="log_loss",
                                                monte_carlo_candidates=20,
                                                random_state=seed),
    }
    if exact:
        chosen["eer"] = ExpectedErrorReductionSampler(svc, loss="log_loss",
                                                      n_jobs=2, random_state=seed)
    return chosen


def one_seed(seed, X, y, exact, quick):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    budget = 60 if quick else len(y_train)
    areas, seconds = {}, {}
    for name, sampler in samplers(seed, exact).items():
        start = time.perf_counter()
        result = run_experiment(SVC(kernel="rbf", gamma="auto"), {name: sampler},
                                X_train, y_train, X_test=X_test, y_test=y_test,
                                initial_size=20, batch_size=1, budget=budget,
                                n_repeats=1, random_state=seed)
        seconds[name] = time.perf_counter() - start
        areas[name] = result.aubc_per_repeat()[name][0]
    return areas, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds, a budget of 60 labels")
    parser.add_argument("--exact", action="store_true",
                        help="also the exact EER (about 10^5 SVC fits per seed)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", FutureWarning)  # SVC(probability=True)
    seeds = 2 if args.quick else args.seeds
    X, y = load_breast_cancer(return_X_y=True)
    areas, seconds = {}, {}
    for seed in range(seeds):
        seed_areas, seed_seconds = one_seed(seed, X, y, args.exact, args.quick)
        for name in seed_areas:
            areas.setdefault(name, []).append(seed_areas[name])
            seconds.setdefault(name, []).append(seed_seconds[name])
        print(f"seed {seed}: " + ", ".join(
            f"{name} AUBC {seed_areas[name]:.4f} in {seed_seconds[name]:.1f} s"
            for name in seed_areas), flush=True)
    print(f"Wdbc (load_breast_cancer), {seeds} seeds, "
          f"{'budget 60 (quick)' if args.quick else 'the whole pool'}, batch 1")
    print(f"{'strategy':<10}{'AUBC mean ± std':>20}{'published':>20}"
          f"{'s / experiment':>16}{'published':>12}{'speed-up':>10}")
    for name in areas:
        mean, std = np.mean(areas[name]), np.std(areas[name])
        published = "{:.4f} ± {:.4f}".format(*PUBLISHED_AUBC[name])
        per_run = np.mean(seconds[name])
        minutes = PUBLISHED_MINUTES.get(name)
        speed = f"{minutes * 60 / per_run:9.0f}x" if minutes else ""
        paper = f"{minutes:9.0f} min" if minutes else ""
        print(f"{name:<10}{mean:>11.4f} ± {std:.4f}{published:>20}"
              f"{per_run:>16.1f}{paper:>12}{speed:>10}")


if __name__ == "__main__":
    main()

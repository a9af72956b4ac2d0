"""BMDR and SPAL on Lu, Li & Lin's Wdbc protocol, next to the published
AUBC and time; ``--large`` times the whole-pool protocol on a 5,000-sample
pool.

Settings as Lu et al. ran ALiPy (their src/config.py): BMDR beta=1000,
gamma=0.1, RBF gamma_ker=1; SPAL mu=0.1, gamma=0.1, lambda_init=0.1,
lambda_pace=0.01; batch 1. (rho is ADMM's; skactive solves the model step
exactly.) One thread (threadpoolctl). --large on a quiet machine: the whole
pool is about 5,000 rounds, each refitting the sampler from scratch (its
n_L^3 factorizations grow with the labels): pass --large-budget to time the
first rounds.

    python benchmarks/bench_bmdr.py --quick
    python benchmarks/bench_bmdr.py --seeds 20
    python benchmarks/bench_bmdr.py --large
"""

import argparse
import time

import numpy as np
from _lu2023 import header, one_experiment, table_row, task_model
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skactive import BMDRSampler, SPALSampler
from skactive.experiment import run_experiment

SAMPLERS = {
    "BMDR": lambda: BMDRSampler(beta=1000.0, gamma=0.1, gamma_kernel=1.0,
                                random_state=0),
    "SPAL": lambda: SPALSampler(mu=0.1, gamma=0.1, gamma_kernel=1.0,
                                lambda_init=0.1, lambda_pace=0.01, random_state=0),
}


def large(name, n_samples=5000, budget=None):
    """One whole-pool experiment on a make_classification pool: seconds."""
    X, y = make_classification(n_samples=n_samples + n_samples // 4, n_features=20,
                               random_state=0)
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=n_samples // 4, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_pool)
    start = time.perf_counter()
    run_experiment(task_model(), {name: SAMPLERS[name]()}, scaler.transform(X_pool),
                   y_pool, X_test=scaler.transform(X_test), y_test=y_test,
                   initial_size=20, batch_size=1, budget=budget or n_samples,
                   n_repeats=1, random_state=0)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds, a budget of 60 labels")
    parser.add_argument("--large", action="store_true",
                        help="the whole-pool protocol on a 5,000-sample pool")
    parser.add_argument("--large-budget", type=int, default=None,
                        help="labels in --large (default: the whole pool)")
    args = parser.parse_args()
    with threadpool_limits(1):
        if args.large:
            for name in SAMPLERS:
                budget = args.large_budget or 5000
                seconds = large(name, budget=budget)
                print(f"{name}: 5,000-sample pool, budget {budget}: {seconds:.1f} s "
                      f"({seconds / (budget - 20):.2f} s per round)")
            return
        seeds, budget = (2, 60) if args.quick else (args.seeds, None)
        print(header())
        for name, make in SAMPLERS.items():
            runs = [one_experiment(name, make(), seed, budget=budget)
                    for seed in range(seeds)]
            aubc, seconds = zip(*runs)
            print(table_row(name, aubc, float(np.mean(seconds))))


if __name__ == "__main__":
    main()

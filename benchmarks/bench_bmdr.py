"""BMDR and SPAL on Lu, Li & Lin's Wdbc protocol, next to the published
AUBC and time; ``--large`` times the whole-pool protocol on a 5,000-sample
pool.

Settings as Lu et al. ran ALiPy (their src/config.py): BMDR beta=1000,
gamma=0.1, RBF gamma_ker=1; SPAL mu=0.1, gamma=0.1, lambda_init=0.1,
lambda_pace=0.01; batch 1. (rho is ADMM's; skactive solves the model step
exactly.) One thread (threadpoolctl).

--large runs the whole-pool protocol on a 5,000-sample pool
(make_classification, 20 features): about 5,000 rounds, each refitting
the sampler (which extends the factors of its labeled kernel, n_L^2 per
new label), hours per strategy. It runs round by round (``_resumable.whole_pool``,
checked first against ``run_experiment`` on a small pool) and keeps its
state in ``--state``, a folder: stopped and started again, it goes on from
the last saved round, and the seconds it prints are the rounds' own,
summed over the sittings. --large-budget times the first rounds only.

    python benchmarks/bench_bmdr.py --quick
    python benchmarks/bench_bmdr.py --seeds 20
    python benchmarks/bench_bmdr.py --large --state runs/ [--strategies SPAL]
"""

import argparse
from pathlib import Path

import numpy as np
from _lu2023 import header, one_experiment, table_row, task_model
from _resumable import same_as_run_experiment, whole_pool
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skactive import BMDRSampler, SPALSampler

SAMPLERS = {
    "BMDR": lambda: BMDRSampler(beta=1000.0, gamma=0.1, gamma_kernel=1.0,
                                random_state=0),
    "SPAL": lambda: SPALSampler(mu=0.1, gamma=0.1, gamma_kernel=1.0,
                                lambda_init=0.1, lambda_pace=0.01, random_state=0),
}


def large_problem(n_samples=5000):
    """The 5,000-sample pool and its test set (a quarter as large),
    standardised on the pool."""
    X, y = make_classification(n_samples=n_samples + n_samples // 4, n_features=20,
                               random_state=0)
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=n_samples // 4, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_pool)
    return scaler.transform(X_pool), y_pool, scaler.transform(X_test), y_test


def large(name, state_folder, budget=None):
    """One whole-pool experiment on the 5,000-sample pool, resumable."""
    X_pool, y_pool, X_test, y_test = large_problem()
    if not same_as_run_experiment(name, SAMPLERS[name](), task_model(), X_pool[:300],
                                  y_pool[:300], X_test, y_test, budget=60):
        raise RuntimeError("the round-by-round loop differs from run_experiment")
    suffix = "" if budget is None else f"-{budget}"
    state = Path(state_folder) / f"large-{name}{suffix}.json"
    area, run = whole_pool(name, SAMPLERS[name](), task_model(), X_pool, y_pool,
                           X_test, y_test, budget=budget, state=state,
                           log=lambda line: print(line, flush=True))
    rounds = len(run["picked"])
    print(f"{name}: 5,000-sample pool, {run['n_labeled'][-1]:,} labels, {rounds:,} "
          f"rounds: AUBC {area:.4f}; {run['seconds']:.0f} s, of which the "
          f"sampler's fit + select {run['sampler_seconds']:.0f} s "
          f"({run['sampler_seconds'] / rounds:.2f} s per round); sittings: "
          + ", ".join(f"{sitting['code']} from round {sitting['from_round']}"
                      for sitting in run.get("sittings", [])), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds, a budget of 60 labels")
    parser.add_argument("--large", action="store_true",
                        help="the whole-pool protocol on a 5,000-sample pool")
    parser.add_argument("--large-budget", type=int, default=None,
                        help="labels in --large (default: the whole pool)")
    parser.add_argument("--state", default="bench_bmdr_state",
                        help="--large's folder of resumable runs")
    parser.add_argument("--strategies", default="BMDR,SPAL",
                        help="--large's strategies, comma-separated")
    args = parser.parse_args()
    with threadpool_limits(1):
        if args.large:
            for name in args.strategies.split(","):
                large(name, args.state, budget=args.large_budget)
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

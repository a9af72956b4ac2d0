"""Learning active learning (LAL) on Lu, Li & Lin's Wdbc protocol.

Run: ``python benchmarks/bench_lal.py [--seeds N] [--quick]``.

The protocol is benchmarks/_lu2023.py's (SVC rbf gamma="auto" as the task
model, 40 % test redrawn per seed, 20 initial labels, batches of 1 until
the whole pool is labeled, their AUBC). Lu et al.'s src/config.py runs
ALiPy's ``QueryInstanceLAL`` with ``mode="LAL_iterative"``, ``cls_est=50``
and ``train_slt=True``: LAL-iterative describing a random forest of 50
trees, which is :class:`skactive.LALSampler`'s default (its regressor is
fitted on the shipped LAL-iterative simulation once per process; that fit
is timed in the first experiment only, as ALiPy trains its selector once).
``Uniform`` (RandomSampler) runs alongside as the floor.

``--quick``: 2 seeds, a budget of 60 labels (not the protocol: its AUBC is
not comparable with the published one). One BLAS thread.
"""

import argparse

import numpy as np
from _lu2023 import header, one_experiment, table_row
from threadpoolctl import threadpool_limits

from skactive import LALSampler, RandomSampler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    seeds = range(2 if args.quick else args.seeds)
    budget = 60 if args.quick else None
    runs = {"LAL": lambda seed: LALSampler(random_state=seed),
            "Uniform": lambda seed: RandomSampler(random_state=seed)}
    print(f"Wdbc, seeds {list(seeds)}, budget {budget or 'whole pool'}")
    print(header())
    with threadpool_limits(1):
        for name, make in runs.items():
            aubc, seconds = [], []
            for seed in seeds:
                area, took = one_experiment(name, make(seed), seed, budget=budget)
                aubc.append(area)
                seconds.append(took)
                print(f"  {name} seed {seed}: AUBC {area:.4f}, {took:.1f} s",
                      flush=True)
            print(table_row(name, aubc, float(np.mean(seconds))), flush=True)


if __name__ == "__main__":
    main()

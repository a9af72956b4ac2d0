"""Active learning by learning (ALBL) on Lu, Li & Lin's Wdbc protocol.

Run: ``python benchmarks/bench_albl.py [--seeds N] [--quick]``.

The protocol is :mod:`_lu2023`'s (SVC rbf gamma="auto", 40 % test redrawn
per seed, 20 initial labels, batches of 1 until the whole pool is labeled,
their AUBC). ALBL has their settings (src/config.py of
ariapoy/active-learning-benchmark): EXP4.P with ``delta=0.1`` and the
uniform arm, over uncertainty sampling with ``LogisticRegression(C=1)`` and
``LogisticRegression(C=0.01)`` (libact's default least confidence, the
same ranking as margin for two classes) and HintSVM; the reward's model is
the task model. HintSVM is taken when :mod:`skactive` exports
``HintSVMSampler``; otherwise the script runs with the two uncertainty arms
and says so. ``--quick`` runs 2 seeds with a budget of 60 labels (its AUBC
is not comparable to the published whole-pool one). One thread
(``threadpool_limits(1)``), as the published times are per experiment.
"""

import argparse
import warnings

import numpy as np
from _lu2023 import header, one_experiment, table_row, task_model
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

import skactive
from skactive import ALBLSampler, RandomSampler, UncertaintySampler


def albl(seed):
    """ALBL with Lu et al.'s arms; the second value says whether HintSVM is one."""
    arms = [UncertaintySampler(LogisticRegression(C=1.0), strategy="least_confidence"),
            UncertaintySampler(LogisticRegression(C=0.01),
                               strategy="least_confidence")]
    hintsvm = getattr(skactive, "HintSVMSampler", None)
    if hintsvm is not None:
        arms.append(hintsvm())
    return ALBLSampler(arms, task_model(), delta=0.1, uniform=True,
                       random_state=seed), hintsvm is not None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2 seeds, a budget of 60 labels")
    args = parser.parse_args(argv)
    seeds = range(2 if args.quick else args.seeds)
    budget = 60 if args.quick else None
    with_hintsvm = albl(0)[1]
    print("ALBL arms: US-LR(C=1), US-LR(C=0.01), "
          + ("HintSVM, " if with_hintsvm else "")
          + "uniform"
          + ("" if with_hintsvm else
             "  (HintSVMSampler is not in skactive here: run without it)"))
    print(f"{len(seeds)} seeds, budget {'whole pool' if budget is None else budget}")
    print(header())
    results = {"ALBL": ([], []), "Uniform": ([], [])}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        for seed in seeds:
            for name, sampler in (("ALBL", albl(seed)[0]),
                                  ("Uniform", RandomSampler(random_state=seed))):
                aubc, seconds = one_experiment(name, sampler, seed, budget=budget)
                results[name][0].append(aubc)
                results[name][1].append(seconds)
    for name, (aubcs, seconds) in results.items():
        print(table_row(name, aubcs, float(np.mean(seconds))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

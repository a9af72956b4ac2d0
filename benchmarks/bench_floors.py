"""The least time any implementation of each Lu et al. strategy can take on Wdbc.

Run: ``python benchmarks/bench_floors.py [--seed S] [--eer-every K]``.

An experiment of Lu, Li & Lin's protocol (``_lu2023.py``) fits the task
model, ``SVC(kernel="rbf", gamma="auto")``, on 322 growing labeled sets (20
initial labels, then one more per round) and scores it on the test set;
every strategy pays that, whatever its implementation. Some strategies are
also defined by models of their own, fitted on the labeled set and asked
for the pool's probabilities every round (Lu et al.'s ``src/config.py``):
US-NC a logistic regression, QBC a committee of four, HintSVM its
quadratic program (the labeled samples and half the unlabeled pool as
hints, solved by PIQP as ``HintSVMSampler`` solves it, its kernel matrix
computed untimed), ALBL two logistic regressions and HintSVM's program,
EER an ``SVC(probability=True)`` refitted for every candidate and every
label. This script runs exactly that work in a bare loop, with nothing
else, on the labeled sets of one uniform-sampling experiment (one thread),
and prints for each strategy the published time, this floor, and their
ratio: the largest speed-up over the published time that the protocol and
the strategy's definition allow on this machine. A strategy whose ratio is
below 20 cannot be 20 times faster than published here, however it is
implemented.

The times are process CPU seconds (one thread), so that a run beside other
jobs still measures the work itself. EER's refits (about 10^5) are timed
on every ``--eer-every``-th round and multiplied by that number.
"""

import argparse
import time

import numpy as np
from _lu2023 import PUBLISHED, one_thread, task_model, wdbc_split
from sklearn.base import clone
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.svm import SVC

from skactive.acquisition import solve_hintsvm

INITIAL = 20


def labeled_sets(y_pool, seed):
    """The labeled index sets of one uniform-sampling experiment: 20 initial
    (one of each class first), then one more per round to the whole pool."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(y_pool.shape[0])
    first = [int(np.flatnonzero(y_pool[order] == label)[0]) for label in (0, 1)]
    order = np.concatenate([order[first], np.delete(order, first)])
    return [order[:n] for n in range(INITIAL, y_pool.shape[0] + 1)]


def protocol(X_pool, y_pool, X_test, y_test, sets):
    """The task model fitted on each labeled set and scored on the test set."""
    for labeled in sets:
        task_model().fit(X_pool[labeled], y_pool[labeled]).score(X_test, y_test)


def pool_probabilities(models):
    """Each model fitted on each labeled set, with its probabilities on the
    rest of the pool."""
    def run(X_pool, y_pool, X_test, y_test, sets):
        unlabeled = np.ones(y_pool.shape[0], dtype=bool)
        for labeled in sets:
            unlabeled[:] = True
            unlabeled[labeled] = False
            for model in models:
                fitted = clone(model).fit(X_pool[labeled], y_pool[labeled])
                if unlabeled.any():
                    fitted.predict_proba(X_pool[unlabeled])
    return run


def hintsvm_programs(seed):
    """HintSVM's program (Lu et al.'s Cl=Ch=1, RBF gamma=0.1) on each labeled
    set with half the unlabeled pool as hints (the sampler's default
    ``hint_ratio``), its kernel matrix computed untimed."""
    def run(X_pool, y_pool, X_test, y_test, sets):
        rng = np.random.default_rng(seed)
        seconds = 0.0
        for labeled in sets[:-1]:
            rest = np.setdiff1d(np.arange(y_pool.shape[0]), labeled)
            hints = rng.choice(rest, rest.shape[0] // 2, replace=False)
            train = np.vstack([X_pool[labeled], X_pool[hints]])
            kernel = rbf_kernel(train, gamma=0.1)
            start = time.process_time()
            solve_hintsvm(kernel, 2 * y_pool[labeled] - 1, Cl=1.0, Ch=1.0)
            seconds += time.process_time() - start
        return seconds
    return run


def eer_refits(every):
    """EER's refits: for each candidate and each label, SVC(probability=True)
    on the labeled set with that pair, and its probabilities on the pool;
    timed on every ``every``-th round, the sum multiplied by ``every``."""
    def run(X_pool, y_pool, X_test, y_test, sets):
        for labeled in sets[::every]:
            rest = np.setdiff1d(np.arange(y_pool.shape[0]), labeled)
            for candidate in rest:
                X = np.vstack([X_pool[labeled], X_pool[candidate]])
                for label in (0, 1):
                    y = np.append(y_pool[labeled], label)
                    task_model(probability=True).fit(X, y).predict_proba(X_pool[rest])
    return run


def cpu_seconds(work, *args):
    """CPU seconds of ``work``, or the seconds it returns (its own timer)."""
    start = time.process_time()
    own = work(*args)
    return time.process_time() - start if own is None else own


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eer-every", type=int, default=10)
    args = parser.parse_args()
    X_pool, X_test, y_pool, y_test = wdbc_split(args.seed)
    sets = labeled_sets(y_pool, args.seed)
    data = (X_pool, y_pool, X_test, y_test, sets)
    committee = [LogisticRegression(), SVC(kernel="linear", probability=True),
                 SVC(probability=True), LinearDiscriminantAnalysis()]
    # the work each strategy's definition adds to the protocol's
    own = {
        "US-NC": pool_probabilities([LogisticRegression()]),
        "QBC": pool_probabilities(committee),
        "HintSVM": hintsvm_programs(args.seed),
        "ALBL": pool_probabilities([LogisticRegression(C=1.0),
                                    LogisticRegression(C=0.01)]),
        "EER": eer_refits(args.eer_every),
    }
    with one_thread():
        base = cpu_seconds(protocol, *data)
        extra = {name: cpu_seconds(work, *data) for name, work in own.items()}
    extra["EER"] *= args.eer_every
    extra["ALBL"] += extra["HintSVM"]
    print(f"Wdbc, seed {args.seed}, {len(sets)} labeled sets; protocol alone "
          f"(SVC fit + test score): {base:.2f} CPU s")
    print(f"{'strategy':<10} {'published s':>12} {'floor s':>9} "
          f"{'largest speed-up':>17}")
    for name, (_, _, published) in PUBLISHED.items():
        if published is None:
            continue
        floor = base + extra.get(name, 0.0)
        print(f"{name:<10} {published:>12.1f} {floor:>9.2f} {published / floor:>16.1f}x"
              + ("" if published / floor >= 20 else "   < 20x"), flush=True)


if __name__ == "__main__":
    main()

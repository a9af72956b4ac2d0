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

The published mean ± std AUBC and time of one experiment (Wdbc row) are
``_lu2023.PUBLISHED``, from https://github.com/ariapoy/active-learning-benchmark,
results/README.md; the measured time per experiment (one strategy, one
seed, the whole pool, one thread) is printed beside them.
"""

import argparse
import warnings

import numpy as np
from _lu2023 import PUBLISHED, one_experiment, task_model
from threadpoolctl import threadpool_limits

from skactive import DensitySampler, RandomSampler, UncertaintySampler


def samplers():
    return {
        "Uniform": RandomSampler(),
        "US-C": UncertaintySampler(task_model(), strategy="margin"),
        "DWUS": DensitySampler(strategy="dwus"),
        "Graph": DensitySampler(strategy="graph_density"),
        "InfoDensity": DensitySampler(task_model(probability=True),
                                      uncertainty="margin"),
    }


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
        runs = [one_experiment(name, sampler, seed, budget) for seed in range(n_seeds)]
        aubc = np.array([area for area, _ in runs])
        seconds = np.mean([s for _, s in runs])
        mean, std, p_seconds = PUBLISHED.get(name, (None, None, None))
        published = "n/a" if mean is None else f"{mean:.4f} ± {std:.4f}"
        p_time = "n/a" if p_seconds is None else f"{p_seconds:.1f}"
        print(f"{name:<12} {aubc.mean():>9.4f} ± {aubc.std(ddof=1):.4f} "
              f"{published:>18} {seconds:>13.1f} {p_time:>15}", flush=True)


if __name__ == "__main__":
    main()

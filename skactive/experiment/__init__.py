"""Active-learning experiments: simulation loop, learning curves, AUBC, plots;
prequential evaluation of stream samplers and drifting streams."""

# SPDX-License-Identifier: BSD-3-Clause

from ._benchmark import BenchmarkResult, load_datasets, run_benchmark
from ._drift import make_hyperplane_stream, make_sea_stream
from ._loop import run_experiment
from ._plot import BudgetCurveDisplay
from ._report import plot_critical_difference
from ._result import ExperimentResult, aubc
from ._stats import (
           friedman,
           holm,
           mean_ranks,
           nemenyi_critical_difference,
           win_tie_loss,
)
from ._stream import run_stream_experiment

__all__ = ["BenchmarkResult", "BudgetCurveDisplay", "ExperimentResult", "aubc",
           "friedman", "holm", "load_datasets", "run_benchmark",
           "mean_ranks", "nemenyi_critical_difference", "plot_critical_difference",
           "run_experiment", "run_stream_experiment", "make_sea_stream",
           "make_hyperplane_stream",
           "win_tie_loss"]

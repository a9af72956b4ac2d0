"""Active-learning experiments: simulation loop, learning curves, AUBC, plots;
prequential evaluation of stream samplers and drifting streams."""

# SPDX-License-Identifier: BSD-3-Clause

from ._benchmark import BenchmarkResult, load_datasets, run_benchmark
from ._drift import make_hyperplane_stream, make_sea_stream
from ._loop import run_experiment
from ._plot import BudgetCurveDisplay
from ._protocols import get_protocol
from ._report import plot_critical_difference
from ._result import ExperimentResult, aubc
from ._stats import (
           cliques,
           friedman,
           holm,
           mean_ranks,
           nemenyi_critical_difference,
           smallest_friedman_p,
           smallest_wilcoxon_p,
           wilcoxon_p_values,
           win_tie_loss,
)
from ._stream import run_stream_experiment

__all__ = ["aubc", "BenchmarkResult", "BudgetCurveDisplay", "cliques",
           "ExperimentResult", "friedman", "get_protocol", "holm", "load_datasets",
           "make_hyperplane_stream", "make_sea_stream", "mean_ranks",
           "nemenyi_critical_difference", "plot_critical_difference", "run_benchmark",
           "run_experiment", "run_stream_experiment", "smallest_friedman_p",
           "smallest_wilcoxon_p", "wilcoxon_p_values", "win_tie_loss"]

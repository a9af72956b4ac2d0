"""Active-learning experiments: simulation loop, learning curves, AUBC, plots."""

# SPDX-License-Identifier: BSD-3-Clause

from ._benchmark import BenchmarkResult, load_datasets, run_benchmark
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

__all__ = ["BenchmarkResult", "BudgetCurveDisplay", "ExperimentResult", "aubc",
           "get_protocol",
           "cliques", "friedman", "holm", "load_datasets", "run_benchmark",
           "mean_ranks", "nemenyi_critical_difference", "plot_critical_difference",
           "run_experiment", "smallest_friedman_p", "smallest_wilcoxon_p",
           "wilcoxon_p_values", "win_tie_loss"]

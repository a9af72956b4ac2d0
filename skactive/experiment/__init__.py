"""Active-learning experiments: simulation loop, learning curves, AUBC, plots."""

# SPDX-License-Identifier: BSD-3-Clause

from ._loop import run_experiment
from ._plot import BudgetCurveDisplay
from ._result import ExperimentResult, aubc

__all__ = ["BudgetCurveDisplay", "ExperimentResult", "aubc", "run_experiment"]

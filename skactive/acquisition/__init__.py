"""Acquisition functions: the formulas, as pure functions on arrays.

Each uncertainty function returns exactly the value of its formula, in the
direction the formula has (for :func:`margin`, :func:`variance` and
:func:`decision_margin`, lower means more uncertain). The samplers map them
to one direction: higher means pick first. The diversity functions
(:func:`round_robin`, :func:`k_center_greedy`) return an order of the pool.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._diversity import k_center_greedy, round_robin
from ._uncertainty import (
    decision_margin,
    entropy,
    least_confidence,
    margin,
    ratio,
    variance,
)

__all__ = [
    "decision_margin",
    "entropy",
    "k_center_greedy",
    "least_confidence",
    "margin",
    "ratio",
    "round_robin",
    "variance",
]

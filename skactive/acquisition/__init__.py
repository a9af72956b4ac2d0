"""Acquisition functions: the formulas, as pure functions on arrays.

Each function returns exactly the value of its formula, in the direction the
formula has (for :func:`margin`, :func:`variance` and
:func:`decision_margin`, lower means more uncertain). The samplers map them
to one direction: higher means pick first.
"""

# SPDX-License-Identifier: BSD-3-Clause

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
    "least_confidence",
    "margin",
    "ratio",
    "variance",
]

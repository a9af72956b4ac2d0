"""Warnings and errors that skactive raises."""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = ["SingleClassWarning"]


class SingleClassWarning(UserWarning):
    """The labeled data hold a single class, so no classifier can be trained.

    Model-based samplers then rank the pool in a random order seeded by their
    ``random_state`` until a second class is labeled. A cold start often
    begins this way; silence the warning with :mod:`warnings` filters on this
    class.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import UncertaintySampler
    >>> from skactive.exceptions import SingleClassWarning
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = UncertaintySampler(LogisticRegression()).fit(X, [1, 1, 1, 1, 1])
    >>> caught[0].category.__name__
    'SingleClassWarning'
    """

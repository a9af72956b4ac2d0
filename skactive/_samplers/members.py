"""The members of a committee or an ensemble, predicted one at a time.

Shared by the samplers that read members (committees, the predictive
standard deviation of an ensemble): no class, no public name.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.tree import BaseDecisionTree
from sklearn.utils import check_array, get_tags

from ..utils._sklearn_compat import _safe_indexing


def final_estimator(estimator):
    """The model at the end of a (frozen) pipeline: where ``predict`` lives."""
    while True:
        if isinstance(estimator, FrozenEstimator):
            estimator = estimator.estimator
        elif isinstance(estimator, Pipeline):
            estimator = estimator.steps[-1][1]
        else:
            return estimator


def check_not_boosting(estimator, instead):
    """Refuse gradient boosting where the members of an ensemble are read as
    a committee; ``instead`` says what to use."""
    # Imported here: sklearn.ensemble is slow to import and rarely needed.
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )

    model = final_estimator(estimator)
    if isinstance(model, (GradientBoostingClassifier, GradientBoostingRegressor,
                          HistGradientBoostingClassifier,
                          HistGradientBoostingRegressor)):
        raise ValueError(
            f"{type(model).__name__} is gradient boosting: its trees are "
            "stages, each fitted to the errors the previous ones left, not "
            "models of the target that could disagree, so they are not a "
            f"committee. {instead}"
        )


def ensemble_members(ensemble):
    """``(members, features)`` of a fitted ensemble: each member and the
    columns it was fitted on (None: all of them, as given)."""
    members = list(ensemble.estimators_)
    features = getattr(ensemble, "estimators_features_", None)
    if features is None:
        features = [None] * len(members)
    return members, list(features)


def member_outputs(X, members, features, method):
    """``getattr(member, method)`` on ``X`` for each member, one at a time.

    Trees of an ensemble get the chunk validated once, as forests do, not
    once per tree, and by the trees' rule (NaN allowed in dense input where
    their tags allow it); Bagging members get the columns they were fitted
    on.
    """
    kwargs = {}
    if all_trees(members):
        # As each tree would check it: NaN where its tags allow it, on dense X.
        allow_nan = not sp.issparse(X) and all(
            get_tags(member).input_tags.allow_nan for member in members)
        X = check_array(X, dtype=np.float32, accept_sparse="csr",
                        ensure_all_finite="allow-nan" if allow_nan else True)
        kwargs = {"check_input": False}
    for member, columns in zip(members, features):
        X_member = X if columns is None else _safe_indexing(X, columns, axis=1)
        yield getattr(member, method)(X_member, **kwargs)


def all_trees(members):
    """Whether every member is a decision tree (called with check_input=False)."""
    return bool(members) and all(isinstance(m, BaseDecisionTree) for m in members)

"""Uncertainty sampling: label the samples the model is least sure about."""

# SPDX-License-Identifier: BSD-3-Clause

import inspect
from dataclasses import replace
from functools import partial

import numpy as np
from sklearn.base import clone, is_regressor
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target

from ..acquisition import (
    decision_margin,
    entropy,
    expected_cost,
    least_confidence,
    margin,
    max_loss,
    mean_max_loss,
    mmc,
    multilabel_uncertainty,
    prediction_variance,
    ratio,
    variance,
)
from ..utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _fit_context,
    _safe_indexing,
)
from ..utils._validation import check_cost_matrix
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class
from .members import (
    check_not_boosting,
    ensemble_members,
    final_estimator,
    member_outputs,
)

# strategy -> (acquisition function, sign that makes higher = pick first)
_STRATEGIES = {
    "entropy": (entropy, 1),
    "least_confidence": (least_confidence, 1),
    "margin": (margin, -1),
    "ratio": (ratio, 1),
    "variance": (variance, -1),
    "std": (None, 1),  # regression: the model's predictive standard deviation
    "expected_cost": (expected_cost, 1),  # needs cost_matrix
    # Multilabel (one probability per label): formulas of acquisition._multilabel.
    "max_loss": (max_loss, 1),
    "mean_max_loss": (mean_max_loss, 1),
    "mmc": (mmc, 1),
}
_MULTILABEL_ONLY = ("max_loss", "mean_max_loss", "mmc")
_MULTILABEL = ("entropy", "least_confidence", "margin") + _MULTILABEL_ONLY
# Strategies that keep their meaning on decision_function values.
_DECISION_STRATEGIES = ("margin", "least_confidence")
# The regressors that strategy="std" reads a standard deviation from.
_STD_MODELS = (
    "Use a regressor whose predict takes return_std=True "
    "(GaussianProcessRegressor, BayesianRidge, ARDRegression), an ensemble of "
    "independently fitted members (RandomForestRegressor, ExtraTreesRegressor, "
    "BaggingRegressor(GradientBoostingRegressor()), VotingRegressor), or "
    "CommitteeSampler(strategy='variance') with a list of models."
)


def _score_chunk(X, *, estimator, response_method, function, sign,
                 user_function=False):
    """Scores of one chunk of the pool, higher = more informative; the output
    of a ``user_function`` (a callable strategy) is checked."""
    response = getattr(estimator, response_method)(X)
    if response_method == "decision_function":
        # Whatever the strategy, the smallest gap is the most uncertain.
        scores = decision_margin(response)
        return np.negative(scores, out=scores)
    scores = np.asarray(function(response))
    if user_function:
        if scores.shape != (response.shape[0],):
            raise ValueError(
                f"The strategy callable returned an array of shape {scores.shape}"
                f" for {response.shape[0]} samples: it must return one score per "
                "sample, shape (n_samples,)."
            )
        if not np.isfinite(scores).all():
            raise ValueError(
                "The strategy callable returned NaN or infinite scores: it must "
                "return finite values."
            )
    if sign < 0:
        scores = np.negative(scores, out=scores)
    return scores


class UncertaintySampler(ChunkedSampler):
    """Select the pool samples a classifier is least certain about.

    The sampler fits a clone of ``estimator`` on the labeled data, turns its
    ``predict_proba`` on the pool into one uncertainty score per sample with
    an acquisition function from :mod:`skactive.acquisition`, and selects the
    highest scores.

    Scores always read **higher = select earlier**. The functions whose
    formula ranks the other way are negated, which keeps exactly the order
    of the formula:

    - ``"entropy"``: :math:`-\\sum_c p_c \\log_2 p_c`, in [0, log2 C];
    - ``"least_confidence"``: :math:`1 - p_{(1)}`, in [0, 1 - 1/C];
    - ``"margin"``: :math:`-(p_{(1)} - p_{(2)})`, in [-1, 0];
    - ``"ratio"``: :math:`p_{(2)} / p_{(1)}`, in [0, 1];
    - ``"variance"``: :math:`-\\mathrm{Var}_c(p)`, in [-(C - 1) / C^2, 0];

    where :math:`p_{(1)} \\geq p_{(2)}` are the two highest probabilities of
    a sample and C the number of classes.

    Parameters
    ----------
    estimator : classifier
        Classifier with ``predict_proba`` or ``decision_function``; may be a
        :class:`~sklearn.pipeline.Pipeline`. A clone is fitted in :meth:`fit`.
        Pass an already trained model as
        :class:`~sklearn.frozen.FrozenEstimator` to use it as it is: it is
        then never refitted nor modified.

    strategy : {"margin", "entropy", "least_confidence", "ratio", \
            "variance", "expected_cost", "std", "max_loss", "mean_max_loss", \
            "mmc"} or callable, default="margin"
        Acquisition function. A callable takes the probability matrix of a
        chunk of the pool, shape (n_chunk, n_classes), and returns one score
        per row, higher = more informative. Without ``predict_proba`` only
        ``"margin"`` and ``"least_confidence"`` apply, and both rank by the
        gap in ``decision_function`` (binary: smallest ``|f(x)|`` first;
        multiclass: smallest gap between the two highest values first).
        ``"expected_cost"`` needs ``cost_matrix``. For a regressor,
        ``"std"``: the predictive standard deviation, from ``predict(X,
        return_std=True)`` (GaussianProcessRegressor, BayesianRidge,
        ARDRegression) or the spread of the members of an ensemble
        (forests, Bagging, Voting, Stacking); gradient boosting is refused,
        its stages are not a committee (bag it instead). For a
        multilabel ``y`` (a binary indicator matrix): ``"margin"``,
        ``"entropy"`` and ``"least_confidence"`` per label, aggregated by
        ``aggregation``, and ``"max_loss"``, ``"mean_max_loss"`` and
        ``"mmc"``; see :mod:`skactive.acquisition`.

    aggregation : {"mean", "max"}, default="mean"
        Multilabel only: how the per-label uncertainties of ``"margin"``,
        ``"entropy"`` and ``"least_confidence"`` are combined, the mean over
        the labels or the most uncertain label (margin + ``"max"`` is
        BinMin).

    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        For ``"expected_cost"``: ``C[i, j]`` is the cost of predicting class
        ``j`` when the truth is ``i``, in the order of ``classes_``;
        non-negative.

    chunk_size : int, default=None
        Number of pool rows scored at once (per worker). None picks it from
        ``sklearn.get_config()["working_memory"]``, at most 16384 rows, in
        chunks of equal size.
        Peak memory is one chunk of probabilities per worker plus the
        scores of the pool.

    n_jobs : int, default=None
        Number of jobs scoring chunks in parallel through joblib. ``None``
        means 1 unless in a :func:`joblib.parallel_config` context (for
        example the dask backend); -1 uses all processors. Scores do not
        depend on it.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties in :meth:`select`, and gives the random order used
        when the labeled data hold a single class. Pass an int for the same
        batch at every call.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator`` (``estimator`` itself when it is a
        :class:`~sklearn.frozen.FrozenEstimator`).

    response_method_ : {"predict_proba", "decision_function", "predict_std", \
            "members_std", "random"}
        How the pool is scored; ``"random"`` when the labeled data had a
        single class, so that no classifier could be trained.

    multilabel_ : bool
        Whether ``y`` was a multilabel indicator matrix.

    n_labels_ : int
        Multilabel only: the number of labels the model predicts, read from
        its output; it sizes the chunks of the pool.

    count_model_ : estimator, int or None
        For ``"mmc"``: the model of the number of labels per sample (a
        constant when the labeled samples all have as many).

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.

    See Also
    --------
    skactive.RandomSampler : The random baseline.
    skactive.acquisition : The acquisition functions as plain functions.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import UncertaintySampler
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16
    >>> sampler = UncertaintySampler(LogisticRegression(), strategy="margin")
    >>> sampler.fit(X[:100], y[:100])
    UncertaintySampler(estimator=LogisticRegression())
    >>> sampler.score(X[100:]).shape
    (1697,)
    >>> sampler.select(X[100:], batch_size=5).shape
    (5,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "estimator": [HasMethods(["fit"])],
        "strategy": [StrOptions(set(_STRATEGIES)), callable],
        "aggregation": [StrOptions({"mean", "max"})],
        "cost_matrix": ["array-like", None],
    }

    def __init__(
        self,
        estimator,
        *,
        strategy="margin",
        aggregation="mean",
        cost_matrix=None,
        chunk_size=None,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.strategy = strategy
        self.aggregation = aggregation
        self.cost_matrix = cost_matrix
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit a clone of the estimator on the labeled data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the estimator accepts.

        y : array-like of shape (n_samples,)
            Their labels.

        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        self.multilabel_ = type_of_target(y) == "multilabel-indicator"
        _check_task(self.strategy, self.multilabel_, self.cost_matrix)
        self.response_method_ = _response_method(self.estimator, self.strategy)
        self.estimator_ = clone(self.estimator)
        if self.multilabel_:
            return self._fit_multilabel(X, y, fit_params)
        if self.response_method_ == "predict":  # a regressor's spread
            self.estimator_.fit(X, y, **fit_params)  # a no-op when frozen
            self.response_method_ = _std_method(self.estimator_)
            return self
        if isinstance(self.estimator_, FrozenEstimator):
            n_classes = len(getattr(self.estimator_, "classes_", (0, 1)))
        else:
            n_classes = np.unique(np.asarray(y)).shape[0]
            if n_classes > 1:
                self.estimator_.fit(X, y, **fit_params)
        if n_classes < 2:
            _warn_single_class()
            self.response_method_ = "random"
        elif self.strategy == "expected_cost":
            check_cost_matrix(self.cost_matrix, len(self.estimator_.classes_))
        return self

    def _fit_multilabel(self, X, y, fit_params):
        if self.response_method_ != "predict_proba":
            raise ValueError(
                f"Multilabel strategies need the probability of each label, but "
                f"{type(self.estimator).__name__} has no predict_proba: use a "
                "probabilistic model such as OneVsRestClassifier(LogisticRegression())."
            )
        self.estimator_.fit(X, y, **fit_params)  # a no-op when frozen
        # The model's own output gives the number of labels, which sizes the
        # chunks of the pool: on the labeled rows for MMC, else on one row.
        mmc = self.strategy == "mmc"
        Q = _label_probabilities(
            self.estimator_.predict_proba(X if mmc else _safe_indexing(X, [0])),
            getattr(self.estimator_, "classes_", None))
        self.n_labels_ = Q.shape[1]
        self.count_model_ = _fit_label_count(Q, y) if mmc else None
        return self

    def _inner_validates(self):
        return self.response_method_ != "random"

    def _score(self, X, top=None):
        if self.response_method_ == "random":
            return self._random_ranking(X, top)
        if self.response_method_ in ("predict_std", "members_std"):
            return self._map_chunks(_std_chunk, X, row_bytes=3 * 8,
                                    estimator=self.estimator_,
                                    how=self.response_method_, top=top)
        if self.multilabel_:
            # Measured peak: five float64 arrays of the labels' width per row
            # (the model's output, its copy as Q and the strategy's temporaries).
            return self._map_chunks(
                _multilabel_chunk, X, row_bytes=5 * 8 * self.n_labels_,
                estimator=self.estimator_, strategy=self.strategy,
                aggregation=self.aggregation, count_model=self.count_model_, top=top)
        if self.strategy == "expected_cost":
            return self._map_chunks(
                _score_chunk, X, row_bytes=3 * 8 * len(self.estimator_.classes_),
                estimator=self.estimator_, response_method="predict_proba",
                function=partial(expected_cost, cost_matrix=self.cost_matrix), sign=1,
                top=top)
        if callable(self.strategy):
            function, sign = self.strategy, 1
        else:
            function, sign = _STRATEGIES[self.strategy]
        n_outputs = len(getattr(self.estimator_, "classes_", (0, 1)))
        return self._map_chunks(
            _score_chunk,
            X,
            row_bytes=2 * 8 * n_outputs,
            estimator=self.estimator_,
            response_method=self.response_method_,
            function=function,
            sign=sign,
            user_function=callable(self.strategy),
            top=top,
        )

    def __skactive_tags__(self):
        if self.strategy == "std":
            task_types = {"regression"}
        elif self.strategy in _MULTILABEL_ONLY:
            task_types = {"multilabel"}
        elif self.strategy in _MULTILABEL:
            task_types = {"classification", "multilabel"}
        else:
            task_types = {"classification"}
        return replace(super().__skactive_tags__(), streaming=True, dask=True,
                       task_types=task_types)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return _inherit_input_tags(
            tags, [self.estimator],
            ("allow_nan", "sparse", "string", "categorical", "pairwise"),
        )


def _label_probabilities(response, classes=None):
    """The probability of each label, shape (n_samples, n_labels), from either
    multilabel form of predict_proba: a list of (n, 2) arrays (one per label,
    MultiOutputClassifier, forests) or one (n, n_labels) array (OneVsRest,
    ClassifierChain, MLPClassifier).

    In the list form a label that saw one value in training has one column;
    its ``classes`` entry says which value: present (1) or absent (0).
    """
    if isinstance(response, list):
        columns = []
        for j, proba in enumerate(response):
            proba = np.asarray(proba)
            if proba.shape[1] == 2:
                columns.append(proba[:, 1])
            else:
                only = 0 if classes is None else np.asarray(classes[j])[0]
                columns.append(np.full(proba.shape[0], float(only == 1)))
        return np.column_stack(columns)
    return np.asarray(response, dtype=float)


def _fit_label_count(Q, y):
    """MMC's model of the number of labels: a logistic regression on the
    sorted, normalised label probabilities (Yang et al., 2009)."""
    from sklearn.linear_model import LogisticRegression

    counts = np.maximum(np.asarray(y).sum(axis=1), 1).astype(int)
    if np.unique(counts).size < 2:
        return int(counts[0])
    return LogisticRegression(max_iter=1000).fit(_count_features(Q), counts)


def _count_features(Q):
    ordered = -np.sort(-Q, axis=1)
    return ordered / np.maximum(ordered.sum(axis=1, keepdims=True), 1e-12)


def _multilabel_chunk(X, *, estimator, strategy, aggregation, count_model):
    """Multilabel scores of one chunk of the pool, higher = more informative."""
    Q = _label_probabilities(estimator.predict_proba(X),
                             getattr(estimator, "classes_", None))
    if strategy in ("entropy", "least_confidence", "margin"):
        scores = multilabel_uncertainty(Q, strategy, aggregation)
        return -scores if strategy == "margin" else scores
    if strategy == "mmc":
        if isinstance(count_model, int):
            n_labels = np.full(Q.shape[0], count_model)
        else:
            n_labels = count_model.predict(_count_features(Q))
        return mmc(Q, n_labels)
    return _STRATEGIES[strategy][0](Q)


def _check_task(strategy, multilabel, cost_matrix):
    """Multilabel strategies on multilabel targets, multiclass ones on the
    others; expected_cost with a cost matrix."""
    if callable(strategy):
        if multilabel:
            raise ValueError("A callable strategy takes class probabilities; for "
                             "a multilabel y use one of " + ", ".join(_MULTILABEL))
        return
    if multilabel and strategy not in _MULTILABEL:
        raise ValueError(
            f"strategy={strategy!r} is for single-label targets, but y is a "
            f"multilabel indicator matrix: use one of {', '.join(_MULTILABEL)} "
            "(with aggregation='mean' or 'max')."
        )
    if not multilabel and strategy in _MULTILABEL_ONLY:
        raise ValueError(
            f"strategy={strategy!r} is for multilabel targets (a binary indicator "
            "matrix y), but y has one label per sample: use 'margin', 'entropy' "
            "or 'least_confidence'."
        )
    if (strategy == "expected_cost") != (cost_matrix is not None):
        raise ValueError(
            "strategy='expected_cost' needs cost_matrix (C[i, j]: the cost of "
            "predicting j when the truth is i), and cost_matrix is used by that "
            "strategy only."
        )


def _std_chunk(X, *, estimator, how):
    """Predictive standard deviation of a regressor on one chunk of the pool."""
    if how == "predict_std":
        return np.asarray(estimator.predict(X, return_std=True)[1], dtype=float)
    steps, ensemble = _split_pipeline(estimator)
    if steps is not None:
        X = steps.transform(X)
    members, features = ensemble_members(ensemble)
    variance = prediction_variance(member_outputs(X, members, features, "predict"))
    return np.sqrt(variance, out=variance)


def _split_pipeline(estimator):
    """``(preprocessing or None, final model)`` of a fitted (frozen) pipeline."""
    if isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    if isinstance(estimator, Pipeline):
        return estimator[:-1], final_estimator(estimator)
    return None, final_estimator(estimator)


def _std_method(estimator):
    """How a fitted regressor gives its predictive standard deviation."""
    final = final_estimator(estimator)
    if "return_std" in inspect.signature(final.predict).parameters:
        return "predict_std"
    if hasattr(final, "estimators_"):
        return "members_std"
    raise ValueError(
        f"strategy='std' needs a predictive standard deviation, which "
        f"{type(final).__name__} does not give. {_STD_MODELS}"
    )


def _response_method(estimator, strategy):
    """Which method of ``estimator`` feeds ``strategy``; raise if none can."""
    name = type(estimator).__name__
    regressor = is_regressor(estimator)
    if strategy == "std" or regressor:
        if strategy == "std" and regressor:
            check_not_boosting(estimator, _STD_MODELS)
            return "predict"
        if strategy == "std":
            raise ValueError(
                f"strategy='std' is the spread of a regressor's predictions, but "
                f"{name} is a classifier: use 'margin', 'entropy', "
                "'least_confidence', 'ratio' or 'variance'."
            )
        shown = getattr(strategy, "__name__", strategy)
        raise ValueError(
            f"strategy={shown!r} needs class probabilities, but {name} is a "
            "regressor: use strategy='std' (GaussianProcessRegressor, "
            "BayesianRidge, ARDRegression or a forest), "
            "CommitteeSampler(strategy='variance') or GreedySampler."
        )
    if hasattr(estimator, "predict_proba"):
        return "predict_proba"
    if not hasattr(estimator, "decision_function"):
        raise TypeError(
            f"{name} has neither predict_proba nor decision_function. "
            "UncertaintySampler needs a classifier that provides one of them, "
            "such as LogisticRegression or SVC."
        )
    if callable(strategy) or strategy not in _DECISION_STRATEGIES:
        shown = getattr(strategy, "__name__", strategy)
        raise ValueError(
            f"strategy={shown!r} needs class probabilities, but {name} has no "
            "predict_proba. Wrap it in sklearn.calibration.CalibratedClassifierCV "
            "to get calibrated probabilities, or use strategy='margin' or "
            "'least_confidence', which work from decision_function."
        )
    return "decision_function"

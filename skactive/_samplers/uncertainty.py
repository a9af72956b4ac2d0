"""Uncertainty sampling: label the samples the model is least sure about."""

# SPDX-License-Identifier: BSD-3-Clause

import inspect
from dataclasses import replace

import numpy as np
from sklearn.base import clone, is_regressor
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target

from ..acquisition import (
    decision_margin,
    entropy,
    expected_cost,
    label_count_model,
    label_probabilities,
    least_confidence,
    margin,
    max_loss,
    mean_max_loss,
    mmc,
    multilabel_uncertainty,
    prediction_variance,
    probability_variance,
    ratio,
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

# Strategies on class probabilities: strategy -> (acquisition function, sign
# that makes higher = select first).
_PROBABILITY = {
    "entropy": (entropy, 1),
    "least_confidence": (least_confidence, 1),
    "margin": (margin, -1),
    "ratio": (ratio, 1),
    "probability_variance": (probability_variance, -1),
}
# Strategies that keep their meaning on decision_function values.
_DECISION = ("margin", "least_confidence")
# Multilabel: the binary uncertainty of each label, aggregated over the
# labels; or a loss of the predicted label set.
_AGGREGATED = ("entropy", "least_confidence", "margin")
_LABEL_SET = {"max_loss": max_loss, "mean_max_loss": mean_max_loss, "mmc": mmc}
_STRATEGIES = {*_PROBABILITY, "expected_cost", "std", *_LABEL_SET}
# The regressors that strategy="std" reads a standard deviation from.
_STD_MODELS = (
    "Use a regressor whose predict takes return_std=True "
    "(GaussianProcessRegressor, BayesianRidge, ARDRegression), an ensemble of "
    "independently fitted members (RandomForestRegressor, ExtraTreesRegressor, "
    "BaggingRegressor(GradientBoostingRegressor()), VotingRegressor), or "
    "CommitteeSampler(strategy='prediction_variance') with a list of models."
)


# --- one chunk of the pool, per task: scores, higher = more informative -------


def _probability_chunk(X, *, estimator, function, sign, user_function):
    """A function of the class probabilities; a callable's output checked."""
    scores = np.asarray(function(estimator.predict_proba(X)))
    if user_function:
        _check_user_scores(scores, X.shape[0] if hasattr(X, "shape") else len(X))
    return np.negative(scores, out=scores) if sign < 0 else scores


def _decision_chunk(X, *, estimator):
    """The gap of decision_function, negated: the smallest gap first."""
    scores = decision_margin(estimator.decision_function(X))
    return np.negative(scores, out=scores)


def _cost_chunk(X, *, estimator, cost_matrix):
    """The expected cost of the Bayes decision."""
    return expected_cost(estimator.predict_proba(X), cost_matrix)


def _std_chunk(X, *, estimator, how):
    """Predictive standard deviation of a regressor."""
    if how == "predict_std":
        return np.asarray(estimator.predict(X, return_std=True)[1], dtype=float)
    steps, ensemble = _split_pipeline(estimator)
    if steps is not None:
        X = steps.transform(X)
    members, features = ensemble_members(ensemble)
    variance = prediction_variance(member_outputs(X, members, features, "predict"))
    return np.sqrt(variance, out=variance)


def _multilabel_chunk(X, *, estimator, strategy, aggregation, count_model):
    """A multilabel strategy on the probability of each label."""
    Q = label_probabilities(estimator.predict_proba(X),
                            getattr(estimator, "classes_", None))
    if strategy == "mmc":
        return mmc(Q, count_model.predict(Q))
    if strategy in _LABEL_SET:
        return _LABEL_SET[strategy](Q)
    scores = multilabel_uncertainty(Q, strategy, aggregation)
    return np.negative(scores, out=scores) if strategy == "margin" else scores


# --- the dispatch table: task -> how a fitted sampler scores the pool ---------
# Each entry gives (chunk function, peak bytes per pool row, the chunk
# function's arguments besides X and the estimator).


def _class_probabilities(sampler):
    strategy = sampler.strategy
    function, sign = (strategy, 1) if callable(strategy) else _PROBABILITY[strategy]
    return (_probability_chunk, 2 * 8 * _n_classes(sampler.estimator_),
            dict(function=function, sign=sign, user_function=callable(strategy)))


def _decision_function(sampler):
    return _decision_chunk, 2 * 8 * _n_classes(sampler.estimator_), {}


def _cost(sampler):
    return (_cost_chunk, 3 * 8 * _n_classes(sampler.estimator_),
            dict(cost_matrix=sampler.cost_matrix_))


def _regression_std(sampler):
    return _std_chunk, 3 * 8, dict(how=sampler.response_method_)


def _multilabel(sampler):
    # Measured peak: five float64 arrays of the labels' width per row (the
    # model's output, its copy as Q and the strategy's temporaries).
    return (_multilabel_chunk, 5 * 8 * sampler.n_labels_,
            dict(strategy=sampler.strategy, aggregation=sampler.aggregation or "mean",
                 count_model=sampler.count_model_))


_TASKS = {
    "class_probabilities": _class_probabilities,
    "decision_function": _decision_function,
    "cost": _cost,
    "regression_std": _regression_std,
    "multilabel": _multilabel,
}


def _task(response_method, strategy, multilabel):
    """The entry of :data:`_TASKS` that scores ``strategy``."""
    if multilabel:
        return "multilabel"
    if response_method == "predict":
        return "regression_std"
    if response_method == "decision_function":
        return "decision_function"
    return "cost" if strategy == "expected_cost" else "class_probabilities"


def _n_classes(estimator):
    return len(getattr(estimator, "classes_", (0, 1)))


class UncertaintySampler(ChunkedSampler):
    """Select the pool samples a model is least certain about.

    The sampler fits a clone of ``estimator`` on the labeled data, turns its
    output on the pool into one uncertainty score per sample with an
    acquisition function from :mod:`skactive.acquisition`, and selects the
    highest scores. The model may be a classifier (class probabilities or a
    decision function), a regressor with a predictive standard deviation, or
    a multilabel classifier; ``strategy`` must suit it.

    Scores always read **higher = select earlier**. The functions whose
    formula ranks the other way are negated, which keeps exactly the order
    of the formula. With :math:`p` a row of ``predict_proba``,
    :math:`p_{(1)} \\geq p_{(2)}` its two highest probabilities and
    :math:`C` the number of classes (Settles, 2009, surveys the first four):

    - ``"entropy"``: :math:`-\\sum_c p_c \\log_2 p_c`, in [0, log2 C];
    - ``"least_confidence"``: :math:`1 - p_{(1)}`, in [0, 1 - 1/C];
    - ``"margin"``: :math:`-(p_{(1)} - p_{(2)})`, in [-1, 0] (Scheffer et
      al., 2001);
    - ``"ratio"``: :math:`p_{(2)} / p_{(1)}`, in [0, 1];
    - ``"probability_variance"``: :math:`-\\frac{1}{C} \\sum_c (p_c - 1/C)^2`,
      in [-(C - 1) / C^2, 0]: the spread of the class probabilities, flat
      (uncertain) rows first;
    - ``"expected_cost"``: :math:`\\min_j \\sum_i p_i K_{ij}`, the expected
      cost of the Bayes decision under ``cost_matrix`` :math:`K`
      (Margineantu, 2005);
    - a callable: its value on the probabilities, as it is.

    Without ``predict_proba``, ``"margin"`` and ``"least_confidence"`` both
    rank by the gap in ``decision_function`` (Tong & Koller, 2001):
    :math:`-|f(x)|` for a binary model, :math:`-(f_{(1)} - f_{(2)})` with one
    column per class (:func:`~skactive.acquisition.decision_margin`).

    For a regressor, ``"std"``: the predictive standard deviation
    :math:`\\sigma(x)`, from ``predict(X, return_std=True)``
    (GaussianProcessRegressor, BayesianRidge, ARDRegression), or the spread
    of the members of an ensemble (forests, Bagging, Voting, Stacking),
    :math:`\\sqrt{\\frac{1}{M} \\sum_m (f_m(x) - \\bar f(x))^2}`. Gradient
    boosting is refused: its stages are not a committee (bag it instead).

    For a multilabel ``y`` (a binary indicator matrix), with :math:`q_l` the
    probability that label :math:`l` is present
    (:func:`~skactive.acquisition.label_probabilities`), the decision value
    :math:`f_l = 2 q_l - 1` and :math:`y_l = \\pm 1` a predicted label set:

    - ``"margin"``, ``"entropy"``, ``"least_confidence"``: the binary
      uncertainty of each label, combined by ``aggregation``
      (:func:`~skactive.acquisition.multilabel_uncertainty`; margin is
      negated, and with ``aggregation="max"`` it is BinMin, Brinker, 2006);
    - ``"max_loss"``: :math:`\\max_l (1 - y_l f_l) / 2`, with :math:`y_l =
      \\mathrm{sign}(f_l)` (Li, Wang & Sung, 2004);
    - ``"mean_max_loss"``: the mean of the same losses over the labels (Li,
      Wang & Sung, 2004);
    - ``"mmc"``: :math:`\\sum_l (1 - y_l f_l) / 2`, with :math:`y_l = 1` for
      the :math:`k` most probable labels, :math:`k` predicted by
      :func:`~skactive.acquisition.label_count_model` (Yang et al., 2009).

    Parameters
    ----------
    estimator : estimator
        Classifier with ``predict_proba`` or ``decision_function``, regressor
        with a predictive standard deviation (``strategy="std"``), or
        multilabel classifier with ``predict_proba``; may be a
        :class:`~sklearn.pipeline.Pipeline`. A clone is fitted in
        :meth:`fit`. Pass an already trained model as
        :class:`~sklearn.frozen.FrozenEstimator` to use it as it is: it is
        then never refitted nor modified.

    strategy : {"margin", "entropy", "least_confidence", "ratio", \
            "probability_variance", "expected_cost", "std", "max_loss", \
            "mean_max_loss", "mmc"} or callable, default="margin"
        Acquisition function; see above for the task each one serves. A
        callable takes the probability matrix of a chunk of the pool, shape
        (n_chunk, n_classes), and returns one score per row, higher = more
        informative.

    aggregation : {"mean", "max"}, default=None
        Multilabel ``"margin"``, ``"entropy"`` and ``"least_confidence"``
        only: how the per-label uncertainties are combined, the mean over the
        labels or the most uncertain label. None means ``"mean"``; any other
        strategy or target refuses it at :meth:`fit`.

    cost_matrix : array-like of shape (n_classes, n_classes) or DataFrame, \
            default=None
        For ``"expected_cost"``, and needed by it: ``C[i, j]`` is the cost of
        predicting class ``j`` when the truth is ``i``; non-negative. Other
        strategies refuse it at :meth:`fit`.

        - A pandas DataFrame is read by its labels: its index is the true
          class and its columns the decision, matched to the model's
          ``classes_`` whatever their order. It may hold every class of the
          problem while the labeled data lack some: the rows and columns of
          the model's classes are used. A class of the model missing from
          the index or the columns is an error that names it.
        - An array carries no labels: it is read by position, rows and
          columns in the order of the fitted model's ``classes_`` (sorted
          labels), and must have exactly that many. For costs of classes the
          labeled data lack, pass a DataFrame,
          ``pd.DataFrame(C, index=labels, columns=labels)``.

    chunk_size : int, default=None
        Number of pool rows scored at once (per worker). None picks it from
        ``sklearn.get_config()["working_memory"]``, at most 16384 rows, in
        chunks of equal size.
        Peak memory is one chunk of the model's output per worker plus the
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

    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        For ``"expected_cost"``: the costs used, rows and columns in the
        order of ``estimator_.classes_`` (read from ``cost_matrix`` by label
        when it is a DataFrame). Not set when the labeled data hold a single
        class.

    count_model_ : Pipeline or None
        For ``"mmc"``: the model of the number of labels of a sample, from
        :func:`~skactive.acquisition.label_count_model`.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.

    See Also
    --------
    skactive.CommitteeSampler : Disagreement of several models.
    skactive.RandomSampler : The random baseline.
    skactive.acquisition : The acquisition functions as plain functions.

    References
    ----------
    Settles, B. (2009). Active learning literature survey. University of
    Wisconsin-Madison, Computer Sciences Technical Report 1648.

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
        "strategy": [StrOptions(_STRATEGIES), callable],
        "aggregation": [StrOptions({"mean", "max"}), None],
        "cost_matrix": ["array-like", None],
    }

    def __init__(
        self,
        estimator,
        *,
        strategy="margin",
        aggregation=None,
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

        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Their labels (a binary indicator matrix for a multilabel
            target), or targets for a regressor.

        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        self.multilabel_ = type_of_target(y) == "multilabel-indicator"
        _check_strategy(self.strategy, self.multilabel_, self.cost_matrix,
                        self.aggregation)
        self.response_method_ = _response_method(self.estimator, self.strategy)
        self._task = _task(self.response_method_, self.strategy, self.multilabel_)
        self.estimator_ = clone(self.estimator)
        if self._task == "multilabel":
            return self._fit_multilabel(X, y, fit_params)
        if self._task == "regression_std":
            self.estimator_.fit(X, y, **fit_params)  # a no-op when frozen
            self.response_method_ = _std_method(self.estimator_)
            return self
        return self._fit_classifier(X, y, fit_params)

    def _fit_classifier(self, X, y, fit_params):
        if isinstance(self.estimator_, FrozenEstimator):
            n_classes = _n_classes(self.estimator_)
        else:
            n_classes = np.unique(np.asarray(y)).shape[0]
            if n_classes > 1:
                self.estimator_.fit(X, y, **fit_params)
        if n_classes < 2:
            _warn_single_class()
            self.response_method_ = "random"
        elif self._task == "cost":
            self.cost_matrix_ = check_cost_matrix(
                self.cost_matrix, _n_classes(self.estimator_),
                classes=getattr(self.estimator_, "classes_", None))
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
        Q = label_probabilities(
            self.estimator_.predict_proba(X if mmc else _safe_indexing(X, [0])),
            getattr(self.estimator_, "classes_", None))
        self.n_labels_ = Q.shape[1]
        self.count_model_ = label_count_model(Q, y) if mmc else None
        return self

    def _inner_validates(self):
        return self.response_method_ != "random"

    def _score(self, X, top=None):
        if self.response_method_ == "random":
            return self._random_ranking(X, top)
        chunk, row_bytes, params = _TASKS[self._task](self)
        return self._map_chunks(chunk, X, row_bytes=row_bytes, top=top,
                                estimator=self.estimator_, **params)

    def __skactive_tags__(self):
        if self.strategy == "std":
            task_types = {"regression"}
        elif self.strategy in _LABEL_SET:
            task_types = {"multilabel"}
        elif self.strategy in _AGGREGATED:
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


def _check_user_scores(scores, n_samples):
    """A callable strategy must return one finite score per sample."""
    if scores.shape != (n_samples,):
        raise ValueError(
            f"The strategy callable returned an array of shape {scores.shape}"
            f" for {n_samples} samples: it must return one score per "
            "sample, shape (n_samples,)."
        )
    if not np.isfinite(scores).all():
        raise ValueError(
            "The strategy callable returned NaN or infinite scores: it must "
            "return finite values."
        )


def _check_strategy(strategy, multilabel, cost_matrix, aggregation):
    """Multilabel strategies on multilabel targets, multiclass ones on the
    others; ``cost_matrix`` and ``aggregation`` only where they are used."""
    multilabel_strategies = ", ".join((*_AGGREGATED, *_LABEL_SET))
    if callable(strategy) and multilabel:
        raise ValueError("A callable strategy takes class probabilities; for "
                         f"a multilabel y use one of {multilabel_strategies}.")
    if multilabel and strategy not in (*_AGGREGATED, *_LABEL_SET):
        raise ValueError(
            f"strategy={strategy!r} is for single-label targets, but y is a "
            f"multilabel indicator matrix: use one of {multilabel_strategies}."
        )
    if not multilabel and strategy in _LABEL_SET:
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
    if aggregation is not None and not (multilabel and strategy in _AGGREGATED):
        shown = getattr(strategy, "__name__", strategy)
        raise ValueError(
            f"aggregation={aggregation!r} combines the per-label uncertainties of "
            "'margin', 'entropy' or 'least_confidence' on a multilabel y, but "
            f"strategy={shown!r} on {'this' if multilabel else 'a single-label'} "
            "y does not use it: leave aggregation=None."
        )


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
                "'least_confidence', 'ratio' or 'probability_variance'."
            )
        shown = getattr(strategy, "__name__", strategy)
        raise ValueError(
            f"strategy={shown!r} needs class probabilities, but {name} is a "
            "regressor: use strategy='std' (GaussianProcessRegressor, "
            "BayesianRidge, ARDRegression or a forest), "
            "CommitteeSampler(strategy='prediction_variance') or GreedySampler."
        )
    if hasattr(estimator, "predict_proba"):
        return "predict_proba"
    if not hasattr(estimator, "decision_function"):
        raise TypeError(
            f"{name} has neither predict_proba nor decision_function. "
            "UncertaintySampler needs a classifier that provides one of them, "
            "such as LogisticRegression or SVC."
        )
    if callable(strategy) or strategy not in _DECISION:
        shown = getattr(strategy, "__name__", strategy)
        raise ValueError(
            f"strategy={shown!r} needs class probabilities, but {name} has no "
            "predict_proba. Wrap it in sklearn.calibration.CalibratedClassifierCV "
            "to get calibrated probabilities, or use strategy='margin' or "
            "'least_confidence', which work from decision_function."
        )
    return "decision_function"

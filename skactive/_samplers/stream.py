"""Stream-based active learning: decide as each sample arrives, under a budget."""

# SPDX-License-Identifier: BSD-3-Clause

import importlib
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import BaseEstimator, clone
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state, metadata_routing
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ..acquisition import (
    budget_manager,
    density_focused_uncertainty,
    fixed_uncertainty,
    local_density_factor,
    margin,
    periodic_labeling,
    random_labeling,
    randomized_variable_uncertainty,
    split_variable_uncertainty,
    variable_uncertainty,
)
from ..utils import SamplerTags
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _num_samples,
)
from .chunked import _inherit_input_tags

_ADAPTIVE = {
    "variable_uncertainty": variable_uncertainty,
    "randomized_variable_uncertainty": randomized_variable_uncertainty,
    "split": split_variable_uncertainty,
}
_STRATEGIES = {"random", "periodic", "fixed_uncertainty",
               "density_focused_uncertainty", *_ADAPTIVE}
# Rules that need no model; the budget manager only keeps their estimate.
_MODEL_FREE = ("random", "periodic")


class StreamSampler(BaseEstimator):
    """Decide for each arriving sample whether to request its label.

    Stream-based active learning (Žliobaitė, Bifet, Pfahringer & Holmes,
    2014): samples arrive one by one or in mini-batches, and each is sent
    for labeling now or never, within a budget (the fraction of the stream
    that may be labeled), while the model learns as labels come back.
    :meth:`fit` trains a clone of the estimator on what is labeled;
    :meth:`decide` says which samples of a mini-batch to label (and moves
    the budget manager and the threshold on); :meth:`update` learns the
    labels that came back: with ``partial_fit`` when the estimator has it,
    else by refitting on everything labeled so far, which the sampler keeps.

    The rules are the functions of :mod:`skactive.acquisition` (see
    :func:`~skactive.acquisition.variable_uncertainty`), applied to the
    highest class probability of each sample (to the margin, for the
    density-focused rule of Ienco, Žliobaitė & Pfahringer, 2014); one budget manager
    (:func:`~skactive.acquisition.budget_manager`) keeps the spent fraction
    over a sliding window at the budget. See :ref:`stream`.

    This is a :class:`~sklearn.base.BaseEstimator`, not a
    :class:`~skactive.base.BaseSampler`: its decisions depend on the stream
    so far (the budget spent, the threshold), not on the sample alone, so
    it has no per-sample score and no ``select`` of a batch from a pool;
    its state is that of an online learner, which :meth:`decide` and
    :meth:`update` move on and which pickles with the sampler.

    Parameters
    ----------
    estimator : classifier
        A classifier with ``predict_proba`` (any for ``strategy="random"``
        or ``"periodic"``).
        With ``partial_fit`` (``SGDClassifier(loss="log_loss")``,
        ``MultinomialNB``, ``Perceptron``, ``MLPClassifier``, a ``Pipeline``
        whose steps all have it, each step in turn, or whose last step has
        it, the other steps frozen) it learns incrementally; otherwise (a
        ``Pipeline`` whose last step lacks it included) it is refitted on all
        the labels at each :meth:`update`. It receives the samples as given:
        a DataFrame for a ``ColumnTransformer``, texts for a vectorizer.

    strategy : {"variable_uncertainty", "randomized_variable_uncertainty", \
"split", "fixed_uncertainty", "random", "periodic", \
"density_focused_uncertainty"}, default="variable_uncertainty"
        The decision rule: those of Žliobaitė et al. (2014); ``"periodic"``,
        every ``1 / budget``-th sample
        (:func:`~skactive.acquisition.periodic_labeling`); and
        ``"density_focused_uncertainty"``, DBALStream (Ienco et al., 2014):
        randomized variable uncertainty on the margin, for the samples
        whose :func:`~skactive.acquisition.local_density_factor` over the
        last ``density_window`` samples is positive. The budget manager
        caps every rule but ``"random"``, which, as in the paper, labels
        each sample with probability ``budget`` and so spends the budget in
        expectation, and ``"periodic"``, which spends it exactly.

    budget : float in (0, 1], default=0.1
        Fraction of the stream to label.

    window : int, default=100
        Sliding window of the budget manager, in samples.

    threshold : float or None, default=None
        Threshold on the max posterior: fixed for ``"fixed_uncertainty"``,
        the starting value for the variable strategies (on the margin, for
        ``"density_focused_uncertainty"``). None means
        ``1 / n_classes + budget * (1 - 1 / n_classes)`` for the fixed
        strategy (more uncertain samples are wanted as the budget grows),
        and 1 (the paper's start) for the variable ones.

    step : float in [0, 1), default=0.01
        Adjusting step of the variable threshold.

    delta : float, default=1.0
        Standard deviation of the threshold's random multiplier
        (``"randomized_variable_uncertainty"``,
        ``"density_focused_uncertainty"``).

    random_fraction : float in [0, 1], default=0.2
        Fraction of the stream labeled at random (``"split"``).

    density_window : int, default=100
        Number of recent samples over which the local density factor is
        computed (``"density_focused_uncertainty"``).

    random_state : int, RandomState instance or None, default=None
        Seed of the random strategies' draws. Pass an int for the same
        decisions at every run.

    Attributes
    ----------
    estimator_ : estimator
        The clone of ``estimator`` that learns from the labels.

    classes_ : ndarray of shape (n_classes,)
        The classes, given to ``fit`` or found in its ``y``.

    threshold_ : float
        The threshold on the max posterior now in force.

    spent_ : float
        The budget manager's estimate ``u`` of the labels spent over the
        window; ``spent_ / window`` is the estimated spent fraction.

    n_seen_ : int
        Number of samples decided on (the phase of ``"periodic"``).

    n_requested_ : int
        Number of labels requested.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.

    See Also
    --------
    skactive.UncertaintySampler : Pool-based counterpart.

    References
    ----------
    I. Žliobaitė, A. Bifet, B. Pfahringer and G. Holmes, "Active learning
    with drifting streaming data", IEEE Transactions on Neural Networks and
    Learning Systems, 25(1), 27-39, 2014.

    D. Ienco, I. Žliobaitė and B. Pfahringer, "High density-focused
    uncertainty sampling for active learning over evolving stream data",
    Proceedings of BigMine 2014, JMLR W&CP 36, 133-148, 2014.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import SGDClassifier
    >>> from skactive import StreamSampler
    >>> X, y = make_classification(n_samples=2100, random_state=0)
    >>> sampler = StreamSampler(SGDClassifier(loss="log_loss", random_state=0),
    ...                         budget=0.1, random_state=0)
    >>> sampler = sampler.fit(X[:100], y[:100])
    >>> for start in range(100, 2100, 500):
    ...     X_batch, y_batch = X[start:start + 500], y[start:start + 500]
    ...     ask = sampler.decide(X_batch)
    ...     sampler = sampler.update(X_batch[ask], y_batch[ask])
    >>> sampler.n_seen_, bool(0.05 < sampler.n_requested_ / sampler.n_seen_ < 0.15)
    (2000, True)
    """

    # fit's ``classes`` is not metadata to route (no set_fit_request).
    __metadata_request__fit = {"classes": metadata_routing.UNUSED}

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "strategy": [StrOptions(_STRATEGIES)],
        "budget": [Interval(Real, 0, 1, closed="right")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, None, closed="left"), None],
        "step": [Interval(Real, 0, 1, closed="left")],
        "delta": [Interval(Real, 0, None, closed="left")],
        "random_fraction": [Interval(Real, 0, 1, closed="both")],
        "density_window": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator, *, strategy="variable_uncertainty", budget=0.1,
                 window=100, threshold=None, step=0.01, delta=1.0,
                 random_fraction=0.2, density_window=100, random_state=None):
        self.estimator = estimator
        self.strategy = strategy
        self.budget = budget
        self.window = window
        self.threshold = threshold
        self.step = step
        self.delta = delta
        self.random_fraction = random_fraction
        self.density_window = density_window
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, classes=None):
        """Train a clone of the estimator on the labeled samples; reset the stream.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples labeled so far. They reach the estimator as given
            (a DataFrame for a ``ColumnTransformer``, a list of texts for a
            vectorizer ``Pipeline``), which validates them.

        y : array-like of shape (n_samples,)
            Their labels.

        classes : array-like of shape (n_classes,), default=None
            Every class the stream may hold, for ``partial_fit`` (which must
            know them all from the start). None means the classes of ``y``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        for stale in ("n_features_in_", "feature_names_in_"):
            self.__dict__.pop(stale, None)
        y = self._check_labeled(X, y, reset=True)
        self.classes_ = np.unique(y) if classes is None else np.unique(classes)
        missing = np.setdiff1d(np.unique(y), self.classes_)
        if missing.size:
            raise ValueError(f"y holds classes {missing.tolist()} that are not in "
                             f"classes={self.classes_.tolist()}: add them.")
        if (self.strategy not in _MODEL_FREE
                and not hasattr(self.estimator, "predict_proba")):
            raise ValueError(
                f"strategy={self.strategy!r} needs the estimator's predict_proba, "
                f"which {type(self.estimator).__name__} lacks: use "
                f"SGDClassifier(loss='log_loss'), a calibrated classifier "
                f"(sklearn.calibration.CalibratedClassifierCV), strategy='random' "
                f"or strategy='periodic'.")
        self.estimator_ = clone(self.estimator)
        self._learn_first(X, y)
        # What a refitted estimator learns from; partial_fit keeps nothing.
        incremental = _partial_fitter(self.estimator_) is not None
        self._X_labeled, self._y_labeled = ([], []) if incremental else ([X], [y])
        self.threshold_ = float(self._initial_threshold())
        self.spent_, self.n_seen_, self.n_requested_ = 0.0, 0, 0
        self._random = check_random_state(self.random_state)
        # The density window starts empty: the stream starts at decide.
        self._recent, self._nearest = None, None
        return self

    def _check_labeled(self, X, y, reset):
        """The checks of labeled samples that the estimator does not make.

        ``X`` goes to the estimator unconverted, which validates its values:
        here only its feature count and names (when it has them) and its
        length against ``y``.
        """
        self._check_2d(X)
        validate_data(self, X, reset=reset, skip_check_array=True)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        return y

    def _check_fitted(self):
        """``check_is_fitted``, whose tags cost more than a model-free
        decision on a small mini-batch, only when ``fit`` has not run."""
        if not hasattr(self, "n_seen_"):
            check_is_fitted(self)

    def _check_columns(self, X):
        """The feature count and names of samples that reach no estimator.

        A bare array after a ``fit`` on an array only needs its width
        checked; ``validate_data`` would first look for a dataframe, which
        costs as much as a model-free decision on a mini-batch of 1,000.
        """
        if (type(X) is np.ndarray and X.ndim == 2
                and not hasattr(self, "feature_names_in_")
                and hasattr(self, "n_features_in_")):
            if X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[1]} features, but {type(self).__name__} is "
                    f"expecting {self.n_features_in_} features as input.")
            return
        validate_data(self, X, reset=False, skip_check_array=True)

    def _check_2d(self, X):
        """A 1-D ``X`` is one sample or a list of texts: the latter only when
        ``fit`` saw no features."""
        if hasattr(self, "n_features_in_") and np.ndim(X) == 1:
            raise ValueError(
                "Expected 2D array, got 1D array instead: X must have shape "
                "(n_samples, n_features). Reshape a single sample with "
                "X.reshape(1, -1).")

    def _initial_threshold(self):
        if self.threshold is not None:
            return self.threshold
        if self.strategy == "fixed_uncertainty":
            n_classes = len(self.classes_)
            return 1 / n_classes + self.budget * (1 - 1 / n_classes)
        return 1.0

    def _learn_first(self, X, y):
        """Train on the first labels; ``partial_fit`` is told the classes ``y``
        lacks."""
        if (_partial_fitter(self.estimator_) is None
                or np.array_equal(np.unique(y), self.classes_)):
            self.estimator_.fit(X, y)
        elif isinstance(self.estimator_, Pipeline):
            head, last = self.estimator_[:-1], self.estimator_[-1]
            last.partial_fit(head.fit_transform(X, y), y, classes=self.classes_)
        else:
            self.estimator_.partial_fit(X, y, classes=self.classes_)

    def _learn(self, X, y):
        """Learn an update's labels: ``partial_fit``, or refit on all labels.

        The estimator's parameters were validated by ``fit``'s call of its
        ``fit``: ``partial_fit`` does not validate them again.
        """
        partial_fit = _partial_fitter(self.estimator_)
        if partial_fit is not None:
            with config_context(skip_parameter_validation=True):
                partial_fit(X, y)
            return
        # Stacked blocks must agree; a block the fit rejects is not kept.
        validate_data(self, X, reset=False, skip_check_array=True)
        self.estimator_.fit(_stack([*self._X_labeled, X]),
                            np.concatenate([*self._y_labeled, y]))
        self._X_labeled.append(X)
        self._y_labeled.append(y)

    def decide(self, X):
        """Whether to request the label of each arriving sample.

        The samples are decided in order, as if they arrived one by one:
        the budget manager and the threshold move on with each, and stay
        moved for the next mini-batch.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The arriving mini-batch, in stream order, of the kind ``fit``
            took (it reaches the estimator unconverted).

        Returns
        -------
        ask : ndarray of shape (n_samples,), dtype=bool
            True for the samples whose label to request.
        """
        self._check_fitted()
        self._check_2d(X)
        n_samples = _num_samples(X)
        # The rules' parameters are the sampler's, validated by fit: the rules
        # skip validate_params, and their cheap input checks pass through.
        with config_context(skip_parameter_validation=True):
            if self.strategy in _ADAPTIVE:
                ask, self.threshold_, self.spent_ = _ADAPTIVE[self.strategy](
                    self._max_proba(X, n_samples), self.budget,
                    **self._adaptive_params())
            elif self.strategy == "density_focused_uncertainty":
                ask = self._decide_density_focused(X)
            else:
                ask = self._decide_one_by_one(X, n_samples)
        self.n_seen_ += n_samples
        self.n_requested_ += int(np.count_nonzero(ask))
        return ask

    def _decide_one_by_one(self, X, n_samples):
        """Rules that want each sample by itself; the budget manager caps them."""
        if self.strategy == "random":
            self._check_columns(X)
            wanted = random_labeling(n_samples, self.budget,
                                     random_state=self._random)
        elif self.strategy == "periodic":
            self._check_columns(X)
            wanted = periodic_labeling(n_samples, self.budget, n_seen=self.n_seen_)
        else:
            wanted = fixed_uncertainty(self._max_proba(X, n_samples),
                                       self.threshold_)
        # The paper's random strategy spends the budget in expectation and is
        # not capped, the periodic one spends it exactly: with a budget of 1
        # the manager never binds (u < w always) and only keeps the estimate
        # of the labels spent.
        cap = 1.0 if self.strategy in _MODEL_FREE else self.budget
        ask, self.spent_ = budget_manager(wanted, cap, window=self.window,
                                          spent=self.spent_)
        return ask

    def _decide_density_focused(self, X):
        """DBALStream: the density window moves on, then the margin rule."""
        # The density factor needs numbers: X is converted for it only.
        X_num = validate_data(self, X, reset=False, accept_sparse="csr",
                              dtype=np.float64, ensure_min_samples=0)
        density, self._recent, self._nearest = local_density_factor(
            X_num, window=self.density_window, recent=self._recent,
            nearest=self._nearest)
        margins = (margin(self.estimator_.predict_proba(X)) if X_num.shape[0]
                   else np.empty(0))
        ask, self.threshold_, self.spent_ = density_focused_uncertainty(
            margins, density, self.budget, delta=self.delta,
            random_state=self._random, **self._adaptive_params())
        return ask

    def _max_proba(self, X, n_samples):
        """The highest class probability of each sample (the rule checks it)."""
        if n_samples == 0:
            return np.empty(0)
        return _row_max(np.asarray(self.estimator_.predict_proba(X), dtype=np.float64))

    def _adaptive_params(self):
        params = {"threshold": self.threshold_, "step": self.step,
                  "window": self.window, "spent": self.spent_}
        if self.strategy == "randomized_variable_uncertainty":
            params.update(delta=self.delta, random_state=self._random)
        elif self.strategy == "split":
            params.update(random_fraction=self.random_fraction,
                          random_state=self._random)
        return params

    def update(self, X, y):
        """Learn the labels that came back.

        With ``partial_fit``, the estimator learns ``X, y`` alone: its own
        ``partial_fit``; for a ``Pipeline`` whose steps all have
        ``partial_fit`` (``make_pipeline(StandardScaler(), SGDClassifier())``),
        each step's in turn (a transformer's ``partial_fit``, then its
        ``transform`` for the next step); for a ``Pipeline`` whose last step
        only has it, the last step's, the other steps as :meth:`fit` left
        them. Otherwise (no ``partial_fit``, or a ``Pipeline`` whose last
        step lacks it) the estimator is refitted on everything labeled so
        far, ``fit``'s samples included.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples whose labels came back; may be empty.

        y : array-like of shape (n_samples,)
            Their labels, among ``classes_``.

        Returns
        -------
        self : object
            The sampler.
        """
        self._check_fitted()
        self._check_2d(X)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise ValueError(
                f"y holds classes {unknown.tolist()} unseen by fit (classes_="
                f"{self.classes_.tolist()}): pass every class to fit(..., classes=).")
        if y.shape[0]:
            self._learn(X, y)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return _inherit_input_tags(tags, [self.estimator], ("sparse",))

    def __skactive_tags__(self):
        # Not "ranking" (no batch from a pool); not "streaming" either, whose
        # promise is a running top-k over a pool scored in chunks.
        return SamplerTags(ranking=False, task_types=frozenset({"classification"}))


def _partial_fitter(estimator):
    """The ``partial_fit`` that learns for ``estimator``, or None.

    A ``Pipeline`` whose steps all have ``partial_fit`` learns step by step;
    one whose last step only has it, in that step, the others as they are.
    """
    if not isinstance(estimator, Pipeline):
        return getattr(estimator, "partial_fit", None)
    steps = [step for _, step in estimator.steps if step not in (None, "passthrough")]
    if not hasattr(steps[-1], "partial_fit"):
        return None
    if all(hasattr(step, "partial_fit") for step in steps):
        return lambda X, y: _partial_fit_steps(steps, X, y)
    head, last = estimator[:-1], steps[-1]
    return lambda X, y: last.partial_fit(head.transform(X), y)


def _partial_fit_steps(steps, X, y):
    """``partial_fit`` each transformer and pass on its ``transform``; then the
    last step's ``partial_fit``."""
    for step in steps[:-1]:
        X = step.partial_fit(X, y).transform(X)
    steps[-1].partial_fit(X, y)


def _row_max(proba):
    """``proba.max(axis=1)``, column by column: the same values, without
    numpy's slow reduction over a short last axis (25 times faster for two
    classes)."""
    if proba.ndim != 2 or proba.shape[1] == 0:
        return proba.max(axis=1)  # numpy's own error
    highest = proba[:, 0].copy()
    for column in range(1, proba.shape[1]):
        np.maximum(highest, proba[:, column], out=highest)
    return highest


def _stack(blocks):
    """Stack the labeled blocks: arrays, sparse matrices, DataFrames or lists."""
    if any(sp.issparse(block) for block in blocks):
        return sp.vstack(blocks, format="csr")
    module = type(blocks[0]).__module__.split(".")[0]
    if module in ("pandas", "polars"):
        frames = importlib.import_module(module)
        if module == "pandas":
            return frames.concat(blocks, ignore_index=True)
        return frames.concat(blocks)
    if isinstance(blocks[0], list | tuple):
        return [row for block in blocks for row in block]
    return np.concatenate([np.asarray(block) for block in blocks])

"""Query by committee: label the samples a committee of models disagrees on."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone, is_regressor
from sklearn.frozen import FrozenEstimator
from sklearn.utils import check_array, check_random_state, resample
from sklearn.utils.multiclass import type_of_target

from ..acquisition import bald, prediction_variance, vote_entropy
from ..utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _fit_context,
    _num_samples,
    _safe_indexing,
)
from .chunked import ChunkedSampler, _inherit_input_tags, _warn_single_class
from .members import (
    all_trees,
    check_not_boosting,
    ensemble_members,
    member_outputs,
)

_STRATEGIES = {"vote_entropy": vote_entropy, "bald": bald,
               "prediction_variance": prediction_variance}


def _committee_chunk(X, *, members, features, columns, n_classes, strategy):
    """Disagreement of the committee on one chunk of the pool.

    The members' outputs are streamed into the acquisition function one at a
    time: memory is one chunk of outputs whatever the size of the committee.
    """
    if strategy == "prediction_variance":
        return prediction_variance(member_outputs(X, members, features, "predict"))
    if strategy == "vote_entropy":
        votes = np.empty((_num_samples(X), len(members)), dtype=np.intp)
        outputs = member_outputs(X, members, features, "predict")
        for m, (predicted, member, cols) in enumerate(zip(outputs, members, columns)):
            votes[:, m] = cols[np.searchsorted(member.classes_, predicted)]
        return vote_entropy(votes, n_classes)
    probabilities = member_outputs(X, members, features, "predict_proba")
    return _STRATEGIES[strategy](_aligned(probabilities, columns, n_classes))


def _aligned(probabilities, columns, n_classes):
    """Each member's probabilities with columns aligned on the union of the
    classes (a class a member never saw has probability 0)."""
    for proba, cols in zip(probabilities, columns):
        if proba.shape[1] != n_classes:
            aligned = np.zeros((proba.shape[0], n_classes))
            aligned[:, cols] = proba
            proba = aligned
        yield proba


def _is_regression(committee):
    """Whether the committee is made of regressors."""
    members = committee if isinstance(committee, list) else [committee]
    return all(is_regressor(member) for member in members)


def _needs_fitting(committee):
    """Whether some member of ``committee`` would be fitted (not frozen)."""
    members = committee if isinstance(committee, list) else [committee]
    return not all(isinstance(member, FrozenEstimator) for member in members)


def _check_setup(committee, strategy, bootstrap, y):
    """Refuse a committee, strategy and target that do not go together, and
    ``bootstrap`` where it would be ignored; return whether the committee
    is made of regressors."""
    if isinstance(committee, list) and len(committee) < 2:
        raise ValueError(
            f"The committee is a list of {len(committee)} estimator(s); pass "
            "at least two, or one ensemble such as RandomForestClassifier."
        )
    if bootstrap and not isinstance(committee, list):
        raise ValueError(
            "bootstrap=True fits each member of a list on its own bootstrap "
            f"sample, but the committee is one ensemble ({type(committee).__name__}),"
            " which draws its members' samples itself: set its own bootstrap "
            "parameter, or pass a list."
        )
    if type_of_target(y) == "multilabel-indicator":
        raise ValueError(
            "CommitteeSampler takes one label per sample: vote entropy and "
            "BALD are defined on one label. For a multilabel y use "
            "UncertaintySampler(strategy='margin', aggregation='max') (BinMin), "
            "'max_loss' or 'mmc'."
        )
    regression = _is_regression(committee)
    if regression != (strategy == "prediction_variance"):
        if regression:
            raise ValueError(
                f"strategy={strategy!r} is for classifiers, but the committee is "
                "made of regressors: use strategy='prediction_variance' (query "
                "by committee for regression)."
            )
        raise ValueError(
            f"strategy={strategy!r} is for regressors, but the committee is made "
            "of classifiers: use 'vote_entropy' or 'bald'."
        )
    return regression


def _check_probabilities(members):
    """BALD needs class probabilities from every member."""
    for i, member in enumerate(members):
        if not hasattr(member, "predict_proba"):
            raise TypeError(
                f"Member {i} ({type(member).__name__}) has no predict_proba, "
                "which strategy='bald' needs from every member. Use "
                "strategy='vote_entropy' (hard votes) or members with "
                "predict_proba."
            )


class CommitteeSampler(ChunkedSampler):
    """Select the pool samples on which a committee of models disagrees most.

    The committee is either a list of estimators, each cloned and fitted on
    the labeled data (on a seeded, stratified bootstrap sample of it with
    ``bootstrap=True``), or one ensemble that exposes ``estimators_``
    (:class:`~sklearn.ensemble.RandomForestClassifier`, ``ExtraTrees``,
    ``Bagging``, ``Voting``), whose members are used as they are. An ensemble
    that is already trained is passed as
    :class:`~sklearn.frozen.FrozenEstimator` and never refitted. Gradient
    boosting is refused: its trees are stages fitted to each other's errors,
    not a committee; bag it, or list several boosted models.

    Members that saw different subsets of the classes are aligned on the
    union of the classes (a missing class has probability 0). Scores read
    higher = select earlier; the three strategies do so as they are.

    Parameters
    ----------
    committee : list of estimators or ensemble estimator
        The members, or an ensemble whose ``estimators_`` are the members.
        At least two members.

    strategy : {"vote_entropy", "bald", "prediction_variance"}, \
            default="vote_entropy"
        Disagreement measure, from :mod:`skactive.acquisition`:
        :func:`~skactive.acquisition.vote_entropy` (Dagan & Engelson, 1995)
        needs only ``predict``; :func:`~skactive.acquisition.bald` (Houlsby
        et al., 2011), which equals the mean KL divergence of the members to
        the consensus (McCallum & Nigam, 1998), needs ``predict_proba`` from
        every member, streamed into the function one member at a time. For a
        committee of regressors, ``"prediction_variance"``: the variance of
        the members' predictions
        (:func:`~skactive.acquisition.prediction_variance`, query by
        committee for regression); the other strategies are for classifiers,
        and each side refuses the other's.

    bootstrap : bool, default=False
        Fit each listed member on its own stratified bootstrap sample of the
        labeled data (seeded by ``random_state``); rows of any input (array,
        sparse matrix, DataFrame, list of texts) are drawn as they are. Only
        for a list: an ensemble draws its own (:meth:`fit` raises).

    chunk_size : int, default=None
        Pool rows scored at once (per worker). None picks it from
        ``sklearn.get_config()["working_memory"]``, at most 16384 rows.
        Members are accumulated one after the other, so memory is a few
        chunks of probabilities whatever the number of members.

    n_jobs : int, default=None
        Number of jobs scoring chunks in parallel through joblib. Scores do
        not depend on it.

    random_state : int, RandomState instance or None, default=None
        Seeds the bootstrap samples and breaks exact ties in :meth:`select`.

    Attributes
    ----------
    members_ : list of estimators
        The fitted members.

    regression_ : bool
        Whether the members are regressors.

    features_ : list of (ndarray or None)
        For each member, the columns it was fitted on (a Bagging ensemble's
        feature subsets); None means all of them.

    classes_ : ndarray of shape (n_classes,)
        The union of the members' classes (classifiers only).

    columns_ : list of ndarray
        For each member, the column of ``classes_`` of each of its classes
        (empty for regressors).

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    See Also
    --------
    skactive.UncertaintySampler : Uncertainty of a single model.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skactive import CommitteeSampler
    >>> X, y = load_iris(return_X_y=True)
    >>> committee = CommitteeSampler([LogisticRegression(), GaussianNB()])
    >>> committee.fit(X[::5], y[::5]).select(X, batch_size=3).shape
    (3,)
    >>> forest = CommitteeSampler(RandomForestClassifier(20, random_state=0),
    ...                           strategy="bald")
    >>> forest.fit(X[::5], y[::5]).score(X).shape
    (150,)
    """

    _parameter_constraints: dict = {
        **ChunkedSampler._parameter_constraints,
        "committee": [list, HasMethods(["fit"])],
        "strategy": [StrOptions(set(_STRATEGIES))],
        "bootstrap": ["boolean"],
    }

    def __init__(
        self,
        committee,
        *,
        strategy="vote_entropy",
        bootstrap=False,
        chunk_size=None,
        n_jobs=None,
        random_state=None,
    ):
        self.committee = committee
        self.strategy = strategy
        self.bootstrap = bootstrap
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the committee on the labeled data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Labeled samples, in any form the members accept.

        y : array-like of shape (n_samples,)
            Their labels.

        **fit_params : dict
            Passed to each member's (or the ensemble's) ``fit``.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        self.regression_ = _check_setup(self.committee, self.strategy,
                                        self.bootstrap, y)
        self.members_, self.features_, self.columns_ = [], [], []
        if (not self.regression_ and _needs_fitting(self.committee)
                and np.unique(np.asarray(y)).size < 2):
            _warn_single_class()
            self.classes_ = np.unique(np.asarray(y))
            return self
        if isinstance(self.committee, list):
            self._fit_list(X, y, fit_params)
        else:
            self._fit_ensemble(X, y, fit_params)
        if len(self.members_) < 2:
            raise ValueError(
                f"The committee has {len(self.members_)} member; disagreement "
                "needs at least two."
            )
        if self.strategy == "bald":
            _check_probabilities(self.members_)
        return self

    def _fit_list(self, X, y, fit_params):
        y = np.asarray(y)
        if self.bootstrap and (isinstance(X, np.ndarray) or sp.issparse(X)):
            # A bootstrap sample may miss the bad rows: check them all once.
            # Rows are drawn with _safe_indexing, so DataFrames and lists of
            # texts are resampled as they are, for the members to validate.
            allow_nan = self.__sklearn_tags__().input_tags.allow_nan
            X = check_array(X, accept_sparse="csr", dtype=None, ensure_2d=False,
                        allow_nd=True,
                        ensure_all_finite="allow-nan" if allow_nan else True)
        rng = check_random_state(self.random_state)
        self.members_ = []
        for estimator in self.committee:
            member = clone(estimator)
            if self.bootstrap and not isinstance(member, FrozenEstimator):
                rows = resample(np.arange(y.shape[0]),
                                stratify=None if self.regression_ else y,
                                random_state=rng.randint(np.iinfo(np.int32).max))
                member.fit(_safe_indexing(X, rows), y[rows], **fit_params)
            else:
                member.fit(X, y, **fit_params)
            self.members_.append(member)
        self.features_ = [None] * len(self.members_)
        if not self.regression_:
            self.classes_ = np.unique(np.concatenate(
                [np.asarray(member.classes_) for member in self.members_]
            ))
            self.columns_ = [np.searchsorted(self.classes_, member.classes_)
                             for member in self.members_]

    def _fit_ensemble(self, X, y, fit_params):
        kind = "Regressor" if self.regression_ else "Classifier"
        check_not_boosting(self.committee, (
            f"Pass a list of models (several GradientBoosting{kind} with "
            f"bootstrap=True), Bagging{kind}(GradientBoosting{kind}()), or a "
            f"forest (RandomForest{kind}, ExtraTrees{kind})."))
        ensemble = clone(self.committee)
        ensemble.fit(X, y, **fit_params)  # a no-op when frozen
        if not hasattr(ensemble, "estimators_"):
            raise TypeError(
                f"{type(self.committee).__name__} has no estimators_: pass a list "
                "of estimators, or an ensemble such as RandomForestClassifier, "
                "ExtraTreesClassifier, BaggingClassifier or VotingClassifier "
                "(RandomForestRegressor, BaggingRegressor... for regression)."
            )
        self.members_, self.features_ = ensemble_members(ensemble)
        if not self.regression_:
            self.classes_ = np.asarray(ensemble.classes_)
            self.columns_ = [self._ensemble_columns(m) for m in self.members_]

    def _ensemble_columns(self, member):
        # scikit-learn ensembles fit their members on the class indices
        # 0..n_classes-1; a member may have seen only some of them.
        member_classes = np.asarray(member.classes_)
        n_classes = self.classes_.shape[0]
        if (np.issubdtype(member_classes.dtype, np.number)
                and np.all(member_classes == np.round(member_classes))
                and member_classes.min() >= 0 and member_classes.max() < n_classes):
            return member_classes.astype(np.intp)
        return np.searchsorted(self.classes_, member_classes)

    def _inner_validates(self):
        # Trees are called with check_input=False: the sampler checks for them.
        return bool(self.members_) and not all_trees(self.members_)

    def _score(self, X, top=None):
        if not self.members_:  # a single labeled class: random order
            return self._random_ranking(X, top)
        n_classes = 1 if self.regression_ else self.classes_.shape[0]
        return self._map_chunks(
            _committee_chunk, X,
            row_bytes=3 * 8 * n_classes,
            members=self.members_, features=self.features_, columns=self.columns_,
            n_classes=n_classes, strategy=self.strategy, top=top,
        )

    def __skactive_tags__(self):
        task = ("regression" if self.strategy == "prediction_variance"
                else "classification")
        return replace(super().__skactive_tags__(), streaming=True, dask=True,
                       task_types={task})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        committee = self.committee
        members = committee if isinstance(committee, list) else [committee]
        return _inherit_input_tags(tags, members)

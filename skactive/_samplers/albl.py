"""Active learning by learning: a bandit that learns which sampler to follow."""

# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import replace
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed

from ..acquisition import (
    exp4p_probabilities,
    exp4p_update,
    importance_weighted_accuracy,
)
from ..base import BaseSampler
from ..exceptions import ParameterError
from ..utils._selection import tie_seed
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    _fit_context,
    _num_samples,
    _safe_indexing,
)
from ..utils._validation import check_one_label_per_sample
from .chunked import _inherit_input_tags
from .hybrid import _seeded_clone
from .random import _is_documents


class ALBLSampler(BaseSampler):
    """Active learning by learning (ALBL; Hsu & Lin, 2015): a bandit over samplers.

    No strategy is best on every data set. ALBL treats each of ``samplers``
    (and, with ``uniform=True``, uniform random sampling) as an arm of the
    bandit algorithm EXP4.P and learns, while labeling, which to follow.
    At each :meth:`select`, arm ``k`` is played with probability
    ``p_k = (1 - N p_min) w_k / sum(w) + p_min``
    (:func:`~skactive.acquisition.exp4p_probabilities`); its advice
    ``psi_k`` is uniform over the batch that its sampler would select (a
    one-hot for a batch of one; uniform over the pool for the uniform arm),
    and the batch is drawn, without replacement, from the mixture
    ``q = sum_k p_k psi_k``. At the next :meth:`fit`, whose labeled set
    holds the queries, the reward is the importance-weighted accuracy of
    ``estimator`` trained on it, on every sample queried so far, each
    weighted by ``1 / q`` of its draw
    (:func:`~skactive.acquisition.importance_weighted_accuracy`), and each
    arm's weight is updated by EXP4.P
    (:func:`~skactive.acquisition.exp4p_update`), once per queried sample.

    **The bandit's state persists across calls**, as with scikit-learn's
    ``warm_start=True``: :meth:`fit` keeps the weights and the queries of the
    previous rounds of this object, and recognises the samples its last
    :meth:`select` drew in the new labeled set by their content (the exact
    row, text or DataFrame row). A labeled set that does not hold them all,
    or has not grown, gives no reward: the pending draw is dropped and the
    weights are kept. :func:`sklearn.base.clone` starts afresh (as
    :func:`~skactive.experiment.run_experiment` does once per run), and
    the state survives pickling.

    Batches of more than one sample are an extension of the paper: each
    draw's weight ``1 / q`` is that of the draw among the samples not yet
    drawn, and the arms are updated once per sample with the reward of the
    model trained on the whole batch.

    Cost per round: each sampler's own fit and select, one fit of
    ``estimator`` and its prediction on the queried samples, plus
    O(n_arms n_pool) for the mixture.

    Parameters
    ----------
    samplers : list of samplers
        The strategies among which ALBL learns (Hsu & Lin use uncertainty
        sampling, PSDS and QUIRE; Lu, Li & Lin use uncertainty sampling with
        two logistic regressions and HintSVM). Clones are fitted at each
        :meth:`fit`; those whose ``random_state`` is None get this sampler's.

    estimator : classifier
        The model whose accuracy is the reward: the model being labeled for,
        any scikit-learn classifier or Pipeline. A clone is fitted at each
        :meth:`fit` that follows a :meth:`select`.

    uniform : bool, default=True
        Add uniform random sampling as an arm, as Hsu & Lin do.

    p_min : float, default=None
        The floor of each arm's probability, at most ``1 / n_arms``. None
        uses ``sqrt(ln(n_arms) / (n_arms T))`` (Beygelzimer et al.), ``T``
        the budget, or ``1 / n_arms`` if that is smaller.

    delta : float, default=0.1
        EXP4.P's confidence parameter (Lu, Li & Lin use 0.1).

    budget : int, default=None
        ``T``, the number of queries planned (it scales the reward and the
        exploration). None means the whole pool seen at the first
        :meth:`select`.

    n_jobs : int, default=None
        Number of samplers fitted in parallel. Results do not depend on it.

    random_state : int, RandomState instance or None, default=None
        Seeds the draws (with an int, the draw of each round is fixed by the
        seed and the number of queries rewarded so far) and the samplers
        whose own ``random_state`` is None.

    Attributes
    ----------
    samplers_ : list of samplers
        The samplers fitted on the last labeled set.

    log_weights_ : ndarray of shape (n_arms,)
        ``log w_k`` of each arm (the samplers', then the uniform arm), up
        to a common constant.

    rewards_ : list of float
        The reward of each rewarded round, oldest first.

    n_queries_ : int
        Number of queried samples rewarded so far.

    budget_, p_min_ : int and float, or None
        ``T`` and ``p_min``, set at the first :meth:`select`.

    n_features_in_ : int
        Number of features seen during ``fit``, when ``X`` has a shape.

    See Also
    --------
    skactive.HybridSampler : Combines an uncertainty and a diversity sampler
        in every batch, rather than learning which to follow.

    References
    ----------
    Hsu, W.-N., & Lin, H.-T. (2015). Active learning by learning. AAAI.

    Beygelzimer, A., Langford, J., Li, L., Reyzin, L., & Schapire, R. (2011).
    Contextual bandit algorithms with supervised learning guarantees.
    AISTATS.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skactive import ALBLSampler, UncertaintySampler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> sampler = ALBLSampler(
    ...     [UncertaintySampler(model)], model, random_state=0)
    >>> labeled = np.arange(20)
    >>> for _ in range(3):
    ...     pool = np.setdiff1d(np.arange(len(y)), labeled)
    ...     _ = sampler.fit(X[labeled], y[labeled])
    ...     labeled = np.append(labeled, pool[sampler.select(X[pool])])
    >>> len(sampler.rewards_), sampler.log_weights_.shape
    (2, (2,))
    """

    _parameter_constraints: dict = {
        **BaseSampler._parameter_constraints,
        "samplers": [list],
        "estimator": [HasMethods(["fit", "predict"])],
        "uniform": ["boolean"],
        "p_min": [Interval(Real, 0, 1, closed="both"), None],
        "delta": [Interval(Real, 0, None, closed="neither")],
        "budget": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, samplers, estimator, *, uniform=True, p_min=None, delta=0.1,
                 budget=None, n_jobs=None, random_state=None):
        self.samplers = samplers
        self.estimator = estimator
        self.uniform = uniform
        self.p_min = p_min
        self.delta = delta
        self.budget = budget
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Reward the last draw if its samples are labeled, then fit the samplers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or list of str
            The labeled samples, in any form the samplers and the estimator
            accept.

        y : array-like of shape (n_samples,)
            Their labels, one class per sample.

        Returns
        -------
        self : object
            The fitted sampler.
        """
        self._validate_labeled(X, y)
        check_one_label_per_sample(
            y, "ALBLSampler",
            "its reward is a classifier's accuracy.")
        self._check_samplers()
        y = np.asarray(y)
        n_arms = len(self.samplers) + bool(self.uniform)
        if self.p_min is not None and self.p_min * n_arms > 1:
            raise ParameterError(
                "p_min", self.p_min, f"is more than 1 / {n_arms}, for {n_arms} arms "
                "(their floors would add up to more than 1)",
                f"at most {1 / n_arms:.6g}, or None")
        if getattr(self, "log_weights_", np.empty(0)).size != n_arms:
            self._reset(n_arms)
        keys = _row_keys(X)
        if self._pending and self._queries_labeled(keys):
            self._reward(X, y, keys)
        self._pending = []
        self.n_labeled_ = len(keys)
        experts = [_seeded_clone(s, self.random_state) for s in self.samplers]
        self.samplers_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_sampler)(sampler, X, y) for sampler in experts)
        return self

    def _check_samplers(self):
        if not self.samplers and not self.uniform:
            raise ValueError("samplers is empty and uniform=False: ALBL needs at "
                             "least one arm; pass samplers, or uniform=True.")
        for i, sampler in enumerate(self.samplers):
            if not all(hasattr(sampler, m) for m in ("fit", "select")):
                raise TypeError(
                    f"samplers[{i}] is a {type(sampler).__name__}, not a sampler "
                    "(it needs fit and select): pass samplers of skactive, such "
                    "as UncertaintySampler(model).")

    def _reset(self, n_arms):
        """A fresh bandit: equal weights, no queries."""
        self.log_weights_ = np.zeros(n_arms)
        self.rewards_, self.n_queries_ = [], 0
        self.budget_ = self.p_min_ = self.n_samples_ = None
        self._queries, self._pending, self.n_labeled_ = [], [], 0

    def _queries_labeled(self, keys):
        """Whether the labeled set grew and holds every sample of the last draw."""
        known = set(keys)
        return len(keys) > self.n_labeled_ and all(
            draw["key"] in known for draw in self._pending)

    def _reward(self, X, y, keys):
        """IW-ACC of the model trained on the labeled set; EXP4.P's update."""
        self._queries += [(draw["key"], 1.0 / draw["q"]) for draw in self._pending]
        position = {key: i for i, key in enumerate(keys)}
        found = [(position[key], w) for key, w in self._queries if key in position]
        rows = np.array([i for i, _ in found], dtype=np.intp)
        predicted = _predict(self.estimator, X, y, rows)
        reward = importance_weighted_accuracy(
            predicted == y[rows], [w for _, w in found],
            n_samples=self.n_samples_, budget=self.budget_)
        for draw in self._pending:
            self.log_weights_ = exp4p_update(
                self.log_weights_, draw["p"], draw["advice"], draw["q"], reward,
                p_min=self.p_min_, delta=self.delta, budget=self.budget_)
        self.log_weights_ -= self.log_weights_.max()
        self.rewards_.append(reward)
        self.n_queries_ += len(self._pending)

    def _settings(self, n_pool):
        """``T`` and ``p_min``: those of the first select, else for this pool."""
        if self.budget_ is not None:
            return self.budget_, self.p_min_
        n_arms = self.log_weights_.size
        budget = self.budget or n_pool
        if self.p_min is not None:
            return budget, self.p_min
        return budget, min(np.sqrt(np.log(n_arms) / (n_arms * budget)), 1 / n_arms)

    def _mixture(self, X, batch_size):
        """Arm probabilities, advice (n_arms, n_pool) and the query distribution."""
        n_pool = _num_samples(X)
        _, p_min = self._settings(n_pool)
        advice = np.zeros((self.log_weights_.size, n_pool))
        for k, sampler in enumerate(self.samplers_):
            advice[k, sampler.select(X, batch_size=batch_size)] = 1.0 / batch_size
        if self.uniform:
            advice[-1] = 1.0 / n_pool
        p = exp4p_probabilities(self.log_weights_, p_min)
        return p, advice, p @ advice

    def _score(self, X):
        return self._mixture(X, 1)[2]

    def _select(self, X, batch_size):
        n_pool = _num_samples(X)
        if self.budget_ is None:
            self.budget_, self.p_min_ = self._settings(n_pool)
            self.n_samples_ = self.n_labeled_ + n_pool
        p, advice, q = self._mixture(X, batch_size)
        rng = np.random.default_rng([tie_seed(self.random_state), self.n_queries_])
        picked, probabilities = _draw_without_replacement(q, batch_size, rng)
        keys = _row_keys(_safe_indexing(X, picked))
        self._pending = [
            {"key": key, "q": float(prob), "advice": advice[:, j], "p": p}
            for key, j, prob in zip(keys, picked, probabilities)]
        return picked

    def _inner_validates(self):
        return True  # the samplers validate the pool they select from

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False,
                       task_types={"classification"})

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return _inherit_input_tags(tags, [*self.samplers, self.estimator])


def _fit_sampler(sampler, X, y):
    return sampler.fit(X, y)


def _predict(estimator, X, y, rows):
    """Predictions on ``rows`` of the model trained on ``X, y`` (the single
    class, when ``y`` holds one)."""
    classes = np.unique(y)
    if classes.size < 2:
        return np.full(rows.size, classes[0])
    model = clone(estimator).fit(X, y)
    return np.asarray(model.predict(_safe_indexing(X, rows)))


def _draw_without_replacement(q, size, rng):
    """``size`` distinct indices drawn one by one from ``q`` renormalised over
    the samples not drawn yet, and the probability each had at its draw."""
    q = np.array(q, dtype=np.float64)
    picked, probabilities = [], []
    for _ in range(size):
        total = q.sum()
        j = int(np.searchsorted(np.cumsum(q), rng.random() * total, side="right"))
        j = min(j, q.size - 1)
        while q[j] == 0:  # rounding at the end of the cumulative sum
            j -= 1
        picked.append(j)
        probabilities.append(q[j] / total)
        q[j] = 0.0
    return np.asarray(picked, dtype=np.intp), np.asarray(probabilities)


def _row_keys(X):
    """A key per row that equals another row's exactly when the rows are equal:
    the row's bytes (arrays, sparse rows), the text, or a DataFrame row's hash."""
    if hasattr(X, "iloc") and hasattr(X, "columns"):
        from pandas.util import hash_pandas_object

        return [int(h) for h in hash_pandas_object(X, index=False)]
    if sp.issparse(X):
        X = sp.csr_matrix(X, copy=True)
        X.sum_duplicates()
        X.eliminate_zeros()
        X.sort_indices()
        return [(X.indices[a:b].tobytes(), X.data[a:b].tobytes())
                for a, b in zip(X.indptr[:-1], X.indptr[1:])]
    if _is_documents(X):
        return list(X)
    X = np.asarray(X)
    if X.dtype == object:
        return [repr(row.tolist()) for row in X]
    return [row.tobytes() for row in np.ascontiguousarray(X)]

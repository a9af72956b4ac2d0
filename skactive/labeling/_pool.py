"""A pool of samples that remembers what was labeled, for a real labeling loop."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import clone

from ..acquisition import select_within_budget
from ..utils._sklearn_compat import _num_samples, _safe_indexing
from ._pool_labels import check_indices, check_labels, check_settings, initial_labels
from ._pool_state import load_pool, mark_synced, save_pool, touch


class LabelingPool:
    """The samples of a labeling campaign, the labels known so far, and its rounds.

    Ask any sampler for the next batch with :meth:`query`; give the labels
    back with :meth:`teach`, in any order and in part (a person who labels
    17 of 20 and stops for lunch teaches 17; the other 3 stay *pending* and
    are not asked again until they are labeled or :meth:`forget_pending`
    is called); correct a label with :meth:`relabel`, take one back with
    :meth:`unlabel`; fit the final model with :meth:`fit`; keep the state on
    disk with :meth:`save` and :meth:`load`. A labeled sample is never asked
    again.

    Unlabeled samples are marked by an explicit mask rather than a sentinel
    value, so labels may be of any type, strings included, and ``-1`` is a
    class like any other unless ``missing_label=-1`` says otherwise.

    Parameters
    ----------
    X : array-like, sparse matrix, DataFrame or list of str
        All the samples, in any form the samplers' models accept (at least
        one). Indices are row positions in ``X``.

    y : array-like of shape (n_samples,) or (n_samples, n_labels), default=None
        Labels known from the start, with a missing value (see
        ``missing_label``) at the unlabeled rows. A 2-D ``y`` of 0/1
        indicator rows makes a multilabel pool (a row with a missing entry
        is unlabeled; one partly missing is an error). Without ``y``, the
        first labels taught decide: rows of 0/1 make a multilabel pool.

    labeled : array-like of bool of shape (n_samples,), default=None
        Which rows of ``y`` hold a label. None means every row whose label
        is not missing.

    classes : list, default=None
        The allowed labels of a single-label target. A label that is not
        one of them (a typo such as ``"chrun"``) is refused, at construction
        and by :meth:`teach` and :meth:`relabel`, with a message naming the
        sample and the closest allowed class. None allows any label.

    missing_label : str or number, default=None
        The value that marks an unlabeled row of ``y``, besides None and
        NaN, which always do. The default marks nothing else: any other
        value, ``-1`` included, is a label, because ``-1`` is a real class in
        many data sets (a negative sentiment, a failed check) and taking it
        for "unlabeled" would drop those labels without a word.
        scikit-learn's ``SelfTrainingClassifier`` marks unlabeled samples
        with ``-1``: pass ``missing_label=-1`` for such a ``y`` (or ``"?"``
        for a sheet with question marks). A missing value is never a label:
        :meth:`teach` refuses it.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,) or (n_samples, n_labels)
        The labels (as Python values; None, or a row of zeros for a
        multilabel pool, where there is none yet).

    labeled_ : ndarray of bool of shape (n_samples,)
        Which samples have a label.

    pending_ : ndarray of int
        Samples asked for and not labeled yet, in the order asked.

    history_ : list of dict
        One entry per call of :meth:`query`, :meth:`teach`, :meth:`relabel`,
        :meth:`unlabel` or :meth:`forget_pending`: its ``"kind"``, the
        ``"indices"``, the ``"labels"`` given (teach and relabel) and the
        number of labels afterwards (``"n_labeled"``).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import UncertaintySampler
    >>> from skactive.labeling import LabelingPool
    >>> X, y = load_iris(return_X_y=True)
    >>> pool = LabelingPool(X, classes=[0, 1, 2])
    >>> pool.teach([0, 50, 100], [0, 1, 2], requested=False)  # a seed set
    >>> batch = pool.query(UncertaintySampler(LogisticRegression()), batch_size=5)
    >>> pool.teach(batch[:3], y[batch[:3]])  # three of five, for now
    >>> pool.relabel([50], [1])  # a correction, kept in the history
    >>> pool.n_labeled, len(pool.pending_), pool.history_[-1]["kind"]
    (6, 2, 'relabel')
    """

    def __init__(self, X, y=None, *, labeled=None, classes=None, missing_label=None):
        n_samples = _num_samples(X)
        if n_samples == 0:
            raise ValueError("X holds no samples: a pool needs samples to label.")
        self.X = X
        self.classes, self.missing_label = check_settings(classes, missing_label)
        self.labels_, self.labeled_ = initial_labels(
            y, labeled, n_samples, self.classes, self.missing_label)
        self.pending_ = np.empty(0, dtype=np.intp)
        self.history_ = []
        self._fingerprint = None
        mark_synced(self, None, 0)

    @property
    def n_labeled(self):
        """Number of labeled samples."""
        return int(self.labeled_.sum())

    @property
    def unlabeled(self):
        """Indices of the samples without a label, pending ones included."""
        return np.flatnonzero(~self.labeled_)

    def labeled_data(self):
        """The labeled samples and their labels, in index order.

        Returns
        -------
        X_labeled : same type as ``X``
            The labeled rows.

        y_labeled : ndarray of shape (n_labeled,) or (n_labeled, n_labels)
            Their labels, with the dtype numpy infers from them; the 0/1
            rows of a multilabel pool.
        """
        indices = np.flatnonzero(self.labeled_)
        if self.labels_.ndim == 2:
            return _safe_indexing(self.X, indices), self.labels_[indices].copy()
        return _safe_indexing(self.X, indices), np.asarray(
            self.labels_[indices].tolist())

    def query(self, sampler, batch_size=None, *, costs=None, budget=None):
        """Fit ``sampler`` on the labeled samples and ask it for the next batch.

        The sampler chooses among the unlabeled samples that are not pending;
        the batch becomes pending until it is labeled.

        Parameters
        ----------
        sampler : sampler
            Any skactive sampler (a clone is fitted; ``sampler`` is unchanged).

        batch_size : int, default=None
            How many samples to ask for: 1 by default; with ``budget``, at
            most this many (by default as many as the budget allows).

        costs : array-like of shape (n_samples,), default=None
            The labeling cost of every sample of ``X`` (seconds, money,
            words), positive. With ``budget``, the batch is chosen by
            :func:`~skactive.select_within_budget` on the sampler's scores:
            best informativeness per cost first, within the budget.

        budget : float, default=None
            What the batch may cost in total; goes with ``costs``.

        Returns
        -------
        indices : ndarray of int
            Indices into ``X`` of the samples to label next, best first.

        Raises
        ------
        ValueError
            When every sample is labeled or pending, or when nothing is
            labeled yet and the sampler needs labels to be fitted.
        """
        candidates = self._candidates()
        costs = self._check_costs(costs, budget)
        fitted = self._fit_sampler(sampler)
        X_candidates = _safe_indexing(self.X, candidates)
        if budget is None:
            chosen = fitted.select(X_candidates,
                                   batch_size=1 if batch_size is None else batch_size)
        else:
            chosen = select_within_budget(
                fitted.score_samples(X_candidates), costs[candidates], budget,
                random_state=getattr(fitted, "random_state", None))[:batch_size]
        picked = candidates[chosen]
        self.pending_ = np.concatenate([self.pending_, picked])
        self._record("query", picked)
        return picked

    def teach(self, indices, labels, *, requested=True):
        """Record the labels of some unlabeled samples; all or nothing.

        Parameters
        ----------
        indices : array-like of int
            Indices into ``X``.

        labels : array-like of shape (len(indices),) or (len(indices), n_labels)
            Their labels: of the same kind (numbers or strings) as those
            already known, one of ``classes`` if given; rows of 0/1 for a
            multilabel pool.

        requested : bool, default=True
            Whether the samples must have been asked for by :meth:`query`
            (pending). Pass False to add labels obtained otherwise, such as
            a seed set.

        Raises
        ------
        ValueError
            For an unknown index, an index twice, a sample already labeled
            (use :meth:`relabel`), one that was not asked for, a missing
            label, a label not in ``classes``, a label of another kind: the
            pool is then unchanged.
        """
        indices = check_indices(indices, self.labeled_.shape[0])
        done = indices[self.labeled_[indices]]
        if done.size:
            raise ValueError(
                f"Sample {done[0]} is already labeled ({self.labels_[done[0]]!r}): "
                "use relabel() to correct a label.")
        if requested:
            stray = indices[~np.isin(indices, self.pending_)]
            if stray.size:
                raise ValueError(
                    f"Sample {stray[0]} was not asked for: query it first, or pass "
                    "requested=False to add labels obtained otherwise."
                )
        values = check_labels(self, indices, labels)
        self._set_labels("teach", indices, values)

    def relabel(self, indices, labels):
        """Correct the labels of labeled samples; all or nothing.

        The correction is kept in ``history_`` with the new labels.

        Parameters
        ----------
        indices : array-like of int
            Indices into ``X`` of labeled samples.

        labels : array-like of shape (len(indices),) or (len(indices), n_labels)
            Their new labels, checked as :meth:`teach` checks them.

        Raises
        ------
        ValueError
            For a sample that is not labeled (use :meth:`teach`), or any
            error of :meth:`teach`: the pool is then unchanged.
        """
        indices = check_indices(indices, self.labeled_.shape[0])
        self._check_labeled(indices, "teach() gives a first label")
        values = check_labels(self, indices, labels)
        self._set_labels("relabel", indices, values)

    def unlabel(self, indices):
        """Take the labels of some samples back; all or nothing.

        The samples become unlabeled and may be asked for again.

        Parameters
        ----------
        indices : array-like of int
            Indices into ``X`` of labeled samples.
        """
        indices = check_indices(indices, self.labeled_.shape[0])
        self._check_labeled(indices, "there is no label to take back")
        touch(self, indices)
        self.labels_[indices] = 0 if self.labels_.ndim == 2 else None
        self.labeled_[indices] = False
        self._record("unlabel", indices)

    def forget_pending(self):
        """Drop the pending requests, so that their samples may be asked again."""
        dropped, self.pending_ = self.pending_, np.empty(0, dtype=np.intp)
        self._record("forget_pending", dropped)

    def fit(self, estimator, **fit_params):
        """A clone of ``estimator`` fitted on the labeled samples.

        Parameters
        ----------
        estimator : estimator
            The final model (``estimator`` itself is not modified).

        **fit_params : dict
            Passed to its ``fit``.

        Returns
        -------
        fitted : estimator
            The fitted clone.
        """
        if self.n_labeled == 0:
            raise ValueError("No sample is labeled yet: teach some labels first.")
        X_labeled, y_labeled = self.labeled_data()
        return clone(estimator).fit(X_labeled, y_labeled, **fit_params)

    def save(self, path, *, overwrite=False):
        """Write the pool's state to ``path``, merged with other writers'.

        The file is JSON with a checksum (never a pickle): the labels, the
        pending requests, the history, ``classes``, ``missing_label`` and a
        fingerprint of ``X``, not ``X`` itself (pass ``X`` again to
        :meth:`load`). It is written to a temporary file that replaces
        ``path`` in one step: a process killed while saving leaves the
        previous state or the new one, and the next save or load removes
        its temporary file.

        Several writers may share the file (two people labeling one pool in
        turns, two processes). A save holds the file's lock while it reads
        the write counter on disk and writes. If the file changed since this
        pool loaded or last saved it, the save *merges*: this pool's changes
        since then are replayed onto the state on disk, so that neither
        writer's labels are lost, and the pool takes the merged state.
        Refusing instead would make every second writer redo its work. Only
        a real conflict, a sample given different labels by both, is
        refused (:class:`~skactive.exceptions.StateFileError` naming the
        samples; nothing is written).

        Parameters
        ----------
        path : str or path-like
            The state file.

        overwrite : bool, default=False
            Replace whatever ``path`` holds with this pool's state, without
            merging. By default, a file that this pool did not load or save
            is not written over (it may be another campaign's work).

        Raises
        ------
        StateFileError
            When ``path`` exists and this pool did not load it, when it
            cannot be read, or when another writer's changes conflict.
        """
        save_pool(self, path, overwrite)

    @classmethod
    def load(cls, path, X):
        """Read a pool written by :meth:`save`, for the samples ``X``.

        Loading parses data and runs no code: a pickle written by an older
        skactive is refused without being opened as one.

        Parameters
        ----------
        path : str or path-like
            The state file.

        X : array-like, sparse matrix, DataFrame or list of str
            The samples the pool was saved with (the file holds only their
            fingerprint): the same rows, in the same order, with the same
            content. A memory-mapped array stays on disk.

        Returns
        -------
        pool : LabelingPool
            The pool as it was saved.

        Raises
        ------
        StateFileError
            When the file is not a pool state (a pickle, another kind of
            state, anything else), was corrupted or truncated, or was saved
            with other samples than ``X``.
        """
        return load_pool(cls, path, X)

    def _candidates(self):
        """The samples a query may pick, or a clear error."""
        n_samples = self.labeled_.shape[0]
        if self.n_labeled == n_samples:
            raise ValueError(
                f"All {n_samples} samples are labeled: nothing is left to ask for. "
                "Use relabel() to correct a label, or unlabel() to ask for one "
                "again.")
        candidates = np.setdiff1d(self.unlabeled, self.pending_)
        if candidates.size == 0:
            raise ValueError(
                "No sample is left to ask for: every sample is labeled or "
                "pending. Teach the pending labels, or call forget_pending()."
            )
        return candidates

    def _check_costs(self, costs, budget):
        if (costs is None) != (budget is None):
            raise ValueError("costs and budget go together: pass both (one cost "
                             "per sample of X, and what the batch may cost), or "
                             "neither.")
        if costs is None:
            return None
        costs = np.asarray(costs, dtype=float)
        if costs.shape != self.labeled_.shape:
            raise ValueError(f"costs must hold one cost per sample of X "
                             f"({self.labeled_.shape[0]}), got shape {costs.shape}.")
        return costs

    def _fit_sampler(self, sampler):
        """A clone of ``sampler`` fitted on the labeled samples."""
        X_labeled, y_labeled = self.labeled_data()
        if self.n_labeled:
            return clone(sampler).fit(X_labeled, y_labeled)
        try:
            return clone(sampler).fit(X_labeled, y_labeled)
        except Exception as exc:
            raise ValueError(
                f"No sample is labeled yet, and {type(sampler).__name__} cannot "
                f"be fitted without labels ({type(exc).__name__}: {exc}). First "
                "teach a seed set with teach(indices, labels, requested=False), "
                "or ask a sampler that needs no labels (DiversitySampler)."
            ) from exc

    def _check_labeled(self, indices, what):
        stray = indices[~self.labeled_[indices]]
        if stray.size:
            raise ValueError(f"Sample {stray[0]} is not labeled: {what}.")

    def _set_labels(self, kind, indices, values):
        if values and isinstance(values[0], list) and self.labels_.ndim == 1:
            self.labels_ = np.zeros((self.labeled_.shape[0], len(values[0])), int)
        touch(self, indices)
        for i, value in zip(indices, values):
            self.labels_[i] = value
        self.labeled_[indices] = True
        self.pending_ = self.pending_[~np.isin(self.pending_, indices)]
        self._record(kind, indices, values)

    def _record(self, kind, indices, labels=None):
        entry = {"kind": kind, "indices": np.asarray(indices).tolist()}
        if labels is not None:
            entry["labels"] = list(labels)
        self.history_.append({**entry, "n_labeled": self.n_labeled})

    def __repr__(self):
        return (f"LabelingPool({self.labeled_.shape[0]} samples, {self.n_labeled} "
                f"labeled, {len(self.pending_)} pending)")

"""A pool of samples that remembers what was labeled, for a real labeling loop."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import joblib
import numpy as np
from sklearn.base import clone

from ..utils._files import atomic_write
from ..utils._sklearn_compat import _num_samples, _safe_indexing


class LabelingPool:
    """The samples of a labeling campaign, the labels known so far, and its rounds.

    Ask any sampler for the next batch with :meth:`query`; give the labels
    back with :meth:`teach`, in any order and in part (a person who labels
    17 of 20 and stops for lunch teaches 17; the other 3 stay *pending* and
    are not asked again until they are labeled or :meth:`forget_pending`
    is called); fit the final model with :meth:`fit`; keep the state on disk
    with :meth:`save` and :meth:`load`. A labeled sample is never asked
    again.

    Unlabeled samples are marked by an explicit mask rather than a sentinel
    value (scikit-learn's ``SelfTrainingClassifier`` uses -1), so labels may
    be of any type, strings included.

    Parameters
    ----------
    X : array-like, sparse matrix, DataFrame or list of str
        All the samples, in any form the samplers' models accept. Indices
        are row positions in ``X``.

    y : array-like of shape (n_samples,), default=None
        Labels known from the start, with anything at the unlabeled rows.

    labeled : array-like of bool of shape (n_samples,), default=None
        Which rows of ``y`` hold a label. None means none when ``y`` is
        None, else every row whose label is not missing (None, NaN or -1).

    Attributes
    ----------
    labeled_ : ndarray of bool of shape (n_samples,)
        Which samples have a label.

    pending_ : ndarray of int
        Samples asked for and not labeled yet, in the order asked.

    history_ : list of dict
        One entry per call of :meth:`query` or :meth:`teach`: the kind, the
        indices, and the number of labels afterwards.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import UncertaintySampler
    >>> from skactive.labeling import LabelingPool
    >>> X, y = load_iris(return_X_y=True)
    >>> pool = LabelingPool(X)
    >>> pool.teach([0, 50, 100], [0, 1, 2], requested=False)  # a seed set
    >>> batch = pool.query(UncertaintySampler(LogisticRegression()), batch_size=5)
    >>> pool.teach(batch[:3], y[batch[:3]])  # three of five, for now
    >>> pool.n_labeled, len(pool.pending_)
    (6, 2)
    """

    def __init__(self, X, y=None, *, labeled=None):
        n_samples = _num_samples(X)
        self.X = X
        self.labels_ = np.full(n_samples, None, dtype=object)
        self.labeled_ = np.zeros(n_samples, dtype=bool)
        if y is not None:
            y = np.asarray(y, dtype=object)
            if y.shape != (n_samples,):
                raise ValueError(f"y has shape {y.shape}; it needs one entry per "
                                 f"sample of X, shape ({n_samples},).")
            if labeled is None:
                labeled = np.array([not _is_missing(v, minus_one=True) for v in y])
            labeled = np.asarray(labeled, dtype=bool)
            if labeled.shape != (n_samples,):
                raise ValueError("labeled must hold one bool per sample of X.")
            self.labels_[labeled] = y[labeled]
            self.labeled_ = labeled.copy()
            self._check_label_kinds(self.labels_[labeled])
        self.pending_ = np.empty(0, dtype=np.intp)
        self.history_ = []

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

        y_labeled : ndarray of shape (n_labeled,)
            Their labels, with the dtype numpy infers from them.
        """
        indices = np.flatnonzero(self.labeled_)
        return _safe_indexing(self.X, indices), np.asarray(
            self.labels_[indices].tolist())

    def query(self, sampler, batch_size=1):
        """Fit ``sampler`` on the labeled samples and ask it for the next batch.

        The sampler chooses among the unlabeled samples that are not pending;
        the batch becomes pending until it is labeled.

        Parameters
        ----------
        sampler : sampler
            Any skactive sampler (a clone is fitted; ``sampler`` is unchanged).

        batch_size : int, default=1
            How many samples to ask for.

        Returns
        -------
        indices : ndarray of shape (batch_size,)
            Indices into ``X`` of the samples to label next, best first.
        """
        candidates = np.setdiff1d(self.unlabeled, self.pending_)
        if candidates.size == 0:
            raise ValueError(
                "No sample is left to ask for: every sample is labeled or "
                "pending. Teach the pending labels, or call forget_pending()."
            )
        X_labeled, y_labeled = self.labeled_data()
        fitted = clone(sampler).fit(X_labeled, y_labeled)
        picked = candidates[fitted.select(_safe_indexing(self.X, candidates),
                                          batch_size=batch_size)]
        self.pending_ = np.concatenate([self.pending_, picked])
        self.history_.append({"kind": "query", "indices": picked.tolist(),
                              "n_labeled": self.n_labeled})
        return picked

    def teach(self, indices, labels, *, requested=True):
        """Record the labels of some samples; all or nothing.

        Parameters
        ----------
        indices : array-like of int
            Indices into ``X``.

        labels : array-like of shape (len(indices),)
            Their labels, of the same kind (numbers or strings) as those
            already known.

        requested : bool, default=True
            Whether the samples must have been asked for by :meth:`query`
            (pending). Pass False to add labels obtained otherwise, such as
            a seed set.

        Raises
        ------
        ValueError
            For an unknown index, an index twice, a sample already labeled,
            one that was not asked for, a label of another kind: the pool is
            then unchanged.
        """
        indices = np.asarray(indices)
        labels = np.asarray(labels, dtype=object)
        if indices.ndim != 1 or labels.shape != indices.shape:
            raise ValueError(
                f"indices and labels must be 1-D and of one length, got shapes "
                f"{indices.shape} and {labels.shape}."
            )
        if indices.size and not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"indices must be integers, got {indices.dtype}.")
        n_samples = self.labeled_.shape[0]
        unknown = indices[(indices < 0) | (indices >= n_samples)]
        if unknown.size:
            raise ValueError(f"Unknown sample index {unknown[0]}: the pool has "
                             f"{n_samples} samples, indices 0 to {n_samples - 1}.")
        if np.unique(indices).size != indices.size:
            raise ValueError("An index appears twice: give one label per sample.")
        done = indices[self.labeled_[indices]]
        if done.size:
            raise ValueError(f"Sample {done[0]} is already labeled; a labeled "
                             "sample is never labeled again.")
        if requested:
            stray = indices[~np.isin(indices, self.pending_)]
            if stray.size:
                raise ValueError(
                    f"Sample {stray[0]} was not asked for: query it first, or pass "
                    "requested=False to add labels obtained otherwise."
                )
        missing = [i for i, v in zip(indices, labels) if _is_missing(v)]
        if missing:
            raise ValueError(f"The label of sample {missing[0]} is missing.")
        self._check_label_kinds(labels)
        self.labels_[indices] = labels
        self.labeled_[indices] = True
        self.pending_ = self.pending_[~np.isin(self.pending_, indices)]
        self.history_.append({"kind": "teach", "indices": indices.tolist(),
                              "n_labeled": self.n_labeled})

    def forget_pending(self):
        """Drop the pending requests, so that their samples may be asked again."""
        self.pending_ = np.empty(0, dtype=np.intp)

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

    def save(self, path):
        """Write the pool to ``path``, atomically.

        The state goes to a temporary file in the same folder, which then
        replaces ``path`` in one step: a process killed while saving leaves
        the previous state or the new one, never half of one.

        Parameters
        ----------
        path : str or path-like
            Where to write (joblib's pickle format).
        """
        with atomic_write(path, "wb") as f:
            joblib.dump(self, f)

    @classmethod
    def load(cls, path):
        """Read a pool written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            The file.

        Returns
        -------
        pool : LabelingPool
            The pool as it was saved.
        """
        pool = joblib.load(path)
        if not isinstance(pool, cls):
            raise ValueError(f"{path} holds a {type(pool).__name__}, not a "
                             "LabelingPool.")
        return pool

    def _check_label_kinds(self, labels):
        """Labels are all numbers or all strings, like those already known."""
        known = self.labels_[self.labeled_]
        kinds = {_kind(v) for v in (*known.tolist(), *np.asarray(labels).tolist())}
        if len(kinds) > 1:
            raise ValueError(
                "Labels must all be numbers or all be strings; these mix "
                f"{' and '.join(sorted(kinds))}. Check the label that was given."
            )

    def __repr__(self):
        return (f"LabelingPool({self.labeled_.shape[0]} samples, {self.n_labeled} "
                f"labeled, {len(self.pending_)} pending)")


def _kind(value):
    if isinstance(value, (str, bytes)):
        return "strings"
    if isinstance(value, (Integral, float, np.number, bool, np.bool_)):
        return "numbers"
    return type(value).__name__


def _is_missing(value, minus_one=False):
    """None or NaN; also -1 (SelfTrainingClassifier's mark) if ``minus_one``."""
    if value is None:
        return True
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return True
    return minus_one and isinstance(value, (Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_)) and value == -1

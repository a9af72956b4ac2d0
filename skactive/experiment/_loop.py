"""Simulated active learning on a labeled data set."""

# SPDX-License-Identifier: BSD-3-Clause

import os
import warnings
from functools import partial
from numbers import Integral, Real

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.base import clone, is_regressor
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_consistent_length

from ..exceptions import ParameterError, SingleClassWarning
from ..utils._selection import draw_stop_set
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    _safe_indexing,
    validate_params,
)
from ._checkpoint import Checkpoint
from ._result import ExperimentResult


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "samplers": [dict],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "X_test": ["array-like", "sparse matrix", None],
        "y_test": ["array-like", None],
        "test_size": [Interval(Real, 0, 1, closed="neither"),
                      Interval(Integral, 1, None, closed="left")],
        "initial_size": [Interval(Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "n_rounds": [Interval(Integral, 0, None, closed="left"), None],
        "budget": [Interval(Integral, 1, None, closed="left"), None],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "scoring": [str, callable, None],
        "random_state": [Integral],
        "n_jobs": [Integral, None],
        "progress": ["boolean"],
        "checkpoint": [str, os.PathLike, None],
        "stopping": [dict, None],
    },
    prefer_skip_nested_validation=False,
)
def run_experiment(
    estimator,
    samplers,
    X,
    y,
    *,
    X_test=None,
    y_test=None,
    test_size=0.25,
    initial_size=None,
    batch_size=10,
    n_rounds=None,
    budget=None,
    n_repeats=5,
    scoring=None,
    random_state=0,
    n_jobs=None,
    progress=False,
    checkpoint=None,
    stopping=None,
):
    """Simulate active learning with several samplers and record learning curves.

    The labels of ``y`` are hidden and revealed only for the samples a
    sampler selects. For each repeat and each sampler:

    1. Split ``X, y`` into a pool and a test set (stratified for a
       classifier, ``test_size``), unless ``X_test, y_test`` are given; then
       all of ``X`` is the pool.
    2. Draw the initial labeled set from the pool: for a classifier, one
       sample of each class (of ``initial_size`` classes drawn at random when
       there are more classes than that), then samples drawn uniformly from
       the rest; for a regressor, ``initial_size`` samples at random.
    3. At each round: fit a clone of ``estimator`` on the labeled set and
       score it on the test set; then fit a clone of the sampler on the
       labeled set, select ``batch_size`` samples from the unlabeled pool and
       reveal their labels. The last round is scored only.

    Steps 1 and 2 depend only on ``random_state`` and the repeat number, so
    every sampler of a repeat starts from the same split and the same labels
    (a paired comparison). A sampler whose ``random_state`` is None gets a
    seed drawn from the repeat's, so the whole experiment is reproducible
    and independent of ``n_jobs``.

    Parameters
    ----------
    estimator : classifier or regressor
        The model evaluated at every round. Give it a fixed ``random_state``
        if it uses randomness. A regressor (``sklearn.base.is_regressor``)
        makes it a regression experiment: no classes, an unstratified split,
        a random initial set.

    samplers : dict of str to sampler
        The strategies to compare, by name, e.g.
        ``{"margin": UncertaintySampler(...), "random": RandomSampler()}``.

    X : {array-like, sparse matrix, DataFrame, list of str} of shape (n_samples, ...)
        The data, all of it labeled (the labels are revealed on demand), in
        any form the estimator and the samplers accept: rows are taken with
        ``_safe_indexing``, never converted, so a DataFrame stays a
        DataFrame (for a ``ColumnTransformer``) and texts stay texts (for a
        vectorizer).

    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Labels, targets, or a binary indicator matrix (multilabel: the
        initial set then holds a positive of every label where it can).

    X_test, y_test : array-like, default=None
        A fixed test set. Then ``X, y`` is the pool and ``test_size`` is
        ignored.

    test_size : float or int, default=0.25
        Size of the test set split off in each repeat.

    initial_size : int, default=None
        Size of the initial labeled set; None means ``batch_size`` (at most
        half the pool), and at least the number of classes. It must be at
        least 2, so that the first model sees two classes (one sample of each
        of ``initial_size`` classes is drawn first); smaller values are
        refused.

    batch_size : int, default=10
        Labels revealed per round.

    n_rounds : int, default=None
        Rounds of selection. None derives it from ``budget``, or uses 10. A
        plan that needs more samples than the pool holds is refused, with the
        largest number of rounds that fits.

    budget : int, default=None
        Final number of labels, initial set included; exclusive with
        ``n_rounds``. The last batch is smaller when ``budget - initial_size``
        is not a multiple of ``batch_size``; at most the pool size.

    n_repeats : int, default=5
        Repeats, each with its own split and initial set.

    scoring : str or callable, default=None
        Scikit-learn scorer name or callable ``scorer(estimator, X, y)``;
        None uses the estimator's ``score``: accuracy for classifiers, R² for
        regressors (bounded above by 1, comparable across data sets; pass
        ``"neg_root_mean_squared_error"`` for curves in the target's units),
        and micro-F1 (``"f1_micro"``) for a multilabel ``y`` (subset
        accuracy, the estimator's own, stays flat for many rounds).

    random_state : int, default=0
        Seed of the splits, the initial sets and the samplers' seeds.

    n_jobs : int, default=None
        (sampler, repeat) runs in parallel through joblib. Results do not
        depend on it.

    progress : bool, default=False
        Show a progress bar over the runs (needs tqdm, the ``progress``
        extra).

    checkpoint : str or path-like, default=None
        Folder where every finished (sampler, repeat) run is saved as soon as
        it finishes. Calling again with the same arguments skips the runs
        found there and returns the same result as an uninterrupted run. Each
        run is a JSON file that records the arguments it was computed with
        (a fingerprint): a file of other arguments is refused, as is a
        damaged one, with an error naming it.

    stopping : dict of str to stopping criterion, default=None
        Criteria of :mod:`skactive.labeling` to evaluate, by name. The
        experiment still runs to the end of its budget; each criterion (a
        fresh clone per run) sees each round's model and the *stop set*, a
        fixed sample of up to 1,000 samples of the repeat's unlabeled pool,
        and the round at which it first says stop is recorded
        (:meth:`ExperimentResult.stopping_summary`).

    Returns
    -------
    result : :class:`~skactive.experiment.ExperimentResult`
        The tidy table of scores, with AUBC, CSV export and plots.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import RandomSampler, UncertaintySampler
    >>> from skactive.experiment import run_experiment
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression()
    >>> result = run_experiment(
    ...     model, {"margin": UncertaintySampler(model), "random": RandomSampler()},
    ...     X, y, batch_size=5, n_rounds=3, n_repeats=2)
    >>> len(result)  # 2 strategies x 2 repeats x 4 scored rounds
    16
    >>> sorted(result.aubc())
    ['margin', 'random']
    """
    if not samplers:
        raise ValueError(
            "samplers must be a non-empty dict of name -> sampler, e.g. "
            "{'margin': UncertaintySampler(model), 'random': RandomSampler()}."
        )
    X, y = _check_data(X, y)
    if (X_test is None) != (y_test is None):
        raise ValueError("Pass both X_test and y_test, or neither.")
    if X_test is not None:
        X_test, y_test = _check_data(X_test, y_test)
    regression, multilabel, n_classes = _check_task(estimator, y)
    n_pool = y.shape[0]
    if X_test is None:
        n_pool -= _n_test(test_size, n_pool)
    initial_size = _initial_size(initial_size, batch_size, n_pool, n_classes,
                                 regression)
    n_rounds, final_size = _n_rounds(n_rounds, budget, initial_size, batch_size,
                                     n_pool)
    if scoring is None and multilabel:
        # Subset accuracy (every label right) is flat for many rounds;
        # micro-F1 pools the decisions of every label, as the multilabel
        # active-learning literature reports.
        scoring = "f1_micro"
    scorer = check_scoring(estimator, scoring=scoring)

    settings = dict(
        test_size=test_size, initial_size=initial_size, batch_size=batch_size,
        n_rounds=n_rounds, final_size=final_size, random_state=random_state,
        regression=regression, multilabel=multilabel,
    )
    stopping = _check_stopping(stopping)
    runs = [(name, repeat) for repeat in range(n_repeats) for name in samplers]
    finished, store = {}, None
    if checkpoint is not None:
        fingerprint = joblib.hash(
            (estimator, samplers, X, y, X_test, y_test, scoring, settings, stopping)
        )
        store = Checkpoint(checkpoint, fingerprint, settings)
        finished = store.open()
    todo = [run for run in runs if run not in finished]

    jobs = (
        delayed(_run_one)(
            estimator, name, samplers[name], X, y, X_test, y_test, repeat, scorer,
            store=store, stopping=stopping, **settings,
        )
        for name, repeat in todo
    )
    outputs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs)
    if progress:
        outputs = _progress_bar(outputs, total=len(runs), initial=len(finished))
    for (name, repeat), run in outputs:
        finished[name, repeat] = run
    rows = [row for run in runs for row in finished[run]["rows"]]
    stops = [stop for run in runs for stop in finished[run]["stops"]]
    return ExperimentResult(rows, list(samplers), stops=stops,
                            criteria=list(stopping))


def _check_task(estimator, y):
    """Regression, multilabel, and the number of classes (2 for either)."""
    regression = is_regressor(estimator)
    multilabel = type_of_target(y) == "multilabel-indicator"
    # Regression has no classes: the initial set is drawn at random and the
    # split is not stratified; multilabel is not stratified either.
    n_classes = 2 if regression or multilabel else np.unique(y).size
    if n_classes < 2:
        raise ValueError(
            f"y has a single class ({np.unique(y)[0]!r}); a classification "
            "experiment needs at least two."
        )
    if regression and not np.issubdtype(y.dtype, np.number):
        raise ValueError(f"{type(estimator).__name__} is a regressor, but y holds "
                         f"{y.dtype} values: regression needs numeric targets.")
    return regression, multilabel, n_classes


def _initial_size(initial_size, batch_size, n_pool, n_classes, regression):
    """The size of the initial labeled set: by default one batch, at least one
    sample per class."""
    if initial_size is None:
        # At most half the pool, so that an oversized batch_size is reported
        # as such.
        return max(min(batch_size, n_pool // 2), n_classes)
    if initial_size < 2 and not regression:
        problem = ("cannot hold two classes, and the first model needs two to be "
                   "fitted")
        why = "(the initial set takes one sample per class first)"
        raise ParameterError(
            "initial_size", initial_size, problem, f"at least 2 {why}",
            message=f"initial_size={initial_size} {problem}: pass initial_size >= "
            f"2 {why}, or None for one per class.")
    return initial_size


def _check_stopping(stopping):
    """The stopping criteria by name ({} for None), each with ``update``."""
    stopping = {} if stopping is None else stopping
    for criterion_name, criterion in stopping.items():
        if not hasattr(criterion, "update"):
            raise ValueError(
                f"stopping[{criterion_name!r}] is a {type(criterion).__name__}, not "
                "a stopping criterion: pass objects of skactive.labeling, such as "
                "StabilizingPredictions()."
            )
    return stopping


def _run_one(estimator, name, sampler, X, y, X_test, y_test, repeat, scorer, *,
             test_size, initial_size, batch_size, n_rounds, final_size,
             random_state, regression, multilabel, store, stopping):
    """One (sampler, repeat) run: its rows (name, repeat, round, n_labeled, score)."""
    seeds = np.random.SeedSequence([random_state, repeat]).generate_state(4)
    if X_test is None:
        X_pool, X_test, y_pool, y_test = train_test_split(
            X, y, test_size=test_size,
            stratify=None if regression or multilabel else y,
            random_state=int(seeds[0])
        )
    else:
        X_pool, y_pool = X, y
    labeled = np.zeros(y_pool.shape[0], dtype=bool)
    if regression:
        labeled[check_random_state(int(seeds[1])).choice(
            y_pool.shape[0], size=initial_size, replace=False)] = True
    elif multilabel:
        labeled[_initial_multilabel_set(y_pool, initial_size, int(seeds[1]))] = True
    else:
        labeled[_initial_set(y_pool, initial_size, int(seeds[1]))] = True
    # Rows are indexed with _safe_indexing: a DataFrame stays a DataFrame, a
    # list of texts a list, a sparse matrix sparse, for the pipeline to read.
    X_at = partial(_safe_indexing, X_pool)
    # The stop set: a fixed sample of the unlabeled pool, the same for every
    # strategy of the repeat and at every round.
    X_stop = X_at(draw_stop_set(np.flatnonzero(~labeled), int(seeds[3])))
    criteria = {c: clone(criterion) for c, criterion in stopping.items()}
    stopped = {}

    sampler = clone(sampler)
    if "random_state" in sampler.get_params() and sampler.random_state is None:
        sampler.set_params(random_state=int(seeds[2]))
    rows = []
    for round_ in range(n_rounds + 1):
        known = np.flatnonzero(labeled)
        model = clone(estimator).fit(X_at(known), y_pool[known])
        score = float(scorer(model, X_test, y_test))
        rows.append((name, repeat, round_, int(known.size), score))
        for criterion_name, criterion in criteria.items():
            if (criterion.update(model, X_stop, int(known.size))
                    and criterion_name not in stopped):
                stopped[criterion_name] = (round_, int(known.size))
        if round_ == n_rounds:
            break
        pool = np.flatnonzero(~labeled)
        sampler.fit(X_at(known), y_pool[known])
        with warnings.catch_warnings():
            # A single labeled class is expected at a cold start.
            warnings.simplefilter("ignore", SingleClassWarning)
            # The last batch may be smaller: it ends at the budget.
            size = min(batch_size, final_size - known.size)
            picked = sampler.select(X_at(pool), batch_size=size)
        labeled[pool[picked]] = True
    # (strategy, repeat, criterion, round, n_labeled); -1 if it never stopped.
    stops = [(name, repeat, c, *stopped.get(c, (-1, -1))) for c in criteria]
    if store is not None:  # the Checkpoint, when there is one
        store.save(name, repeat, rows, stops)
    return (name, repeat), {"rows": rows, "stops": stops}


def _initial_set(y, size, seed):
    """One sample per class (of ``size`` random classes if fewer), then random."""
    rng = check_random_state(seed)
    classes = np.unique(y)
    if size < classes.size:
        classes = rng.choice(classes, size=size, replace=False)
    chosen = [rng.choice(np.flatnonzero(y == c)) for c in np.sort(classes)]
    rest = np.setdiff1d(np.arange(y.shape[0]), chosen)
    extra = rng.choice(rest, size=min(size - len(chosen), rest.size), replace=False)
    return np.concatenate([chosen, extra]).astype(np.intp)


def _initial_multilabel_set(Y, size, seed):
    """A positive sample of every label (in random label order, as far as
    ``size`` and the data allow), then random samples."""
    rng = check_random_state(seed)
    chosen = []
    for label in rng.permutation(Y.shape[1]):
        if len(chosen) == size:
            break
        if chosen and Y[chosen, label].any():
            continue  # already has a positive
        positives = np.flatnonzero(Y[:, label])
        if positives.size:
            chosen.append(rng.choice(positives))
    rest = np.setdiff1d(np.arange(Y.shape[0]), chosen)
    extra = rng.choice(rest, size=size - len(chosen), replace=False)
    return np.concatenate([chosen, extra]).astype(np.intp)


def _n_test(test_size, n_samples):
    """Test-set size of train_test_split (a fraction is rounded up)."""
    if isinstance(test_size, Real) and not isinstance(test_size, Integral):
        return int(np.ceil(test_size * n_samples))
    return int(test_size)


def _n_rounds(n_rounds, budget, initial_size, batch_size, n_pool):
    """Rounds of selection and the final number of labels; refuse a plan that
    the pool cannot serve, saying the largest value that works."""
    if n_rounds is not None and budget is not None:
        raise ValueError("Pass n_rounds or budget, not both.")
    if initial_size >= n_pool:
        raise ParameterError(
            "initial_size", initial_size, f"leaves nothing to select from a pool of "
            f"{n_pool} samples (after the test split)", f"at most {n_pool - 1}")
    if batch_size > n_pool - initial_size:
        raise ParameterError(
            "batch_size", batch_size, f"is larger than the {n_pool - initial_size} "
            f"unlabeled samples of the pool ({n_pool} after the test split, "
            f"{initial_size} labeled at the start)", f"at most {n_pool - initial_size}")
    if budget is not None:
        if budget < initial_size:
            raise ValueError(
                f"budget={budget} is smaller than the initial labeled set "
                f"({initial_size})."
            )
        if budget > n_pool:
            raise ValueError(
                f"budget={budget} is more labels than the pool holds ({n_pool} "
                f"samples after the test split): pass at most {n_pool}."
            )
        return -(-(budget - initial_size) // batch_size), budget
    n_rounds = 10 if n_rounds is None else n_rounds
    most = (n_pool - initial_size) // batch_size
    if n_rounds > most:
        problem = (f"asks for {initial_size + n_rounds * batch_size} samples "
                   f"({n_rounds} rounds of {batch_size} labels after {initial_size} "
                   f"initial ones), but the pool has {n_pool} after the test split")
        raise ParameterError(
            "n_rounds", n_rounds, problem, f"at most {most}",
            message=f"n_rounds={n_rounds} {problem}: pass at most {most} rounds, or "
            f"budget={n_pool} to label the whole pool.")
    return n_rounds, initial_size + n_rounds * batch_size


def _check_data(X, y):
    """Check lengths and the target; ``X`` is passed on as it is (array,
    sparse matrix, DataFrame, list of texts) for the estimator to validate."""
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        X = X.tocsr()  # formats that can be indexed by rows
    y = np.asarray(y)
    if y.ndim != 1 and type_of_target(y) != "multilabel-indicator":
        raise ValueError(f"y must be 1-D (one label per sample) or a binary "
                         f"indicator matrix (multilabel), got shape {y.shape}.")
    check_consistent_length(X, y)
    return X, y


def _progress_bar(iterable, total, initial, unit="run", desc="active learning"):
    try:
        from tqdm.auto import tqdm
    except ImportError as exc:
        raise ImportError(
            "progress=True needs tqdm: pip install 'skactive[progress]'."
        ) from exc
    return tqdm(iterable, total=total, initial=initial, unit=unit, desc=desc)

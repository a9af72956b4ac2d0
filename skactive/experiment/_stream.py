"""Prequential (test-then-train) evaluation of stream samplers."""

# SPDX-License-Identifier: BSD-3-Clause

import os
from numbers import Integral

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_consistent_length

from ..exceptions import ParameterError
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    _safe_indexing,
    validate_params,
)
from ._checkpoint import Checkpoint
from ._loop import _progress_bar
from ._result import ExperimentResult


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "samplers": [dict],
        "stream": [tuple, callable, HasMethods(["__iter__"])],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "initial_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "classes": ["array-like", None],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "random_state": [Integral],
        "n_jobs": [Integral, None],
        "progress": ["boolean"],
        "checkpoint": [str, os.PathLike, None],
    },
    prefer_skip_nested_validation=False,
)
def run_stream_experiment(estimator, samplers, stream, *, batch_size=100,
                          initial_size=100, window=1000, classes=None, n_repeats=5,
                          random_state=0, n_jobs=None, progress=False,
                          checkpoint=None):
    """Prequential evaluation of stream samplers: accuracy and labels over time.

    For each repeat and each sampler, the stream is replayed in order. Its
    first ``initial_size`` samples are labeled and fit a clone of the
    sampler (the cold start); then, for each arriving mini-batch, test then
    train: a clone of ``estimator`` predicts every sample of the batch
    (labeled or not) and its accuracy is recorded; the sampler's
    ``decide`` says which labels to request; they are revealed, and the
    sampler and the model learn them (``update``; the model with
    ``partial_fit`` when it has it, else refitted on all the labels so
    far). One row is recorded per mini-batch.

    Parameters
    ----------
    estimator : classifier
        The model evaluated. When a sampler's ``estimator`` parameter has
        the same parameters, the sampler's own model (which learns the same
        labels in the same order) is evaluated instead of a second copy:
        the same predictions at half the cost.

    samplers : dict of str to stream sampler
        The strategies to compare, by name, each with ``fit(X, y,
        classes=)``, ``decide(X)`` and ``update(X, y)``, such as
        :class:`~skactive.StreamSampler`. A sampler with ``budget=1`` and
        ``strategy="random"`` labels everything: the reference.

    stream : tuple (X, y), iterable or callable
        The stream: a tuple ``(X, y)`` of arrays, cut into mini-batches of
        ``batch_size`` in row order; an iterable of ``(X_batch, y_batch)``
        mini-batches, read once into memory and replayed for every sampler
        and repeat; or a callable called as ``stream(random_state=seed)``
        that returns such an iterable, a new stream for each repeat (and
        the same for every sampler of a repeat), such as
        ``functools.partial(make_sea_stream, 100_000)``.

    batch_size : int, default=100
        Mini-batch size of a stream of arrays (others bring their own).

    initial_size : int, default=100
        Samples at the start of the stream that are labeled to fit the
        first model; they count as labels spent, and are not evaluated.

    window : int, default=1000
        The sliding window, in samples, of the accuracy recorded in the
        ``window_score`` column.

    classes : array-like, default=None
        Every class the stream may hold (``partial_fit`` must know them
        from the start). None means the classes of the stream for arrays
        and iterables, and those of the initial samples for a callable.

    n_repeats : int, default=5
        Repeats. With a callable each repeat has its own stream; otherwise
        the repeats differ only in the samplers' seeds.

    random_state : int, default=0
        Seed of the streams of a callable and of the samplers whose
        ``random_state`` is None. The result does not depend on ``n_jobs``.

    n_jobs : int, default=None
        (sampler, repeat) runs in parallel through joblib.

    progress : bool, default=False
        Show a progress bar over the runs (needs tqdm).

    checkpoint : str or path-like, default=None
        Folder where each finished run is saved, as in
        :func:`run_experiment`: a second call with the same arguments skips
        them. A callable stream is fingerprinted by its pickle.

    Returns
    -------
    result : :class:`~skactive.experiment.ExperimentResult`
        A stream result (``result.stream`` is True): one row ``(strategy,
        repeat, round, n_seen, score, n_labeled, window_score)`` per
        mini-batch, where ``n_seen`` counts the samples of the stream so far
        (initial ones included), ``score`` is the cumulative prequential
        accuracy, ``n_labeled`` the labels spent so far and
        ``window_score`` the accuracy over the last ``window`` samples.

    Examples
    --------
    >>> from functools import partial
    >>> from sklearn.linear_model import SGDClassifier
    >>> from skactive import StreamSampler
    >>> from skactive.experiment import make_sea_stream, run_stream_experiment
    >>> model = SGDClassifier(loss="log_loss", random_state=0)
    >>> samplers = {
    ...     "split": StreamSampler(model, strategy="split", budget=0.1),
    ...     "random": StreamSampler(model, strategy="random", budget=0.1),
    ...     "everything": StreamSampler(model, strategy="random", budget=1.0)}
    >>> stream = partial(make_sea_stream, 5000, batch_size=500)
    >>> result = run_stream_experiment(model, samplers, stream, n_repeats=2)
    >>> len(result)  # 3 strategies x 2 repeats x 10 mini-batches
    60
    >>> seen, labels = result.curves("everything", "n_labeled")
    >>> int(seen[-1]), labels[:, -1].tolist()
    (5000, [5000, 5000])
    """
    if not samplers:
        raise ValueError("samplers must be a non-empty dict of name -> stream "
                         "sampler, e.g. {'split': StreamSampler(model, "
                         "strategy='split')}.")
    for name, sampler in samplers.items():
        if not all(hasattr(sampler, m) for m in ("fit", "decide", "update")):
            raise TypeError(
                f"samplers[{name!r}] is a {type(sampler).__name__}, not a stream "
                "sampler (fit, decide, update): use skactive.StreamSampler.")
    source = _check_stream(stream, batch_size)
    if classes is None and not callable(source):
        classes = np.unique(np.concatenate([y for _, y in source]))
    classes = None if classes is None else np.unique(classes)
    settings = dict(initial_size=initial_size, window=window,
                    random_state=random_state, batch_size=batch_size)
    runs = [(name, repeat) for repeat in range(n_repeats) for name in samplers]
    finished, store = {}, None
    if checkpoint is not None:
        fingerprint = joblib.hash((estimator, samplers, source, classes, settings))
        store = Checkpoint(checkpoint, fingerprint, settings)
        finished = store.open()
    jobs = (delayed(_run_one)(estimator, name, samplers[name], source, repeat,
                              classes, initial_size=initial_size, window=window,
                              random_state=random_state, store=store)
            for name, repeat in runs if (name, repeat) not in finished)
    outputs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs)
    if progress:
        outputs = _progress_bar(outputs, total=len(runs), initial=len(finished),
                                desc="stream")
    for (name, repeat), run in outputs:
        finished[name, repeat] = run
    return _result(finished, runs, list(samplers))


def _check_stream(stream, batch_size):
    """A callable as it is; arrays and iterables as a list of mini-batches."""
    if callable(stream):
        return stream
    if isinstance(stream, tuple) and len(stream) == 2 and not isinstance(
            stream[0], tuple):
        X, y = stream
        if sp.issparse(X):
            X = X.tocsr()
        y = np.asarray(y)
        check_consistent_length(X, y)
        return [(_safe_indexing(X, batch), y[batch]) for batch in
                (np.arange(start, min(start + batch_size, y.shape[0]))
                 for start in range(0, y.shape[0], batch_size))]
    batches = [_check_batch(batch) for batch in stream]
    if not batches:
        raise ValueError("The stream is empty: it yielded no mini-batch.")
    return batches


def _check_batch(batch):
    """One ``(X_batch, y_batch)`` pair of one length."""
    if not (isinstance(batch, tuple | list) and len(batch) == 2):
        raise ValueError(
            f"A stream must yield (X_batch, y_batch) pairs, got a "
            f"{type(batch).__name__}: pass a tuple (X, y) of arrays, an iterable "
            "of (X_batch, y_batch) or a callable that returns one.")
    X, y = batch
    y = np.asarray(y)
    check_consistent_length(X, y)
    return X, y


def _result(finished, runs, strategies):
    """The stream result; every repeat must see the same mini-batch sizes."""
    seen = {}
    for (name, repeat) in runs:
        seen.setdefault(name, [r[3] for r in finished[name, repeat]["rows"]])
        if [r[3] for r in finished[name, repeat]["rows"]] != seen[name]:
            raise ValueError(
                f"The stream of repeat {repeat} has other mini-batch sizes than "
                "repeat 0: a callable stream must cut every repeat's stream "
                "into the same mini-batches, so that the curves line up.")
    rows = [row for run in runs for row in finished[run]["rows"]]
    return ExperimentResult(rows, strategies, stream=True)


def _run_one(estimator, name, sampler, source, repeat, classes, *, initial_size,
             window, random_state, store):
    """One (sampler, repeat) run: a row per mini-batch."""
    seeds = np.random.SeedSequence([random_state, repeat]).generate_state(2)
    batches = iter(source(random_state=int(seeds[0])) if callable(source)
                   else source)
    X_initial, y_initial, batches = _initial(batches, initial_size)
    if classes is None:
        classes = np.unique(y_initial)
    sampler = clone(sampler)
    if "random_state" in sampler.get_params() and sampler.random_state is None:
        sampler.set_params(random_state=int(seeds[1]))
    sampler.fit(X_initial, y_initial, classes=classes)
    model = None if _same_model(sampler, estimator) else _Model(estimator, classes)
    if model is not None:
        model.fit(X_initial, y_initial)
    n_seen, n_labeled, n_correct = len(y_initial), len(y_initial), 0
    recent, rows = np.zeros(0, dtype=bool), []
    for round_, (X, y) in enumerate(batches):
        _check_classes(y, classes)
        predicted = (sampler.estimator_ if model is None else model.estimator_
                     ).predict(X)
        correct = np.asarray(predicted == y, dtype=bool)
        ask = np.asarray(sampler.decide(X), dtype=bool)
        X_asked, y_asked = _safe_indexing(X, np.flatnonzero(ask)), y[ask]
        sampler.update(X_asked, y_asked)
        if model is not None:
            model.update(X_asked, y_asked)
        n_seen += len(y)
        n_labeled += int(ask.sum())
        n_correct += int(correct.sum())
        recent = np.concatenate([recent, correct])[-window:]
        rows.append((name, repeat, round_, n_seen, n_correct / (n_seen - initial_size),
                     n_labeled, float(recent.mean())))
    if not rows:
        raise ValueError(f"The stream holds no sample after the {initial_size} "
                         "initial ones: pass a longer stream or a smaller "
                         "initial_size.")
    if store is not None:
        store.save(name, repeat, rows)
    return (name, repeat), {"rows": rows, "stops": []}


def _initial(batches, initial_size):
    """The first ``initial_size`` samples, and the mini-batches after them (the
    rest of a mini-batch that the initial set cuts is one)."""
    X_parts, y_parts, n = [], [], 0
    for X, y in batches:
        X, y = _check_batch((X, y))
        take = min(initial_size - n, len(y))
        X_parts.append(_safe_indexing(X, np.arange(take)))
        y_parts.append(y[:take])
        n += take
        if n == initial_size:
            rest = (_safe_indexing(X, np.arange(take, len(y))), y[take:])
            break
    else:
        raise ParameterError(
            "initial_size", initial_size, f"is more than the {n} samples of the "
            "stream", f"at most {max(n - 1, 1)}")
    y_initial = np.concatenate(y_parts)
    if np.unique(y_initial).size < 2:
        raise ValueError(
            f"The first {initial_size} samples of the stream hold a single class "
            f"({y_initial[0]!r}): the first model needs two; pass a larger "
            "initial_size.")
    tail = ([_check_batch(rest)] if len(rest[1]) else [])
    return _concat(X_parts), y_initial, _chain(tail, batches)


def _chain(first, batches):
    yield from first
    for batch in batches:
        yield _check_batch(batch)


def _concat(blocks):
    """Stack row blocks: arrays, sparse matrices or DataFrames."""
    if len(blocks) == 1:
        return blocks[0]
    if any(sp.issparse(block) for block in blocks):
        return sp.vstack(blocks, format="csr")
    if hasattr(blocks[0], "iloc"):
        import pandas as pd

        return pd.concat(blocks)
    return np.concatenate(blocks)


def _check_classes(y, classes):
    unknown = np.setdiff1d(np.unique(y), classes)
    if unknown.size:
        raise ValueError(
            f"The stream holds classes {unknown.tolist()} that the first samples "
            f"did not (classes {classes.tolist()}): pass every class to "
            "run_stream_experiment(..., classes=).")


def _same_model(sampler, estimator):
    """Whether the sampler's own model is a copy of ``estimator``: it then
    learns the same labels in the same order, and is evaluated instead."""
    own = sampler.get_params(deep=False).get("estimator")
    if own is None or not hasattr(sampler, "estimator_"):
        return False
    return joblib.hash(clone(own)) == joblib.hash(clone(estimator))


class _Model:
    """The evaluated model: fitted on the initial samples, then taught each
    mini-batch's labels with ``partial_fit`` (of a Pipeline's last step, the
    other steps as the first fit left them), or refitted on all of them."""

    def __init__(self, estimator, classes):
        self.estimator_ = clone(estimator)
        self.classes = classes
        self.X_labeled, self.y_labeled = [], []

    def _partial_fit(self):
        model = self.estimator_
        if isinstance(model, Pipeline):
            if not hasattr(model[-1], "partial_fit"):
                return None
            return lambda X, y, **kw: model[-1].partial_fit(model[:-1].transform(X),
                                                            y, **kw)
        return getattr(model, "partial_fit", None)

    def fit(self, X, y):
        partial_fit = self._partial_fit()
        if partial_fit is None:
            self.X_labeled, self.y_labeled = [X], [y]
        if partial_fit is None or np.array_equal(np.unique(y), self.classes):
            self.estimator_.fit(X, y)
        else:  # partial_fit must be told the classes y lacks
            if isinstance(self.estimator_, Pipeline):
                self.estimator_[:-1].fit(X, y)
            partial_fit(X, y, classes=self.classes)

    def update(self, X, y):
        if not len(y):
            return
        partial_fit = self._partial_fit()
        if partial_fit is not None:
            partial_fit(X, y)
            return
        self.X_labeled.append(X)
        self.y_labeled.append(y)
        self.estimator_.fit(_concat(self.X_labeled), np.concatenate(self.y_labeled))

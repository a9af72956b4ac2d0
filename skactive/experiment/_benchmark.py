"""Compare strategies over many data sets with one protocol."""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import re
import sys
import time
from datetime import datetime, timezone
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.base import clone, is_regressor
from sklearn.utils.parallel import Parallel, delayed

from ..exceptions import ParameterError
from ..utils._csv import read_csv
from ..utils._sklearn_compat import HasMethods, Interval, validate_params
from ._loop import _n_test, _progress_bar, run_experiment
from ._protocols import get_protocol
from ._result import ExperimentResult
from ._stats import (
    cliques,
    friedman,
    mean_ranks,
    nemenyi_critical_difference,
    wilcoxon_p_values,
    win_tie_loss,
)

BUNDLED = ("iris", "wine", "breast_cancer", "digits")


@validate_params(
    {"names": ["array-like"], "data_dir": [str, os.PathLike, None],
     "target": [str, None], "openml": ["array-like"],
     "cache_dir": [str, os.PathLike, None]},
    prefer_skip_nested_validation=True,
)
def load_datasets(names=(), *, data_dir=None, target=None, openml=(),
                  cache_dir=None):
    """Data sets by name, from a folder of CSV files, or from OpenML.

    Parameters
    ----------
    names : iterable of str, default=()
        Names of scikit-learn's bundled classification sets: iris, wine,
        breast_cancer, digits.

    data_dir : str or path-like, default=None
        A folder of UTF-8 CSV files with a header row and one value per
        column on every data row (the separator, ``, ; tab |``, is detected,
        as by ``skactive run``); numeric features, the target in column
        ``target`` (default: the last column). A file that breaks this is
        refused with an error naming it.

    target : str, default=None
        The target column of the CSV files.

    openml : iterable of int, default=()
        OpenML data ids, fetched with :func:`sklearn.datasets.fetch_openml`
        (needs a network the first time; cached in ``cache_dir``).

    cache_dir : str or path-like, default=None
        Where OpenML downloads are kept (scikit-learn's data home by default).

    Returns
    -------
    datasets : dict of str to (X, y)
        In the order given.

    Examples
    --------
    >>> from skactive.experiment import load_datasets
    >>> sorted(load_datasets(["iris", "wine"]))
    ['iris', 'wine']
    """
    from sklearn import datasets as sk

    out = {}
    for name in names:
        if name not in BUNDLED:
            raise ParameterError(
                "names", name, "is not one of the bundled data sets "
                f"({', '.join(BUNDLED)})", message=f"Unknown data set {name!r}: "
                f"the bundled ones are {', '.join(BUNDLED)}; pass others as (X, y) "
                "or through data_dir or openml.")
        out[name] = getattr(sk, f"load_{name}")(return_X_y=True)
    if data_dir is not None:
        paths = sorted(Path(data_dir).glob("*.csv"))
        if not paths:
            raise ValueError(f"No CSV file in {data_dir}.")
        for path in paths:
            out[path.stem] = read_csv(path, target).to_numbers()
    for data_id in openml:
        bunch = sk.fetch_openml(data_id=int(data_id), as_frame=False,
                                data_home=cache_dir)
        out[f"openml-{data_id}"] = (np.asarray(bunch.data, dtype=float),
                                    np.asarray(bunch.target))
    return out


class BenchmarkResult:
    """The experiments of a benchmark, and the statistics over them.

    Returned by :func:`run_benchmark`.

    Parameters
    ----------
    results : dict of str to ExperimentResult
        One experiment per data set that ran.

    failures : list of tuple
        ``(dataset, strategy or None, message)`` for what could not run.

    reference : str
        The strategy the others are tested against.

    protocol : list of (str, str), default=None
        Every setting of the run as (name, value) pairs, as
        :func:`run_benchmark` records them (shown in the report and written
        to ``protocol.csv``).

    metric : str, default="score"
        The name of the test score (the y axis of the curves).

    Attributes
    ----------
    results, failures, reference, protocol, metric
        As given (``protocol`` is ``[]`` when None).

    strategies : list of str
        The strategies that ran on every data set, in the given order.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import RandomSampler, UncertaintySampler
    >>> from skactive.experiment import run_benchmark
    >>> model = LogisticRegression(max_iter=500)
    >>> bench = run_benchmark(
    ...     model, {"margin": UncertaintySampler(model), "random": RandomSampler()},
    ...     ["iris", "wine"], batch_size=5, n_rounds=2, n_repeats=2)
    >>> sorted(bench.aubc_table()["iris"])
    ['margin', 'random']
    """

    def __init__(self, results, failures, reference, *, protocol=None,
                 metric="score"):
        self.results = results
        self.failures = list(failures)
        self.reference = reference
        self.protocol = list(protocol or [])
        self.metric = metric
        sets = [set(r.strategies) for r in results.values()]
        common = set.intersection(*sets) if sets else set()
        first = next(iter(results.values()), None)
        self.strategies = [s for s in (first.strategies if first else [])
                           if s in common]

    def per_repeat(self, dataset):
        """AUBC of each strategy in each repeat of ``dataset``.

        Parameters
        ----------
        dataset : str
            A data set that ran.

        Returns
        -------
        aubc : dict of str to ndarray of shape (n_repeats,)
            Per strategy, the AUBC of each repeat (paired by repeat).
        """
        return self.results[dataset].aubc_per_repeat()

    def aubc_table(self):
        """Mean and std AUBC of every strategy on every data set.

        Returns
        -------
        table : dict of str to dict of str to (float, float)
            ``{dataset: {strategy: (mean, std)}}``.
        """
        return {name: r.aubc() for name, r in self.results.items()}

    @validate_params({"alpha": [Interval(Real, 0, 1, closed="neither")]},
                     prefer_skip_nested_validation=True)
    def win_tie_loss(self, alpha=0.05):
        """Wilcoxon + Holm against the reference on each data set.

        Parameters
        ----------
        alpha : float, default=0.05
            Significance level.

        Returns
        -------
        table : dict
            ``outcomes``: ``{dataset: {strategy: "win" | "tie" | "loss"}}``
            (reference left out), ``p_values``: ``{dataset: {strategy: (raw,
            holm)}}`` (the Wilcoxon p-value, ``scipy.stats.wilcoxon``, and
            its Holm adjustment over the strategies), and ``totals``:
            ``{strategy: (wins, ties, losses)}`` over the data sets.
            Data-set names are keys of ``outcomes`` and ``p_values`` only,
            so any name is safe.
        """
        others = [s for s in self.strategies if s != self.reference]
        outcomes, p_values = {}, {}
        totals = {s: [0, 0, 0] for s in others}
        for name in self.results:
            outcomes[name], p_values[name] = {}, {}
            if not others:  # only the reference ran: nothing to compare
                continue
            scores = self.per_repeat(name)
            compared = [scores[s] for s in others]
            outcome, adjusted = win_tie_loss(compared, scores[self.reference],
                                             alpha=alpha)
            raw = wilcoxon_p_values(compared, scores[self.reference])
            for i, s in enumerate(others):
                outcomes[name][s] = str(outcome[i])
                p_values[name][s] = (float(raw[i]), float(adjusted[i]))
                totals[s][("win", "tie", "loss").index(outcome[i])] += 1
        return {"outcomes": outcomes, "p_values": p_values,
                "totals": {s: tuple(v) for s, v in totals.items()}}

    def n_repeats(self):
        """The smallest number of repeats of any data set.

        Returns
        -------
        n_repeats : int
            The fewest repeats a data set ran (0 when none ran).
        """
        return min((len(r.aubc_per_repeat()[r.strategies[0]])
                    for r in self.results.values()), default=0)

    @validate_params({"alpha": [Interval(Real, 0, 1, closed="neither")]},
                     prefer_skip_nested_validation=True)
    def ranks(self, alpha=0.05):
        """Mean ranks, Friedman's test and the Nemenyi critical difference.

        Parameters
        ----------
        alpha : float, default=0.05
            Significance level of the critical difference.

        Returns
        -------
        summary : dict
            ``mean_ranks`` ({strategy: rank}, 1 = best), ``friedman``
            (statistic, p-value; None for fewer than 3 strategies or 2 data
            sets), ``critical_difference`` (None for a single strategy:
            nothing to compare), ``cliques`` (the maximal groups of
            strategies within one critical difference, see :func:`cliques`;
            ``[]`` for a single strategy) and ``alpha``.
        """
        if not self.results:
            raise ValueError(
                "No data set ran, so there is nothing to rank (the failures: "
                f"{'; '.join(map(describe_failure, self.failures)) or 'none'}). "
                "Fix what failed, or pass data sets the reference can run on."
            )
        table = self.aubc_table()
        scores = np.array([[table[d][s][0] for s in self.strategies]
                           for d in self.results])
        test, cd = None, None
        if len(self.strategies) >= 3 and len(self.results) >= 2:
            test = friedman(scores)
        if len(self.strategies) >= 2:
            cd = nemenyi_critical_difference(len(self.strategies),
                                             len(self.results), alpha)
        ranks = dict(zip(self.strategies, mean_ranks(scores).tolist()))
        return {
            "mean_ranks": ranks,
            "friedman": test,
            "critical_difference": cd,
            "cliques": [] if cd is None else cliques(ranks, cd),
            "alpha": alpha,
        }

    @validate_params({"folder": [str, os.PathLike], "title": [str],
                      "alpha": [Interval(Real, 0, 1, closed="neither")]},
                     prefer_skip_nested_validation=True)
    def write_report(self, folder, title="Active-learning benchmark", alpha=0.05):
        """Write ``report.html`` (self-contained) and the tables and figures.

        ``report.html`` holds the protocol (every setting), the AUBC table
        (the best in bold, ties included; + / − for significant wins and
        losses), win/tie/loss with raw and Holm-adjusted p-values, mean
        ranks and Friedman's test, the critical-difference diagram when
        Friedman rejects at ``alpha`` (a sentence saying why not otherwise),
        a note when the repeats or data sets are too few to reach
        significance, and a grid of learning curves, the figures as SVG.
        Beside it: ``aubc.csv``, ``aubc_repeats.csv`` (per repeat),
        ``curves.csv`` (every repeat's curve), ``win_tie_loss.csv`` (with p
        and Holm p), ``ranks.csv``, ``protocol.csv``, ``aubc.tex`` (a
        booktabs table) and the figures as SVG and PDF. The plots are drawn
        outside pyplot: the matplotlib backend and the open figures are left
        as they are.

        Parameters
        ----------
        folder : str or path-like
            Where to write.

        title : str, default="Active-learning benchmark"
            The report's title.

        alpha : float, default=0.05
            Significance level of every test in the report.

        Returns
        -------
        path : pathlib.Path
            The HTML file.
        """
        from ._report import write_report

        return write_report(self, Path(folder), title, alpha)


@validate_params(
    {"estimator": [HasMethods(["fit"]), None], "samplers": [dict],
     "datasets": [dict, "array-like"], "reference": [str],
     "protocol": [str, None],
     "checkpoint": [str, os.PathLike, None], "progress": ["boolean"],
     "n_jobs": [Integral, None]},
    prefer_skip_nested_validation=False,
)
def run_benchmark(estimator, samplers, datasets, *, reference="random",
                  protocol=None, checkpoint=None, progress=False, n_jobs=None,
                  **settings):
    """Run one experiment protocol over several data sets.

    Each (data set, strategy) is its own :func:`run_experiment` with the same
    ``settings`` and seed, so strategies are paired by split and initial set
    within a data set, results do not depend on ``n_jobs``, and with
    ``checkpoint`` every finished (data set, strategy, repeat) is saved (a
    week-long benchmark resumes where it stopped). A data set that cannot
    run (a single class, say) or a strategy that fails on one is reported in
    ``failures`` and the rest goes on. Every setting, the data sets' shapes,
    the versions, the date and the wall time are recorded in the result's
    ``protocol`` (and in its report).

    Parameters
    ----------
    estimator : estimator or None
        The model of every experiment; None with ``protocol`` (the
        protocol's model).

    samplers : dict of str to sampler
        The strategies.

    datasets : dict of str to (X, y), or list of str
        The data sets, or names of scikit-learn's bundled ones (see
        :func:`load_datasets` for folders and OpenML).

    reference : str, default="random"
        The strategy the others are tested against.

    protocol : {"lu2023"}, default=None
        A published protocol, which fixes the model, the splits, the
        preprocessing and the labeling plan; only ``n_repeats`` and
        ``random_state`` may be given with it (repeat ``r`` uses the seed
        ``random_state + r``). ``"lu2023"``: Lu, Li & Lin (2023), ``SVC(
        kernel="rbf", gamma="auto")``, a stratified 40 % test set redrawn per
        seed, a ``StandardScaler`` fitted on each seed's pool, 20 initial
        labels, batches of 1, the whole pool as budget, accuracy and the
        AUBC of :func:`aubc`.

    checkpoint : str or path-like, default=None
        Folder of the checkpoints, one sub-folder per (data set, strategy).

    progress : bool, default=False
        A progress bar over the (data set, strategy) experiments (tqdm).

    n_jobs : int, default=None
        Runs in parallel inside each experiment (over the repeats with a
        ``protocol``).

    **settings : dict
        Passed to :func:`run_experiment` (``batch_size``, ``n_rounds`` or
        ``budget``, ``n_repeats``, ``random_state``...). ``budget="pool"``
        labels each data set's whole pool.

    Returns
    -------
    result : BenchmarkResult
        The experiments, their statistics and the protocol record.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import RandomSampler, UncertaintySampler
    >>> from skactive.experiment import run_benchmark
    >>> model = LogisticRegression(max_iter=500)
    >>> bench = run_benchmark(
    ...     model, {"margin": UncertaintySampler(model), "random": RandomSampler()},
    ...     ["iris"], batch_size=5, n_rounds=2, n_repeats=2)
    >>> list(bench.results)
    ['iris']
    """
    start = time.perf_counter()
    if reference not in samplers:
        raise ValueError(f"reference={reference!r} is not one of the strategies "
                         f"{list(samplers)}.")
    if protocol is not None:
        protocol = get_protocol(protocol)
        estimator = _check_protocol_call(protocol, estimator, settings)
    elif estimator is None:
        raise ValueError("estimator=None needs a protocol (such as "
                         "protocol='lu2023'): pass the model to evaluate.")
    if not isinstance(datasets, dict):
        datasets = load_datasets(list(datasets))
    jobs = [(d, s) for d in datasets for s in samplers]
    if progress:
        jobs = _progress_bar(jobs, total=len(jobs), initial=0, unit="experiment",
                             desc="benchmark")
    runs = {dataset: ([], []) for dataset in datasets}  # rows, strategies
    failures = []
    for dataset, name in jobs:
        folder = None
        if checkpoint is not None:
            folder = Path(checkpoint) / _slug(dataset) / _slug(name)
        try:
            result = _run_one(estimator, name, samplers[name], datasets[dataset],
                              protocol, settings, n_jobs, folder)
        except (ValueError, TypeError, ArithmeticError) as exc:
            failures.append((dataset, name, str(exc).splitlines()[0]))
        else:
            runs[dataset][0].extend(result.rows())
            runs[dataset][1].append(name)
    results = {}
    for dataset, (rows, names) in runs.items():
        if reference in names:
            results[dataset] = ExperimentResult(rows, names)
        elif names:
            failures.append((dataset, None, f"the reference {reference!r} failed: "
                             "the data set is left out of the statistics"))
    metric = _metric_name(estimator, settings.get("scoring"))
    record = _record(estimator, samplers, datasets, results, protocol, settings,
                     metric, time.perf_counter() - start)
    return BenchmarkResult(results, failures, reference, protocol=record,
                           metric=metric)


def _check_protocol_call(protocol, estimator, settings):
    """The protocol's model; refuse what the protocol fixes."""
    if estimator is not None:
        raise ValueError(
            f"protocol={protocol.name!r} fixes the model ({protocol.estimator()!r}):"
            " pass estimator=None.")
    fixed = sorted(set(settings) - {"n_repeats", "random_state"})
    if fixed:
        raise ValueError(
            f"protocol={protocol.name!r} fixes {', '.join(fixed)}: only n_repeats "
            "and random_state may be given with it.")
    return protocol.estimator()


def _run_one(estimator, name, sampler, data, protocol, settings, n_jobs, folder):
    """One (data set, strategy) experiment, by the protocol when there is one."""
    X, y = data
    if protocol is None:
        options = dict(settings)
        if options.get("budget") == "pool":  # label the whole pool
            options["budget"] = len(y) - _n_test(options.get("test_size", 0.25),
                                                 len(y))
        return run_experiment(clone(estimator), {name: sampler}, X, y,
                              n_jobs=n_jobs, checkpoint=folder, **options)
    seed = settings.get("random_state", 0)
    repeats = Parallel(n_jobs=n_jobs)(
        delayed(_protocol_repeat)(protocol, estimator, name, sampler, X, y,
                                  seed + r, folder and folder / f"repeat-{r}")
        for r in range(settings.get("n_repeats", 5)))
    return ExperimentResult([(s, r, *rest) for r, result in enumerate(repeats)
                             for s, _, *rest in result.rows()], [name])


def _protocol_repeat(protocol, estimator, name, sampler, X, y, seed, folder):
    """One seed of a protocol: its split, its scaling, the whole pool."""
    X_pool, X_test, y_pool, y_test = protocol.split(X, y, seed)
    return run_experiment(
        clone(estimator), {name: sampler}, X_pool, y_pool, X_test=X_test,
        y_test=y_test, initial_size=protocol.initial_size,
        batch_size=protocol.batch_size, budget=len(y_pool), n_repeats=1,
        random_state=seed, checkpoint=folder)


def _metric_name(estimator, scoring):
    """The name of the test score: the scorer's, or the estimator's own."""
    if isinstance(scoring, str):
        return scoring
    if scoring is not None:
        return getattr(scoring, "__name__", "score")
    return "R²" if is_regressor(estimator) else "accuracy"


def _one_line(obj):
    """``repr`` with every parameter, on one line."""
    from sklearn import config_context

    with config_context(print_changed_only=False):
        return " ".join(repr(obj).split())


def _record(estimator, samplers, datasets, results, protocol, settings, metric,
            seconds):
    """Every setting of the run as (name, text) pairs, in reading order."""
    import sklearn

    # The package is imported already (this module is part of it); importing
    # its __init__ here would break the layers that lint-imports checks.
    __version__ = sys.modules[__name__.split(".")[0]].__version__
    n_repeats = settings.get("n_repeats", 5)
    seed = settings.get("random_state", 0)
    record = (protocol.settings() if protocol is not None else
              [("protocol", "custom (run_experiment settings below)")])
    record.append(("estimator", _one_line(estimator)))
    record += [(f"sampler {name}", _one_line(s)) for name, s in samplers.items()]
    record.append(("repeats", str(n_repeats)))
    if protocol is not None:
        record.append(("seeds", f"{seed} to {seed + n_repeats - 1} (repeat r uses "
                       f"seed {seed} + r for its split, scaling and initial set)"))
    else:
        record.append(("seeds", f"random_state={seed}; repeat r draws its split "
                       f"and initial set from SeedSequence([{seed}, r])"))
        record += _plan(settings)
    record += [
        ("metric", f"{metric} on the test set"),
        ("AUBC", "area under the learning curve (trapezoids over the number "
         "of labels), divided by the labels it spans: final minus initial"),
    ]
    for name, (X, y) in datasets.items():
        record.append((f"data set {name}", _describe_data(X, y, results.get(name))))
    record += [
        ("versions", f"skactive {__version__}, scikit-learn {sklearn.__version__}, "
         f"numpy {np.__version__}, Python {platform.python_version()}"),
        ("date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("wall time", f"{seconds:.1f} s"),
    ]
    return record


def _plan(settings):
    """Batch size, budget, initial and test sizes as run_experiment reads them."""
    budget = settings.get("budget")
    if budget == "pool":
        budget = "the whole pool"
    elif budget is None:
        budget = f"{settings.get('n_rounds') or 10} rounds after the initial set"
    else:
        budget = f"{budget} labels, initial set included"
    initial = settings.get("initial_size")
    return [("batch size", str(settings.get("batch_size", 10))),
            ("budget", str(budget)),
            ("initial size", "one batch, at least one sample per class"
             if initial is None else f"{initial} (one of each class first)"),
            ("test size", f"{settings.get('test_size', 0.25)} of each data set, "
             "stratified, redrawn per repeat")]


def _describe_data(X, y, result):
    """Shape, class counts and the labels from first to last round."""
    y = np.asarray(y)
    shape = getattr(X, "shape", None) or (len(X),)
    text = " × ".join(map(str, shape))
    if y.ndim == 1 and not np.issubdtype(y.dtype, np.floating):
        classes, counts = np.unique(y, return_counts=True)
        text += "; classes " + ", ".join(f"{c}: {n}" for c, n in zip(classes, counts))
    if result is not None:
        n_labeled, _ = result.curves(result.strategies[0])
        text += f"; labels {n_labeled[0]} to {n_labeled[-1]}"
    return text


def describe_failure(failure):
    """``"dataset / strategy: message"`` (no strategy: the whole data set)."""
    dataset, strategy, message = failure
    return f"{dataset}{'' if strategy is None else ' / ' + strategy}: {message}"


def _slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text))

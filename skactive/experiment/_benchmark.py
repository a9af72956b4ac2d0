"""Compare strategies over many data sets with one protocol."""

# SPDX-License-Identifier: BSD-3-Clause

import os
import re
from numbers import Integral, Real
from pathlib import Path

import numpy as np
from sklearn.base import clone

from ..exceptions import ParameterError
from ..utils._csv import read_csv
from ..utils._sklearn_compat import HasMethods, Interval, validate_params
from ._loop import _n_test, _progress_bar, run_experiment
from ._result import ExperimentResult
from ._stats import (
    friedman,
    mean_ranks,
    nemenyi_critical_difference,
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

    Attributes
    ----------
    results, failures, reference
        As given.

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

    def __init__(self, results, failures, reference):
        self.results = results
        self.failures = list(failures)
        self.reference = reference
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
            (reference left out), and ``totals``: ``{strategy: (wins, ties,
            losses)}`` over the data sets. Data-set names are keys of
            ``outcomes`` only, so any name is safe.
        """
        others = [s for s in self.strategies if s != self.reference]
        outcomes, totals = {}, {s: [0, 0, 0] for s in others}
        for name in self.results:
            if not others:  # only the reference ran: nothing to compare
                outcomes[name] = {}
                continue
            scores = self.per_repeat(name)
            outcome, _ = win_tie_loss([scores[s] for s in others],
                                      scores[self.reference], alpha=alpha)
            outcomes[name] = dict(zip(others, outcome.tolist()))
            for s, o in outcomes[name].items():
                totals[s][("win", "tie", "loss").index(o)] += 1
        return {"outcomes": outcomes,
                "totals": {s: tuple(v) for s, v in totals.items()}}

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
            sets) and ``critical_difference`` (None for a single strategy:
            nothing to compare).
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
        return {
            "mean_ranks": dict(zip(self.strategies, mean_ranks(scores).tolist())),
            "friedman": test,
            "critical_difference": cd,
        }

    def write_report(self, folder, title="Active-learning benchmark"):
        """Write ``report.html`` (self-contained) and the tables as CSV.

        The plots are drawn outside pyplot: the matplotlib backend and the
        open figures are left as they are.

        Parameters
        ----------
        folder : str or path-like
            Where to write.

        title : str, default="Active-learning benchmark"
            The report's title.

        Returns
        -------
        path : pathlib.Path
            The HTML file.
        """
        from ._report import write_report

        return write_report(self, Path(folder), title)


@validate_params(
    {"estimator": [HasMethods(["fit"])], "samplers": [dict],
     "datasets": [dict, "array-like"], "reference": [str],
     "checkpoint": [str, os.PathLike, None], "progress": ["boolean"],
     "n_jobs": [Integral, None]},
    prefer_skip_nested_validation=False,
)
def run_benchmark(estimator, samplers, datasets, *, reference="random",
                  checkpoint=None, progress=False, n_jobs=None, **settings):
    """Run one experiment protocol over several data sets.

    Each (data set, strategy) is its own :func:`run_experiment` with the same
    ``settings`` and seed, so strategies are paired by split and initial set
    within a data set, results do not depend on ``n_jobs``, and with
    ``checkpoint`` every finished (data set, strategy, repeat) is saved (a
    week-long benchmark resumes where it stopped). A data set that cannot
    run (a single class, say) or a strategy that fails on one is reported in
    ``failures`` and the rest goes on.

    Parameters
    ----------
    estimator : estimator
        The model of every experiment.

    samplers : dict of str to sampler
        The strategies.

    datasets : dict of str to (X, y), or list of str
        The data sets, or names of scikit-learn's bundled ones (see
        :func:`load_datasets` for folders and OpenML).

    reference : str, default="random"
        The strategy the others are tested against.

    checkpoint : str or path-like, default=None
        Folder of the checkpoints, one sub-folder per (data set, strategy).

    progress : bool, default=False
        A progress bar over the (data set, strategy) experiments (tqdm).

    n_jobs : int, default=None
        Runs in parallel inside each experiment.

    **settings : dict
        Passed to :func:`run_experiment` (``batch_size``, ``n_rounds`` or
        ``budget``, ``n_repeats``, ``random_state``...). ``budget="pool"``
        labels each data set's whole pool: with ``batch_size=1`` that is Lu,
        Li & Lin's (2023) protocol.

    Returns
    -------
    result : BenchmarkResult
        The experiments and their statistics.

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
    if reference not in samplers:
        raise ValueError(f"reference={reference!r} is not one of the strategies "
                         f"{list(samplers)}.")
    if not isinstance(datasets, dict):
        datasets = load_datasets(list(datasets))
    jobs = [(d, s) for d in datasets for s in samplers]
    if progress:
        jobs = _progress_bar(jobs, total=len(jobs), initial=0, unit="experiment",
                             desc="benchmark")
    runs = {dataset: ([], []) for dataset in datasets}  # rows, strategies
    failures = []
    for dataset, name in jobs:
        X, y = datasets[dataset]
        options = dict(settings)
        if options.get("budget") == "pool":  # label the whole pool
            options["budget"] = len(y) - _n_test(options.get("test_size", 0.25),
                                                 len(y))
        folder = None
        if checkpoint is not None:
            folder = Path(checkpoint) / _slug(dataset) / _slug(name)
        try:
            result = run_experiment(clone(estimator), {name: samplers[name]}, X, y,
                                    n_jobs=n_jobs, checkpoint=folder, **options)
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
    return BenchmarkResult(results, failures, reference)


def describe_failure(failure):
    """``"dataset / strategy: message"`` (no strategy: the whole data set)."""
    dataset, strategy, message = failure
    return f"{dataset}{'' if strategy is None else ' / ' + strategy}: {message}"


def _slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text))

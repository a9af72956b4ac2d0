"""ALiPy, the peer library, beside skactive on Lu, Li & Lin's Wdbc protocol.

Run (ALiPy 1.2.5, cvxpy and ecos installed in the interpreter: ``pip install
".[bench-alipy]"``; skactive importable, e.g. from the repository root)::

    PYTHONPATH=$PWD python benchmarks/bench_peers.py [--seeds N]
        [--budget ROUNDS] [--strategies A,B] [--quick] [--no-patch]

For each of Lu et al.'s strategies that ALiPy implements (the settings of
their ``src/config.py``; skactive's samplers are those of
``bench_lu2023.samplers``), one loop written here runs each library through
the protocol of ``_lu2023.py``: the Wdbc split of the seed, the same 20
initial labels for both (those ``run_experiment`` draws for the seed), one
label per round, accuracy of ``SVC(kernel="rbf", gamma="auto")`` on the
test set at each round. Only the library's own work is timed, summed over
the rounds: skactive's ``sampler.fit`` on the labeled data and ``select`` on
the pool; ALiPy's constructor (it precomputes on the pool) and its
``select(label_index, unlabel_index, ..., batch_size=1)``, with the fit of
the model ALiPy queries where it takes one (skactive's samplers fit theirs
in ``fit``). The task model's fits and scores are not timed. Everything
runs on one thread (threadpoolctl, n_jobs=1).

It prints one row per strategy: the rounds run, the mean seconds per
experiment of each library (over those rounds only: ``--budget`` defaults
to the first 40 of Wdbc's 321 rounds, as ALiPy's BMDR, SPAL and EER take
seconds per round), their ratio, the mean AUBC of each over the rounds run,
and for the deterministic strategies the share of rounds where both picked
the same sample, and how many rounds they agreed from the start (after the
first different pick the labeled sets differ). The published time is Lu et
al.'s for a whole experiment (321 rounds, their machine), for scale only.

Pairs, ALiPy (skactive): QUIRE, QueryInstanceQUIRE (QUIRESampler); BMDR,
QueryInstanceBMDR with ECOS (BMDRSampler); SPAL, QueryInstanceSPAL with
ECOS (SPALSampler); LAL, QueryInstanceLAL LAL_iterative (LALSampler); EER,
QueryExpectedErrorReduction on SVC(probability=True)
(ExpectedErrorReductionSampler, log loss); Graph, QueryInstanceGraphDensity
(DensitySampler graph_density); US-C, QueryInstanceUncertainty
distance_to_boundary on the task SVC (UncertaintySampler margin); US-NC,
QueryInstanceUncertainty entropy on LogisticRegression (the same); QBC,
QueryInstanceQBC, which bags one LogisticRegression, not Lu et al.'s
four-model committee (CommitteeSampler); Core-Set,
QueryInstanceCoresetGreedy (DiversitySampler coreset); Uniform,
QueryInstanceRandom (RandomSampler).

What it takes to run ALiPy 1.2.5 here (Python 3.11, numpy 2, scikit-learn
1.9), ALiPy's source untouched:

- ``collections.Iterable``, removed in Python 3.10, is asserted on by every
  ``select`` above but Core-Set's (``AttributeError: module 'collections'
  has no attribute 'Iterable'``); the script sets the alias
  ``collections.Iterable = collections.abc.Iterable``, nothing else
  (``--no-patch`` runs without it and prints the errors).
- QueryInstanceRandom reads ``unlabel_index.index``: it is given ALiPy's
  IndexCollection (an ndarray raises AttributeError).
- QueryInstanceLAL downloads Konyushkova et al.'s simulation file at
  construction; here it is built with ``train_slt=False`` and its regressor
  is trained, before timing, as its ``train_selector_from_file`` does (2000
  trees, depth 40, 6 features, n_jobs=1 instead of all cores) on skactive's
  shipped LAL-iterative training set, as that file is not available
  offline; its forest is set to n_jobs=1 (ALiPy's default is 8).
  skactive's shipped regressor is likewise fitted before timing.
- The global numpy generator, which ALiPy's random strategies use, is
  seeded with the seed before each ALiPy experiment.
- Not an error, but a change of behaviour: BMDR and SPAL accept a QP
  solution only if ``type(result) == float``; cvxpy 1.9 returns a
  ``numpy.float64``, so every selection QP is solved a second time without
  the constraint ``sum(alpha) == batch_size``, and that relaxed solution
  picks. Left as it is: it is what ``pip install alipy`` runs today.

Why the deterministic picks differ (seed 0, first round): QUIRE, ALiPy
copies libact's expression, not the paper's (see the QUIRE user guide);
BMDR, ALiPy's first, constrained QP picks what skactive picks, its relaxed
re-solve (above) another; SPAL, the same relaxation, and ALiPy keeps the
pace at ``lambda_init`` (it stores ``lambda_pace`` and never uses it);
Graph, skactive applies the initial labels as earlier picks (their
neighbours lose density), ALiPy, as Google's code, only excludes them.

libact, the other peer Lu et al. ran, does not install here: its C
extension fails to compile, so it is not measured.
"""

import argparse
import collections
import collections.abc
import os
import tempfile
import time

import numpy as np
from _lu2023 import PUBLISHED, one_thread, task_model, wdbc_split
from bench_lu2023 import samplers
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression

from skactive.acquisition import load_lal_training_set
from skactive.experiment import aubc
from skactive.experiment._loop import _initial_set

DETERMINISTIC = ("QUIRE", "BMDR", "SPAL", "Graph", "US-C", "US-NC", "Core-Set")
QP = {"batch_size": 1, "qp_solver": "ECOS"}


def _alipy_specs():
    """Lu et al.'s name: (ALiPy constructor, its keywords, select keywords,
    the model ALiPy queries or None)."""
    from alipy import query_strategy as q

    return {
        "QUIRE": (q.QueryInstanceQUIRE, {"lambda": 1.0, "kernel": "rbf",
                                         "gamma": 1.0}, {}, None),
        "BMDR": (q.QueryInstanceBMDR, dict(beta=1000, gamma=0.1, rho=1,
                                           kernel="rbf", gamma_ker=1), QP, None),
        "SPAL": (q.QueryInstanceSPAL, dict(mu=0.1, gamma=0.1, rho=1,
                                           lambda_init=0.1, lambda_pace=0.01,
                                           kernel="rbf", gamma_ker=1), QP, None),
        "LAL": (q.QueryInstanceLAL, dict(mode="LAL_iterative", cls_est=50,
                                         train_slt=False), {}, None),
        "EER": (q.QueryExpectedErrorReduction, {}, {},
                lambda: task_model(probability=True)),
        "Graph": (q.QueryInstanceGraphDensity, {}, {}, None),
        "US-C": (q.QueryInstanceUncertainty, {"measure": "distance_to_boundary"},
                 {}, task_model),
        "US-NC": (q.QueryInstanceUncertainty, {"measure": "entropy"}, {},
                  LogisticRegression),
        "QBC": (q.QueryInstanceQBC, {}, {}, LogisticRegression),
        "Core-Set": (q.QueryInstanceCoresetGreedy, {}, {}, None),
        "Uniform": (q.QueryInstanceRandom, {}, {}, None),
    }


def _lal_selector():
    """ALiPy's LAL regressor as its train_selector_from_file builds it, on
    skactive's shipped LAL-iterative set, on one core."""
    features, reductions = load_lal_training_set("iterative")
    regressor = RandomForestRegressor(n_estimators=2000, max_depth=40,
                                      max_features=6, oob_score=True, n_jobs=1)
    return regressor.fit(features, reductions)


def alipy_picker(name, X, y, lal_selector):
    """A function (labeled, pool) -> pick by ALiPy, and its setup seconds."""
    from alipy.index import IndexCollection

    make, params, select_params, model = _alipy_specs()[name]
    start = time.perf_counter()
    if name in ("QUIRE", "Graph", "Core-Set"):
        strategy = make(X, y, np.arange(y.shape[0]), **params)
    elif name == "LAL":
        strategy = make(X, y, data_path=tempfile.gettempdir(), **params)
    else:
        strategy = make(X, y, **params)
    setup = time.perf_counter() - start
    if name == "LAL":
        strategy._selector = lal_selector
        strategy.model.set_params(n_jobs=1)

    def pick(labeled, pool):
        kwargs = dict(select_params)
        if model is not None:
            kwargs["model"] = model().fit(X[labeled], y[labeled])
        if name == "Uniform":
            labeled, pool = IndexCollection(labeled), IndexCollection(pool)
        return int(np.ravel(strategy.select(labeled, pool, **kwargs))[0])

    return pick, setup


def skactive_picker(sampler, X, y):
    """A function (labeled, pool) -> pick by the skactive sampler."""

    def pick(labeled, pool):
        sampler.fit(X[labeled], y[labeled])
        return int(pool[sampler.select(X[pool], batch_size=1)[0]])

    return pick, 0.0


def run_loop(pick, setup, data, initial, rounds):
    """The protocol's loop: picks, test accuracies and the picker's seconds."""
    X_pool, X_test, y_pool, y_test = data
    labeled = np.zeros(y_pool.shape[0], dtype=bool)
    labeled[initial] = True
    picks, accuracy, seconds = [], [], setup
    for round_ in range(rounds + 1):
        known = np.flatnonzero(labeled)
        model = task_model().fit(X_pool[known], y_pool[known])
        accuracy.append(model.score(X_test, y_test))
        if round_ == rounds:
            break
        pool = np.flatnonzero(~labeled)
        start = time.perf_counter()
        chosen = pick(known, pool)
        seconds += time.perf_counter() - start
        if labeled[chosen]:
            raise RuntimeError(f"picked sample {chosen}, which is labeled")
        picks.append(chosen)
        labeled[chosen] = True
    n_labeled = initial.size + np.arange(rounds + 1)
    return np.array(picks), aubc(n_labeled, accuracy), seconds


def one_seed(name, seed, rounds, lal_selector):
    """Both libraries on one seed: {library: (picks, AUBC, seconds)}."""
    data = wdbc_split(seed)
    X_pool, _, y_pool, _ = data
    # The initial labels run_experiment(random_state=seed) draws for repeat 0.
    initial_seed = np.random.SeedSequence([seed, 0]).generate_state(4)[1]
    initial = _initial_set(y_pool, 20, int(initial_seed))
    out = {"skactive": run_loop(*skactive_picker(samplers(seed)[name], X_pool,
                                                 y_pool), data, initial, rounds)}
    np.random.seed(seed)  # noqa: NPY002 (ALiPy draws from the global generator)
    out["ALiPy"] = run_loop(*alipy_picker(name, X_pool, y_pool, lal_selector),
                            data, initial, rounds)
    return out


def header():
    """The column titles of :func:`row`."""
    return (f"{'strategy':<9} {'rounds':>6} {'skactive s':>10} {'ALiPy s':>9} "
            f"{'ALiPy/sk':>8} {'AUBC sk':>8} {'AUBC ALiPy':>10} {'same picks':>10} "
            f"{'agree until':>11} {'published s':>11}")


def row(name, rounds, runs):
    """One line of the table from the per-seed results of :func:`one_seed`."""
    sk = [r["skactive"] for r in runs]
    al = [r["ALiPy"] for r in runs]
    sk_s, al_s = np.mean([r[2] for r in sk]), np.mean([r[2] for r in al])
    same, until = "n/a", "n/a"
    if name in DETERMINISTIC:
        equal = np.concatenate([a[0] == b[0] for a, b in zip(sk, al)])
        same = f"{equal.mean():.0%}"
        until = "/".join(str(_agree_until(a[0], b[0])) for a, b in zip(sk, al))
    published = PUBLISHED[name][2]
    return (f"{name:<9} {rounds:>6} {sk_s:>10.2f} {al_s:>9.2f} "
            f"{al_s / sk_s:>7.1f}x {np.mean([r[1] for r in sk]):>8.4f} "
            f"{np.mean([r[1] for r in al]):>10.4f} {same:>10} {until:>11} "
            f"{published:>11.1f}")


def _agree_until(a, b):
    """How many picks two sequences share from the start."""
    differ = np.flatnonzero(a != b)
    return int(differ[0]) if differ.size else int(a.size)


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", default=None,
                        help="comma-separated names of Lu et al. (default: all "
                             f"ALiPy runs: {', '.join(_alipy_specs())})")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--budget", type=int, default=40,
                        help="rounds (labels after the 20 initial ones), at "
                             "most 321 on Wdbc")
    parser.add_argument("--quick", action="store_true",
                        help="1 seed and 3 rounds: checks that it runs")
    parser.add_argument("--no-patch", action="store_true",
                        help="without the collections.Iterable alias: shows "
                             "which ALiPy strategies fail on Python >= 3.10")
    args = parser.parse_args(argv)
    names = args.strategies.split(",") if args.strategies else list(_alipy_specs())
    unknown = [n for n in names if n not in _alipy_specs()]
    if unknown:
        parser.error(f"unknown strategies {unknown}: choose among "
                     f"{list(_alipy_specs())}")
    if args.quick:
        args.seeds, args.budget = 1, 3
    return args, names


def main(argv=None):
    args, names = _parse(argv)
    if not args.no_patch:
        collections.Iterable = collections.abc.Iterable  # removed in Python 3.10
    print(f"Wdbc, {args.seeds} seeds, the first {args.budget} rounds (of 321) "
          f"after 20 initial labels, batch 1, SVC rbf; seconds: the strategy "
          f"alone, summed over those {args.budget} rounds, mean per seed; "
          f"published s: Lu et al.'s whole experiment (321 rounds); one thread; "
          f"{os.cpu_count()} cores")
    print(header(), flush=True)
    with one_thread():
        lal_selector = _lal_selector() if "LAL" in names else None
        if "LAL" in names:  # skactive's shipped regressor, fitted once
            X, _, y, _ = wdbc_split(0)
            samplers(0)["LAL"].fit(X[:40], y[:40]).select(X[40:])
        for name in names:
            start = time.perf_counter()
            try:
                runs = [one_seed(name, seed, args.budget, lal_selector)
                        for seed in range(args.seeds)]
            except Exception as error:  # noqa: BLE001 (report and go on)
                print(f"{name:<9} fails: {type(error).__name__}: {error}",
                      flush=True)
                continue
            print(row(name, args.budget, runs)
                  + f"   ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()

"""One repeat of ``run_experiment``'s protocol, round by round, resumable.

A whole-pool experiment on a 5,000-sample pool runs for hours with the
strategies that solve a quadratic program per round (BMDR, SPAL), longer
than one sitting. :func:`whole_pool` runs the rounds of one repeat of
:func:`skactive.experiment.run_experiment` for a classifier (the same
initial set, picks and scores, which :func:`same_as_run_experiment` checks
on a small pool) and writes its state to a JSON file every ``save_every``
seconds, atomically; started again with the same file, it goes on from the
last saved round. The seconds it reports are the sum of the rounds' own
times over all sittings, not the wall clock between them.
"""

import json
import subprocess
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone

import skactive
from skactive.experiment import aubc, run_experiment
from skactive.experiment._loop import _initial_set
from skactive.utils._files import atomic_write


def whole_pool(name, sampler, estimator, X_pool, y_pool, X_test, y_test, *,
               initial_size=20, budget=None, random_state=0, state=None,
               save_every=300.0, log=None):
    """Run (or resume) one repeat; return its AUBC and its state.

    Parameters
    ----------
    name : str
        The strategy's name, kept in the state.
    sampler, estimator : estimators
        As ``run_experiment`` takes them; batches of one sample.
    X_pool, y_pool, X_test, y_test : arrays
        The pool and the test set, as ``run_experiment(X_test=...)``.
    initial_size, budget, random_state : int
        As ``run_experiment``'s (``budget`` None: the whole pool).
    state : str or path, default=None
        The JSON file of the run: read if it exists, written as it goes.
    save_every : float
        Seconds between two writes of the state.
    log : callable, default=None
        Called with a line of progress at each write.

    Returns
    -------
    area : float
        The AUBC of the run.
    run : dict
        ``picked`` (pool indices in order), ``n_labeled``, ``scores``,
        ``seconds`` (all rounds) and ``sampler_seconds`` (fit + select).
    """
    final = budget or y_pool.shape[0]
    seeds = np.random.SeedSequence([random_state, 0]).generate_state(4)
    identity = {"name": name, "sampler": _settings(sampler),
                "n_pool": int(y_pool.shape[0]),
                "final": int(final), "initial_size": initial_size,
                "random_state": random_state}
    run = _load(state, identity)
    if (run is not None and len(run["scores"]) == len(run["picked"]) + 1
            and run["n_labeled"][-1] >= final):  # done: nothing to add, no sitting
        return aubc(run["n_labeled"], run["scores"]), run
    if run is None:
        initial = _initial_set(y_pool, initial_size, int(seeds[1]))
        run = {**identity, "initial": initial.tolist(), "picked": [], "n_labeled": [],
               "scores": [], "seconds": 0.0, "sampler_seconds": 0.0}
    # Each sitting says which code it ran from which round: a run resumed
    # after a change of skactive shows it.
    run.setdefault("sittings", []).append(
        {"code": _code_version(), "from_round": len(run["picked"])})
    labeled = np.zeros(y_pool.shape[0], dtype=bool)
    labeled[run["initial"] + run["picked"]] = True
    sampler = clone(sampler)
    if "random_state" in sampler.get_params() and sampler.random_state is None:
        sampler.set_params(random_state=int(seeds[2]))
    saved = time.perf_counter()
    while True:
        start = time.perf_counter()
        known = np.flatnonzero(labeled)
        if len(run["scores"]) == len(run["picked"]):  # this round's score
            model = clone(estimator).fit(X_pool[known], y_pool[known])
            run["scores"].append(float(model.score(X_test, y_test)))
            run["n_labeled"].append(int(known.size))
        if known.size >= final:
            run["seconds"] += time.perf_counter() - start
            break
        pool = np.flatnonzero(~labeled)
        fitting = time.perf_counter()
        sampler.fit(X_pool[known], y_pool[known])
        picked = pool[sampler.select(X_pool[pool], batch_size=1)]
        now = time.perf_counter()
        run["sampler_seconds"] += now - fitting
        run["seconds"] += now - start
        labeled[picked] = True
        run["picked"].extend(picked.tolist())
        if state is not None and now - saved >= save_every:
            _save(state, run)
            saved = time.perf_counter()
            if log is not None:
                log(f"{name}: {known.size + 1:,} of {final:,} labels, "
                    f"{run['seconds']:.0f} s so far")
    if state is not None:
        _save(state, run)
    return aubc(run["n_labeled"], run["scores"]), run


def same_as_run_experiment(name, sampler, estimator, X_pool, y_pool, X_test, y_test,
                           budget):
    """Whether :func:`whole_pool` gives ``run_experiment``'s scores (and
    AUBC) on this problem."""
    area, run = whole_pool(name, sampler, estimator, X_pool, y_pool, X_test, y_test,
                           budget=budget)
    result = run_experiment(estimator, {name: sampler}, X_pool, y_pool, X_test=X_test,
                            y_test=y_test, initial_size=20, batch_size=1,
                            budget=budget, n_repeats=1, random_state=0)
    n_labeled, scores = result.curves(name)
    return (np.array_equal(n_labeled, run["n_labeled"])
            and np.array_equal(scores[0], run["scores"])
            and area == result.aubc_per_repeat()[name][0])


def _code_version():
    """skactive's version and, in a git checkout, its commit (with
    ``+dirty`` for uncommitted changes to the package)."""
    root = str(Path(skactive.__file__).resolve().parent.parent)

    def git(*args):
        return subprocess.run(["git", "-C", root, *args], capture_output=True,
                              text=True, check=True).stdout.strip()

    try:
        commit, dirty = git("rev-parse", "--short", "HEAD"), git(
            "status", "--porcelain", "skactive")
    except (OSError, subprocess.CalledProcessError):
        return skactive.__version__
    return f"{skactive.__version__} {commit}{'+dirty' if dirty else ''}"


def _settings(sampler):
    """The sampler's repr without ``n_jobs``, on which no pick depends: a
    run may resume with more or fewer processes."""
    if "n_jobs" in sampler.get_params(deep=False):
        sampler = clone(sampler).set_params(n_jobs=None)
    return repr(sampler)


def _load(path, identity):
    """The saved run of ``identity``, None if there is none; a file of
    another run is refused."""
    if path is None or not Path(path).exists():
        return None
    run = json.loads(Path(path).read_text(encoding="utf-8"))
    differs = {key: (run.get(key), value) for key, value in identity.items()
               if run.get(key) != value}
    if differs:
        raise ValueError(f"{path} holds another run (saved, asked: {differs}): "
                         "remove it or pass another --state.")
    return run


def _save(path, run):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, encoding="utf-8") as f:
        json.dump(run, f)

"""Lu, Li & Lin (2023)'s protocol on Wdbc, and their published numbers.

Lu, Li & Lin (2023), "Re-Benchmarking Pool-Based Active Learning for Binary
Classification", on scikit-learn's ``load_breast_cancer`` (their Wdbc): for
each seed, 40 % of the data is the test set (stratified, redrawn per seed),
a StandardScaler is fitted on the other 60 % (the pool), 20 initial labels
are drawn (:func:`skactive.experiment.run_experiment` draws one of each
class first, then at random), then one label per round until the whole pool
is labeled; the task model is ``SVC(kernel="rbf", gamma="auto")``; the score
is the AUBC (area under the accuracy curve, normalised by the number of
rounds) of :meth:`ExperimentResult.aubc_per_repeat`.

The published numbers are the Wdbc rows of results/README.md in
https://github.com/ariapoy/active-learning-benchmark (commit 5ef0bdb): the
"Summary Table" (mean ± std AUBC) and the "Computational Time" table (one
experiment, their machine and implementations).
"""

import contextlib
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from skactive.experiment import run_experiment

# name: (AUBC mean, AUBC std, seconds per experiment); "Full" is the model
# trained on the whole pool (their "nan" column), which has no time.
PUBLISHED = {
    "Uniform": (0.9539, 0.0130, 4.867),
    "US-NC": (0.9597, 0.0111, 55.079),
    "QBC": (0.9626, 0.0107, 78.105),
    "HintSVM": (0.9558, 0.0111, 22.674),
    "QUIRE": (0.9583, 0.0103, 31 * 60 + 10.174),
    "ALBL": (0.9612, 0.0102, 95.925),
    "DWUS": (0.9504, 0.0157, 19.239),
    "VR": (0.9539, 0.0130, 49 * 60 + 42.417),
    "Core-Set": (0.9586, 0.0105, 14.407),
    "US-C": (0.9652, 0.0103, 6.857),
    "Graph": (0.9540, 0.0123, 8.129),
    "Hier": (0.9565, 0.0107, 102.001),
    "InfoDiv": (0.9652, 0.0103, 7.215),
    "MCM": (0.9650, 0.0104, 9.264),
    "EER": (0.9622, 0.0107, 79 * 60 + 7.504),
    "BMDR": (0.9512, 0.0127, 160 * 60 + 47.424),
    "SPAL": (0.9572, 0.0113, 84 * 60 + 53.217),
    "LAL": (0.9613, 0.0106, 31 * 60 + 4.656),
    "Full": (0.9841, 0.0065, None),
}


@contextlib.contextmanager
def one_thread():
    """One BLAS thread, as Lu et al. time an experiment, and scikit-learn
    1.9's deprecation warning of their ``SVC(probability=True)`` silenced."""
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        yield


def task_model(probability=False):
    """The protocol's task model, SVC with an RBF kernel and gamma="auto".

    ``probability`` is passed only when asked for: scikit-learn 1.9 warns
    on the parameter (deprecated) even when it is False."""
    if probability:
        return SVC(kernel="rbf", gamma="auto", probability=True)
    return SVC(kernel="rbf", gamma="auto")


def wdbc_split(seed):
    """The pool and the test set of one seed, standardised on the pool."""
    X, y = load_breast_cancer(return_X_y=True)
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.4, random_state=seed, stratify=y)
    scaler = StandardScaler().fit(X_pool)
    return scaler.transform(X_pool), scaler.transform(X_test), y_pool, y_test


def one_experiment(name, sampler, seed, budget=None):
    """AUBC and wall seconds of one experiment (the whole pool by default)."""
    X_pool, X_test, y_pool, y_test = wdbc_split(seed)
    start = time.perf_counter()
    result = run_experiment(task_model(), {name: sampler}, X_pool, y_pool,
                            X_test=X_test, y_test=y_test, initial_size=20,
                            batch_size=1, budget=budget or y_pool.shape[0],
                            n_repeats=1, random_state=seed)
    seconds = time.perf_counter() - start
    return float(result.aubc_per_repeat()[name][0]), seconds


def header(ceiling=False):
    """The column titles of :func:`table_row` (with its ``ceiling`` column)."""
    return (f"{'strategy':<10} {'AUBC mean ± std':>17} {'published':>17} "
            f"{'within':>6} {'s/exp':>8} {'published':>10} {'speed-up':>8}"
            + (f" {'ceiling':>8}" if ceiling else ""))


def table_row(name, aubc, seconds, published_name=None, floor_seconds=None):
    """One line: our mean ± std AUBC and mean time, next to the published.

    ``floor_seconds`` is the time of one experiment of uniform sampling
    measured in the same run: the protocol's own SVC fits and test scores,
    which any implementation of any strategy pays. The ``ceiling`` column is
    the published time divided by it, the largest speed-up the protocol
    allows."""
    aubc = np.asarray(aubc, dtype=float)
    mean = aubc.mean()
    std = aubc.std(ddof=1) if aubc.size > 1 else float("nan")
    ours = f"{mean:.4f} ± {std:.4f}"
    published = PUBLISHED.get(published_name or name)
    if published is None:
        return f"{name:<10} {ours:>17} {'n/a':>17} {'':>6} {seconds:>8.2f}"
    p_mean, p_std, p_seconds = published
    within = "yes" if abs(mean - p_mean) <= p_std else "no"
    speed = "" if p_seconds is None else f"{p_seconds / seconds:.0f}x"
    p_time = "" if p_seconds is None else f"{p_seconds:.1f}"
    row = (f"{name:<10} {ours:>17} {p_mean:.4f} ± {p_std:.4f} {within:>6} "
           f"{seconds:>8.2f} {p_time:>10} {speed:>8}")
    if floor_seconds is not None and p_seconds is not None:
        row += f" {f'{p_seconds / floor_seconds:.0f}x':>8}"
    return row

"""Shared helpers of the benchmark scripts: timing, peak memory, a lookup model."""

import gc
import statistics
import time
import tracemalloc

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class LookupClassifier(ClassifierMixin, BaseEstimator):
    """Classifier whose probabilities are precomputed: sample ``i`` of the pool
    is the integer ``X[i, 0]`` and its probabilities are ``proba[X[i, 0]]``.
    It isolates the cost of a sampler from the cost of a model."""

    def __init__(self, proba):
        self.proba = proba

    def fit(self, X, y):
        self.classes_ = np.arange(self.proba.shape[1])
        return self

    def predict_proba(self, X):
        return self.proba[np.asarray(X)[:, 0]]


def paired_times(func_a, func_b, repeat=7):
    """Median times of ``func_a`` and ``func_b`` run in turn (A B A B ...),
    and the median of the per-pair ratios A/B, which holds while the
    machine's speed drifts."""
    func_a(), func_b()
    times_a, times_b = [], []
    for _ in range(repeat):
        for func, times in ((func_a, times_a), (func_b, times_b)):
            gc.collect()
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
    ratio = statistics.median(a / b for a, b in zip(times_a, times_b))
    return statistics.median(times_a), statistics.median(times_b), ratio


def peak_memory(func):
    """Peak of memory allocated through Python and numpy during ``func()``, bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def row(name, seconds, ratio, peak=None):
    """One line of a report: the median time, its ratio to the baseline, the peak."""
    memory = "" if peak is None else f"  peak {peak / 2**20:8.1f} MB"
    return f"{name:<36} {seconds * 1e3:9.1f} ms  {ratio:6.2f}x{memory}"


def report_against(name, func, baseline_name, baseline, repeat=3):
    """Time ``func`` against ``baseline`` in pairs, trace both peaks, print
    the two rows and the ratios."""
    ours, theirs, ratio = paired_times(func, baseline, repeat=repeat)
    our_peak, their_peak = peak_memory(func), peak_memory(baseline)
    print(row(baseline_name, theirs, 1.0, their_peak))
    print(row(name, ours, ratio, our_peak))
    print(f"   skactive: {ratio:.2f}x the time of the {baseline_name} (paired "
          f"runs), {our_peak / their_peak:.3f} of its peak memory")

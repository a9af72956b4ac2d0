"""The stopping criteria of ``skactive select``, kept as data between runs.

The criteria compare each round's model with the previous one's on a stop
set, drawn once from the unlabeled rows and kept by key. What they need
from one run to the next (each round's statistic, the round a stop was
first reached, the last predictions on the stop set) is written into the
campaign's state as JSON and set back on fresh criteria at the next run;
nothing is pickled. A stop, once reached, stays, and is reported with the
round it was first reached.
"""

# SPDX-License-Identifier: BSD-3-Clause

import hashlib
import math
import sys

import numpy as np
from sklearn.base import clone

from ..labeling import (
    ClassificationChange,
    ConfidenceDrop,
    LabelBudget,
    StabilizingPredictions,
    UncertaintyThreshold,
)
from ..utils._selection import draw_stop_set
from ._sheet import shown
from ._strategies import ESTIMATORS

# Criteria that read class probabilities (predict_proba).
_NEEDS_PROBA = ("overall uncertainty (< 0.1)", "confidence drop")


def make_criteria(task, estimator_name, max_labels):
    """The criteria for ``task``, fresh; those the model cannot serve are
    left out, with a note."""
    if task == "regression":
        criteria = {"stabilizing predictions (concordance, window 3, 0.99)":
                    StabilizingPredictions()}
    else:
        criteria = {
            "stabilizing predictions (kappa, window 3, 0.99)": StabilizingPredictions(),
            "overall uncertainty (< 0.1)": UncertaintyThreshold("mean", 0.1),
            "classification change (none)": ClassificationChange(),
            "confidence drop": ConfidenceDrop(),
        }
        if "predict_proba" not in ESTIMATORS[estimator_name][1]:
            for name in _NEEDS_PROBA:
                del criteria[name]
            print(f"left out {', '.join(_NEEDS_PROBA)}: they need class "
                  f"probabilities (predict_proba), which {estimator_name} has "
                  "not", file=sys.stderr)
    if max_labels is not None:
        criteria[f"labeling budget ({max_labels})"] = LabelBudget(max_labels)
    return criteria


def labeled_digest(keys, labels):
    """A digest of the labeled rows and their labels: a new one is a new
    round."""
    text = "\x1e".join(sorted(f"{k}\x1f{v!r}" for k, v in zip(keys, labels)))
    return hashlib.sha256(text.encode()).hexdigest()


def new_stopping(task, estimator_name, keys, unlabeled, seed):
    """The stopping state of a new campaign: the stop set, by key."""
    stop_rows = draw_stop_set(np.flatnonzero(unlabeled), seed)
    return {"task": task, "estimator": estimator_name, "rounds": 0,
            "labeled": None, "stop_keys": [keys[i] for i in stop_rows],
            "criteria": {}}


def stop_set(stopping, index):
    """The stop set's rows in the data now; the stop keys whose rows were
    removed are dropped, saying how many."""
    kept = [key in index for key in stopping["stop_keys"]]
    if not all(kept):
        gone = [k for k, k_ in zip(stopping["stop_keys"], kept) if not k_]
        print(f"rows of the stop set no longer in the data: {shown(gone)}; the "
              f"stopping criteria go on with the other {kept.count(True)}",
              file=sys.stderr)
    for saved in stopping["criteria"].values():
        if saved.get("predictions") is not None:
            saved["predictions"] = [p for p, k in zip(saved["predictions"], kept)
                                    if k]
    stopping["stop_keys"] = [k for k, k_ in zip(stopping["stop_keys"], kept) if k_]
    return [index[key] for key in stopping["stop_keys"]]


def restore(criterion, saved, n_stop):
    """A fresh copy of ``criterion`` carrying the saved rounds."""
    criterion = clone(criterion)
    if saved is None:
        return criterion
    criterion.history_ = [math.nan if v is None else v for v in saved["history"]]
    criterion.stopped_at_ = saved["stopped_at"]
    criterion.n_stop_samples_ = n_stop
    if saved.get("predictions") is not None:
        predictions = np.asarray(saved["predictions"])
        criterion.predictions_ = (predictions.astype(object)
                                  if predictions.dtype.kind == "U" else predictions)
    if saved.get("statistic") is not None:
        criterion.statistic_ = saved["statistic"]
    return criterion


def dump(criterion, first_round):
    """What :func:`restore` needs, as JSON data."""
    predictions = getattr(criterion, "predictions_", None)
    return {"first_round": first_round,
            "history": [None if isinstance(v, float) and math.isnan(v) else v
                        for v in criterion.history_],
            "stopped_at": criterion.stopped_at_,
            "predictions": None if predictions is None else np.asarray(
                predictions).tolist(),
            "statistic": getattr(criterion, "statistic_", None)}


def update(stopping, criteria, model, X_stop, n_labeled, digest):
    """Update each criterion with this round when the labels changed since
    the last run (and a criterion new to the campaign in any case)."""
    new_round = digest != stopping["labeled"]
    if new_round:
        stopping["rounds"] += 1
        stopping["labeled"] = digest
    for name, fresh in criteria.items():
        saved = stopping["criteria"].get(name)
        criterion = restore(fresh, saved, X_stop.shape[0])
        if new_round or saved is None:
            criterion.update(model, X_stop, n_labeled)
        first = stopping["rounds"] - 1 if saved is None else saved["first_round"]
        stopping["criteria"][name] = dump(criterion, first)
        criteria[name] = criterion


def report(stopping, criteria, state_path):
    """Each criterion's verdict; a stop is given with its first round."""
    print(f"\nstopping criteria, after {stopping['rounds']} round(s) with new "
          f"labels (state in {state_path}):")
    stops = []
    for name, criterion in criteria.items():
        value = criterion.history_[-1]
        first_round = stopping["criteria"][name]["first_round"]
        shown_value = ("n/a (first round)" if value is None or value == -1 or (
            isinstance(value, float) and math.isnan(value))
            else f"{value:.4g}" if isinstance(value, float) else str(value))
        if criterion.stopped_at_ is None:
            print(f"  go    {name}: {shown_value}")
        else:
            since = first_round + criterion.stopped_at_ + 1
            stops.append(name)
            print(f"  STOP  {name}: {shown_value} (since round {since})")
    print(f"{len(stops)} of {len(criteria)} criteria say stop"
          + (f" ({shown(stops)})." if stops else
             "; label the rows above and run again."))

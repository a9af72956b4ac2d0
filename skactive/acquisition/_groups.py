"""Groups of rows (detections of an image) scored and selected as one."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_array

from ..utils._selection import top_k
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ..utils._validation import check_batch_size

_REDUCERS = ("mean", "min", "max", "sum")


@validate_params(
    {"scores": ["array-like"], "groups": ["array-like"],
     "reduce": [StrOptions(set(_REDUCERS))], "all_groups": ["array-like", None],
     "empty": [Real]},
    prefer_skip_nested_validation=True,
)
def group_scores(scores, groups, *, reduce="mean", all_groups=None, empty=0.0):
    """Aggregate per-row scores into one score per group.

    For object detection a row is one detection and a group one image: any
    per-detection informativeness becomes a per-image one.

    Parameters
    ----------
    scores : array-like of shape (n_rows,)
        One finite score per row.

    groups : array-like of shape (n_rows,)
        Group (image id) of each row.

    reduce : {"mean", "min", "max", "sum"}, default="mean"
        How the rows of a group are combined.

    all_groups : array-like of shape (n_groups,), default=None
        Every group to score, including groups without rows (images with no
        detection), which get ``empty``. None scores the groups present in
        ``groups``.

    empty : float, default=0.0
        Score of a group of ``all_groups`` that has no row.

    Returns
    -------
    group_ids : ndarray of shape (n_groups,)
        The groups, sorted (``all_groups`` in its order when given).

    aggregated : ndarray of shape (n_groups,)
        Their scores.

    Examples
    --------
    >>> from skactive.acquisition import group_scores
    >>> ids, values = group_scores([0.2, 0.4, 0.9], ["a", "a", "b"],
    ...                            all_groups=["a", "b", "c"], empty=-1.0)
    >>> ids.tolist(), values.round(2).tolist()
    (['a', 'b', 'c'], [0.3, 0.9, -1.0])
    """
    scores = check_array(scores, ensure_2d=False, ensure_min_samples=0,
                         input_name="scores")
    groups = np.asarray(groups)
    if scores.ndim != 1 or groups.shape != scores.shape:
        raise ValueError(
            f"scores and groups must be 1-D and of one length (one group per row), "
            f"got shapes {scores.shape} and {groups.shape}."
        )
    if all_groups is None:
        group_ids, inverse = np.unique(groups, return_inverse=True)
    else:
        group_ids = np.asarray(all_groups)
        if np.unique(group_ids).size != group_ids.size:
            raise ValueError("all_groups must not repeat a group.")
        order = np.argsort(group_ids, kind="stable")
        position = np.searchsorted(group_ids, groups, sorter=order)
        position = np.minimum(position, group_ids.size - 1)
        inverse = order[position] if group_ids.size else position
        if groups.size and not np.array_equal(group_ids[inverse], groups):
            missing = np.setdiff1d(groups, group_ids)
            raise ValueError(
                f"groups {missing[:5].tolist()} are not in all_groups; all_groups "
                "must list every group that has rows."
            )
    n_groups = group_ids.shape[0]
    counts = np.bincount(inverse, minlength=n_groups)
    if reduce in ("mean", "sum"):
        aggregated = np.bincount(inverse, weights=scores,
                                 minlength=n_groups).astype(np.float64)
        if reduce == "mean":
            aggregated = np.divide(aggregated, counts, out=aggregated,
                                   where=counts > 0)
    else:
        aggregated = np.full(n_groups, np.inf if reduce == "min" else -np.inf)
        ufunc = np.minimum if reduce == "min" else np.maximum
        ufunc.at(aggregated, inverse, scores)
    aggregated[counts == 0] = empty
    return group_ids, aggregated


@validate_params(
    {"confidences": ["array-like"], "groups": ["array-like"],
     "all_groups": ["array-like", None], "empty": [Real]},
    prefer_skip_nested_validation=True,
)
def mean_object_confidence(confidences, groups, *, all_groups=None, empty=0.0):
    """Encord Active's Mean Object Confidence of each image.

    For each image, the mean over its detections of each detection's
    highest class probability (or its confidence).

    Parameters
    ----------
    confidences : array-like of shape (n_detections,) or \
            (n_detections, n_classes)
        Confidence of each detection, or its class probabilities (values in
        [0, 1]; per-class sigmoid outputs need not sum to 1).

    groups : array-like of shape (n_detections,)
        Image id of each detection.

    all_groups : array-like of shape (n_images,), default=None
        Every image, including images with no detection. None scores the
        images that have detections.

    empty : float, default=0.0
        Score of an image with no detection. The default, 0, ranks such
        images first: either the detector missed every object or the image
        is empty, and only a label tells which. Pass 1.0 to rank them last.

    Returns
    -------
    image_ids : ndarray of shape (n_images,)
        The images.

    scores : ndarray of shape (n_images,)
        In [0, 1]. **Lower** means more uncertain.

    Examples
    --------
    >>> from skactive.acquisition import mean_object_confidence
    >>> P = [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]]  # three detections
    >>> ids, moc = mean_object_confidence(P, groups=[7, 7, 8], all_groups=[7, 8, 9])
    >>> ids.tolist(), moc.round(2).tolist()
    ([7, 8, 9], [0.75, 0.8, 0.0])
    """
    confidences = check_array(confidences, ensure_2d=False, ensure_min_samples=0,
                              input_name="confidences")
    if confidences.size and (confidences.min() < 0 or confidences.max() > 1):
        raise ValueError(
            "confidences must be in [0, 1]: pass probabilities or detection "
            "confidences, not logits."
        )
    if confidences.ndim == 2:
        if confidences.shape[1] == 0:
            raise ValueError("confidences has no class column.")
        confidences = confidences.max(axis=1)
    return group_scores(confidences, groups, reduce="mean", all_groups=all_groups,
                        empty=empty)


@validate_params(
    {"scores": ["array-like"], "groups": ["array-like"],
     "batch_size": [Interval(Integral, 1, None, closed="left")],
     "reduce": [StrOptions(set(_REDUCERS))],
     "all_groups": ["array-like", None], "empty": [Real],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def select_groups(scores, groups, batch_size=1, *, reduce="mean", all_groups=None,
                  empty=np.inf, random_state=None):
    """Groups to label next, best first, from per-row informativeness.

    Object detection labels images, not detections: aggregate each
    detection's score (higher = more informative, as from any sampler's
    ``score_samples`` or ``1 - confidence``) over its image with
    :func:`~skactive.acquisition.group_scores`, then take the
    ``batch_size`` best images. With ``1 - confidence`` per detection and
    ``reduce="mean"`` this is exactly Encord Active's Mean Object Confidence,
    lowest first.

    Parameters
    ----------
    scores : array-like of shape (n_rows,)
        Informativeness of each row (detection), higher = more informative.

    groups : array-like of shape (n_rows,)
        Group (image id) of each row.

    batch_size : int, default=1
        Number of groups to select.

    reduce : {"mean", "min", "max", "sum"}, default="mean"
        How the rows of a group are combined.

    all_groups : array-like of shape (n_groups,), default=None
        Every group, including groups without rows. None considers the
        groups present in ``groups``.

    empty : float, default=np.inf
        Score of a group without rows. The default puts images with no
        detection first, as :func:`~skactive.acquisition.mean_object_confidence`
        does: only a label tells a missed object from an empty image.

    random_state : int, RandomState instance or None, default=None
        Breaks exact ties between groups.

    Returns
    -------
    group_ids : ndarray of shape (batch_size,)
        The selected groups, best first.

    Examples
    --------
    >>> from skactive import select_groups
    >>> confidence = [0.9, 0.6, 0.2, 0.95]        # four detections
    >>> images = ["cat.jpg", "cat.jpg", "dog.jpg", "car.jpg"]
    >>> uncertainty = [1 - c for c in confidence]
    >>> select_groups(uncertainty, images, batch_size=2).tolist()
    ['dog.jpg', 'cat.jpg']
    """
    ids, aggregated = group_scores(scores, groups, reduce=reduce,
                                   all_groups=all_groups, empty=empty)
    if ids.shape[0] == 0:
        raise ValueError("There is no group to select from: groups is empty and "
                         "all_groups was not given.")
    batch_size = check_batch_size(batch_size, ids.shape[0])
    return ids[top_k(aggregated, batch_size, random_state)]

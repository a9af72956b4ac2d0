"""Select groups of rows (images made of detections) instead of rows."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np

from .acquisition import group_scores
from .utils._selection import top_k
from .utils._sklearn_compat import Interval, StrOptions, validate_params
from .utils._validation import check_batch_size


@validate_params(
    {"scores": ["array-like"], "groups": ["array-like"],
     "batch_size": [Interval(Integral, 1, None, closed="left")],
     "reduce": [StrOptions({"mean", "min", "max", "sum"})],
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

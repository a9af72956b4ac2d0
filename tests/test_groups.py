"""Scores of groups (images) from scores of rows (detections), from
skactive/acquisition/_groups.py: group_scores, mean_object_confidence and
select_groups."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skactive import select_groups
from skactive.acquisition import group_scores, mean_object_confidence


def test_group_scores_hand_computed():
    scores = [0.2, 0.4, 0.9, 0.5]
    groups = ["a", "a", "b", "a"]
    for reduce, expected in [("mean", [0.366667, 0.9]), ("min", [0.2, 0.9]),
                             ("max", [0.5, 0.9]), ("sum", [1.1, 0.9])]:
        ids, values = group_scores(scores, groups, reduce=reduce)
        assert ids.tolist() == ["a", "b"]
        assert_allclose(values, expected, atol=1e-6)
    ids, values = group_scores(scores, groups, all_groups=["c", "b", "a"], empty=-1)
    assert ids.tolist() == ["c", "b", "a"]
    assert_allclose(values, [-1, 0.9, 0.366667], atol=1e-6)
    with pytest.raises(ValueError, match="not in all_groups"):
        group_scores(scores, groups, all_groups=["a"])
    with pytest.raises(ValueError, match="of one length"):
        group_scores(scores, groups[:3])
    with pytest.raises(ValueError, match="'reduce' parameter of group_scores"):
        group_scores(scores, groups, reduce="median")


def test_mean_object_confidence_zero_and_one_detection():
    P = [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]]
    ids, moc = mean_object_confidence(P, [7, 7, 8], all_groups=[7, 8, 9])
    assert_allclose(moc, [0.75, 0.8, 0.0])  # 9 has no detection: 0 by default
    _, moc = mean_object_confidence([0.3], [1], all_groups=[1, 2], empty=1.0)
    assert_allclose(moc, [0.3, 1.0])
    _, moc = mean_object_confidence(np.zeros((0, 3)), [], all_groups=[1, 2])
    assert_allclose(moc, [0.0, 0.0])
    with pytest.raises(ValueError, match="NaN"):
        mean_object_confidence([0.5, np.nan], [1, 2])
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        mean_object_confidence([0.5, 2.0], [1, 2])
    with pytest.raises(ValueError, match="of one length"):
        mean_object_confidence([0.5, 0.6], [1])


def test_select_groups_ranks_images_like_mean_object_confidence():
    rng = np.random.RandomState(0)
    images = rng.randint(0, 40, size=300)
    confidence = rng.uniform(0.3, 1.0, size=300)
    all_images = np.arange(45)  # five images with no detection
    picked = select_groups(1 - confidence, images, batch_size=45,
                           all_groups=all_images, random_state=0)
    ids, moc = mean_object_confidence(confidence, images, all_groups=all_images)
    assert_array_equal(np.sort(picked[:5]), np.setdiff1d(all_images, images))
    assert_array_equal(picked[5:], ids[np.argsort(moc, kind="stable")][5:])
    with pytest.raises(ValueError, match="larger than the pool"):
        select_groups([0.5], ["a"], batch_size=2)
    with pytest.raises(ValueError, match="of one length"):
        select_groups([0.5, 0.2], ["a"])

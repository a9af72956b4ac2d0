"""Shared validation helpers of skactive.utils._validation."""

import numpy as np
import pytest
from sklearn.utils.multiclass import type_of_target

from skactive.utils._validation import binary_classes, check_one_label_per_sample


def test_binary_classes_names_the_sampler_and_the_classes():
    assert binary_classes(["b", "a", "b"], "S").tolist() == ["a", "b"]
    assert binary_classes([1, 1], "S").tolist() == [1]
    with pytest.raises(ValueError, match=r"^S is for binary classification, but y "
                                         r"holds 3 classes \(0, 1, 2\)\. Label one"):
        binary_classes([0, 1, 2], "S")
    with pytest.raises(ValueError, match=r"7 classes \(0, 1, 2, 3, 4, \.\.\.\)"):
        binary_classes(range(7), "S")


@pytest.mark.parametrize("y", [
    np.array([0, 1, 1]), np.array([3, 3, 3]), np.array([0, 5, 2, 7]),
    np.array([True, False]), np.array([1, 2], dtype=np.uint8),
    np.array(["cat", "dog", "cat"]), np.array(["a"]),
])
def test_one_label_per_sample_fast_path_agrees_with_type_of_target(y):
    # Its shortcut for 1-D integer, boolean and string arrays takes
    # type_of_target's answer for granted: check that answer.
    assert type_of_target(y) in ("binary", "multiclass")
    check_one_label_per_sample(y, "S")


@pytest.mark.parametrize("y, kind", [
    (np.array([0.5, 1.5, 2.25]), "continuous"),
    (np.array([[0, 1], [1, 1]]), "multilabel-indicator"),
])
def test_one_label_per_sample_refuses_other_targets(y, kind):
    with pytest.raises(ValueError, match=f"^S takes one class label per sample, but "
                                         f"y is '{kind}': why"):
        check_one_label_per_sample(y, "S", "why")

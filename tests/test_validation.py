"""Shared validation helpers of skactive.utils._validation."""

import pytest

from skactive.utils._validation import binary_classes


def test_binary_classes_names_the_sampler_and_the_classes():
    assert binary_classes(["b", "a", "b"], "S").tolist() == ["a", "b"]
    assert binary_classes([1, 1], "S").tolist() == [1]
    with pytest.raises(ValueError, match=r"^S is for binary classification, but y "
                                         r"holds 3 classes \(0, 1, 2\)\. Label one"):
        binary_classes([0, 1, 2], "S")
    with pytest.raises(ValueError, match=r"7 classes \(0, 1, 2, 3, 4, \.\.\.\)"):
        binary_classes(range(7), "S")

"""cost_matrix by label: a DataFrame is read by its index (true class) and
columns (decision), matched to the model's classes_; an array by position."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skactive import UncertaintySampler
from skactive.acquisition import expected_cost

pd = pytest.importorskip("pandas")

NAMES = np.array(["setosa", "versicolor", "virginica"])
# C[i, j]: the cost of deciding j when the truth is i, deliberately asymmetric
COSTS = np.array([[0.0, 1.0, 2.0], [7.0, 0.0, 3.0], [20.0, 5.0, 0.0]])


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return X[::3], NAMES[y[::3]], X[1::3]


def _sampler(cost_matrix):
    return UncertaintySampler(LogisticRegression(max_iter=500),
                              strategy="expected_cost", cost_matrix=cost_matrix)


def test_a_dataframe_is_read_by_its_labels(iris):
    X, y, pool = iris
    frame = pd.DataFrame(COSTS, index=NAMES, columns=NAMES)
    expected = _sampler(COSTS).fit(X, y).score(pool)
    assert_allclose(_sampler(frame).fit(X, y).score(pool), expected)
    # Rows and columns reordered together: the same costs, the same scores.
    shuffled = frame.loc[NAMES[[2, 0, 1]], NAMES[[1, 2, 0]]]
    assert_allclose(_sampler(shuffled).fit(X, y).score(pool), expected)
    # A transposed frame means other costs: other scores.
    assert not np.allclose(_sampler(frame.T).fit(X, y).score(pool), expected)


@pytest.mark.parametrize("index, columns, match", [
    (NAMES[:2], NAMES, r"no row for the class\(es\) \['virginica'\]"),
    (NAMES, NAMES[[0, 2]], r"no column for the class\(es\) \['versicolor'\]"),
    (["setosa", "versicolour", "virginica"], NAMES,
     r"no row for the class\(es\) \['versicolor'\].*'versicolour'"),
    ([0, 1, 2], [0, 1, 2], r"no row for the class\(es\) \['setosa', "),
    (NAMES[[0, 0, 2]], NAMES, "duplicated"),
])
def test_a_dataframe_without_the_model_classes_is_refused(iris, index, columns,
                                                          match):
    X, y, _ = iris
    frame = pd.DataFrame(COSTS[:len(index), :len(columns)], index=index,
                         columns=columns)
    with pytest.raises(ValueError, match=match):
        _sampler(frame).fit(X, y)


def test_labels_on_one_side_only_are_refused(iris):
    X, y, _ = iris
    columns = ["setosa", "versicolor", "virginica", "other"]
    frame = pd.DataFrame(np.ones((3, 4)), index=NAMES, columns=columns)
    with pytest.raises(ValueError, match=r"\['other'\] only in its columns"):
        _sampler(frame).fit(X, y)


def test_a_full_matrix_serves_a_labeled_set_that_lacks_a_class(iris):
    X, y, pool = iris
    seen = y != "versicolor"
    frame = pd.DataFrame(COSTS, index=NAMES, columns=NAMES)
    sampler = _sampler(frame).fit(X[seen], y[seen])
    assert_allclose(sampler.cost_matrix_, [[0, 2], [20, 0]])
    P = LogisticRegression(max_iter=500).fit(X[seen], y[seen]).predict_proba(pool)
    # By hand on the sub-matrix of setosa and virginica: deciding setosa costs
    # 20 p(virginica), deciding virginica 2 p(setosa); the cheaper one.
    assert_allclose(sampler.score(pool), np.minimum(20 * P[:, 1], 2 * P[:, 0]))
    assert_allclose(sampler.score(pool),
                    expected_cost(P, COSTS[np.ix_([0, 2], [0, 2])]))


def test_an_array_is_read_in_the_order_of_classes_(iris):
    X, y, pool = iris
    sampler = _sampler(COSTS).fit(X, y)
    assert_allclose(sampler.cost_matrix_, COSTS)
    P = sampler.estimator_.predict_proba(pool)
    assert_allclose(sampler.score(pool), expected_cost(P, COSTS))
    seen = y != "versicolor"
    with pytest.raises(ValueError, match=r"shape \(3, 3\), but there are 2 classes "
                       r"\(classes_ = \['setosa', 'virginica'\]\).*DataFrame"):
        _sampler(COSTS).fit(X[seen], y[seen])

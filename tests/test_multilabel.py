"""Multilabel acquisition and cost-sensitive acquisition."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_iris, make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier

from skactive import (
    CommitteeSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.acquisition import (
    expected_cost,
    label_count_model,
    label_probabilities,
    least_confidence,
    max_loss,
    mean_max_loss,
    mmc,
    multilabel_uncertainty,
)
from skactive.experiment import run_experiment
from skactive.experiment._loop import _initial_multilabel_set
from skactive.utils.estimator_checks import check_sampler

Q = np.array([[0.5, 0.9, 0.2],
              [0.8, 0.1, 0.3],
              [0.05, 0.45, 0.6]])


# --- formulas, by hand ------------------------------------------------------


def test_per_label_uncertainty_mean_and_max_by_hand():
    margins = np.abs(2 * Q - 1)  # [[0, .8, .6], [.6, .8, .4], [.9, .1, .2]]
    assert_allclose(multilabel_uncertainty(Q, "margin", "mean"),
                    [1.4 / 3, 1.8 / 3, 1.2 / 3])
    # BinMin: the smallest margin over the labels.
    assert_allclose(multilabel_uncertainty(Q, "margin", "max"), [0.0, 0.4, 0.1])
    assert_allclose(margins.min(axis=1), [0.0, 0.4, 0.1])
    assert_allclose(multilabel_uncertainty(Q, "least_confidence", "max"),
                    [0.5, 0.3, 0.45])
    assert_allclose(multilabel_uncertainty(Q, "least_confidence", "mean"),
                    [0.8 / 3, 0.6 / 3, 0.9 / 3])
    h = lambda q: -q * np.log2(q) - (1 - q) * np.log2(1 - q)  # noqa: E731
    assert_allclose(multilabel_uncertainty(Q, "entropy", "max"),
                    [1.0, h(0.3), h(0.45)])


def test_max_loss_and_mean_max_loss_by_hand():
    # Row 0: f = [0, .8, -.6], y = [-1, 1, -1], losses [.5, .1, .2].
    # Row 1: f = [.6, -.8, -.4], y = [1, -1, -1], losses [.2, .1, .3].
    # Row 2: f = [-.9, -.1, .2], y = [-1, -1, 1], losses [.05, .45, .4].
    assert_allclose(max_loss(Q), [0.5, 0.3, 0.45])
    assert_allclose(mean_max_loss(Q), [0.8 / 3, 0.6 / 3, 0.9 / 3])
    # No label predicted present: the most likely one counts as present.
    assert_allclose(max_loss([[0.2, 0.3]]), [0.7])  # losses (.2, .7)


def test_mmc_by_hand():
    # Row 0 with 2 labels: y = [1, 1, -1] (0.9 and 0.5), f = [0, .8, -.6]:
    # losses [.5, .1, .2] = 0.8. Row 1 with 1 label: y = [1, -1, -1]:
    # f = [.6, -.8, -.4], losses [.2, .1, .3] = 0.6.
    assert_allclose(mmc(Q[:2], label_counts=[2, 1]), [0.8, 0.6])
    with pytest.raises(ValueError, match="one count of at least 1 per sample"):
        mmc(Q, label_counts=[3])  # the number of label columns is not a count


def test_label_probabilities_of_both_forms_by_hand():
    # The matrix form is the answer; the list form gives each label's
    # probability of being present, its second column.
    assert_array_equal(label_probabilities(Q), Q)
    listed = [np.column_stack([1 - Q[:, j], Q[:, j]]) for j in range(3)]
    assert_allclose(label_probabilities(listed), Q)
    # A label seen with one value has one column: present if that value was 1.
    one_value = [np.ones((3, 1)), np.ones((3, 1)), listed[2]]
    assert_allclose(label_probabilities(one_value, classes=[[1], [0], [0, 1]]),
                    np.column_stack([[1, 1, 1], [0, 0, 0], Q[:, 2]]))


def test_label_count_model_by_hand():
    # Features: each row of Q sorted decreasing, over its sum.
    Q_labeled = np.array([[0.2, 0.6, 0.2], [0.9, 0.05, 0.05], [0.5, 0.5, 0.0],
                          [0.1, 0.8, 0.1]])
    shares = np.array([[0.6, 0.2, 0.2], [0.9, 0.05, 0.05], [0.5, 0.5, 0.0],
                       [0.8, 0.1, 0.1]])
    Y = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 0]])  # 2, 1, 2, 0 -> 1
    pool = np.array([[0.4, 0.4, 0.2], [0.1, 0.1, 0.8]])
    pool_shares = np.array([[0.4, 0.4, 0.2], [0.8, 0.1, 0.1]])
    reference = LogisticRegression(max_iter=1000).fit(shares, [2, 1, 2, 1])
    model = label_count_model(Q_labeled, Y)
    assert_array_equal(model.predict(pool), reference.predict(pool_shares))
    assert_array_equal(model.predict(pool), [2, 1])
    # Every labeled sample with two labels: two for every sample.
    assert_array_equal(label_count_model(Q_labeled[[0, 2]], Y[[0, 2]]).predict(pool),
                       [2, 2])
    with pytest.raises(ValueError, match="one row of labels per row"):
        label_count_model(Q_labeled, Y[:2])


def test_expected_cost_by_hand():
    P = np.array([[0.2, 0.5, 0.3], [0.9, 0.05, 0.05]])
    C = np.array([[0, 1, 4], [2, 0, 1], [8, 3, 0.0]])
    # Row 0: P @ C = [0.2*0 + .5*2 + .3*8, .2 + 0 + .9, .8 + .5 + 0] = [3.4, 1.1, 1.3]
    # Row 1: [.1 + .4, .9 + .15, 3.6 + .05] = [.5, 1.05, 3.65]
    assert_allclose(expected_cost(P, C), [1.1, 0.5])


@settings(max_examples=50, deadline=None)
@given(n_classes=st.integers(2, 6), seed=st.integers(0, 1000))
def test_zero_one_cost_is_least_confidence(n_classes, seed):
    P = np.random.RandomState(seed).dirichlet(np.ones(n_classes), size=20)
    assert_allclose(expected_cost(P, 1 - np.eye(n_classes)), least_confidence(P),
                    atol=1e-12)


# --- the sampler ------------------------------------------------------------


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(n_samples=300, n_classes=5, random_state=0)
    return X[:60], Y[:60], X[60:]


@pytest.mark.parametrize("strategy, aggregation", [
    ("margin", "mean"), ("margin", "max"), ("entropy", "mean"), ("entropy", "max"),
    ("least_confidence", "mean"), ("least_confidence", "max"),
    ("max_loss", None), ("mean_max_loss", None), ("mmc", None),
])
def test_list_and_matrix_forms_give_the_same_scores(multilabel, strategy, aggregation):
    X, Y, pool = multilabel
    base = LogisticRegression(max_iter=1000)
    matrix = UncertaintySampler(OneVsRestClassifier(base), strategy=strategy,
                                aggregation=aggregation).fit(X, Y)
    listed = UncertaintySampler(MultiOutputClassifier(base), strategy=strategy,
                                aggregation=aggregation).fit(X, Y)
    assert_allclose(matrix.score(pool), listed.score(pool), atol=1e-10)


def test_sampler_scores_are_the_formulas(multilabel):
    X, Y, pool = multilabel
    model = OneVsRestClassifier(LogisticRegression(max_iter=1000))
    Qp = model.fit(X, Y).predict_proba(pool)
    binmin = UncertaintySampler(model, strategy="margin", aggregation="max").fit(X, Y)
    assert_allclose(binmin.score(pool), -multilabel_uncertainty(Qp, "margin", "max"))
    loss = UncertaintySampler(model, strategy="max_loss").fit(X, Y)
    assert_allclose(loss.score(pool), max_loss(Qp))


@pytest.mark.parametrize("strategy", ["margin", "max_loss", "mmc"])
def test_chunks_of_many_labels_stay_within_working_memory(strategy):
    # 500 labels: each pool row costs 500 probabilities and their
    # temporaries, so the chunks must be sized on 500 columns, not on a guess.
    from sklearn import config_context
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.RandomState(0)
    X, pool = rng.standard_normal((200, 5)), rng.standard_normal((2000, 5))
    Y = (rng.uniform(size=(200, 500)) < 0.3).astype(int)
    sampler = UncertaintySampler(DecisionTreeClassifier(max_depth=3, random_state=0),
                                 strategy=strategy).fit(X, Y)
    assert sampler.n_labels_ == 500
    working_memory = 4  # MiB; the whole pool's probabilities take 8 MB
    with config_context(working_memory=working_memory):
        tracemalloc.start()
        try:
            scores = sampler.score(pool)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 1.5 * working_memory * 2**20, peak
    one_chunk = clone(sampler).set_params(chunk_size=len(pool)).fit(X, Y)
    assert_allclose(scores, one_chunk.score(pool))


@pytest.mark.parametrize("strategy", ["margin", "max_loss", "mmc"])
def test_multilabel_samplers_keep_the_sampler_contract(multilabel, strategy):
    X, Y, pool = multilabel
    sampler = UncertaintySampler(OneVsRestClassifier(LogisticRegression(max_iter=500)),
                                 strategy=strategy,
                                 aggregation="max" if strategy == "margin" else None)
    check_sampler(sampler, X, Y, pool[:80])


def test_expected_cost_sampler(multilabel):
    X, y = load_iris(return_X_y=True)
    C = np.array([[0, 1, 1], [1, 0, 5], [1, 5, 0.0]])
    sampler = UncertaintySampler(LogisticRegression(max_iter=500),
                                 strategy="expected_cost", cost_matrix=C)
    model = LogisticRegression(max_iter=500).fit(X[::3], y[::3])
    assert_allclose(sampler.fit(X[::3], y[::3]).score(X),
                    expected_cost(model.predict_proba(X), C))
    check_sampler(sampler, X[::3], y[::3], X[1::3])


@pytest.mark.parametrize("kwargs, y_kind, match", [
    (dict(strategy="expected_cost", cost_matrix=np.ones((2, 2))), "multiclass",
     r"cost_matrix has shape \(2, 2\), but there are 3 classes"),
    (dict(strategy="expected_cost", cost_matrix=-np.ones((3, 3))), "multiclass",
     "negative costs"),
    (dict(strategy="expected_cost"), "multiclass", "needs cost_matrix"),
    (dict(strategy="ratio"), "multilabel", "is for single-label targets"),
    (dict(strategy="mmc"), "multiclass", "is for multilabel targets"),
])
def test_bad_setups(multilabel, kwargs, y_kind, match):
    if y_kind == "multilabel":
        X, y, _ = multilabel
        model = OneVsRestClassifier(LogisticRegression())
    else:
        X, y = load_iris(return_X_y=True)
        model = LogisticRegression()
    with pytest.raises(ValueError, match=match):
        UncertaintySampler(model, **kwargs).fit(X, y)


def test_committees_say_they_take_one_label(multilabel):
    X, Y, _ = multilabel
    with pytest.raises(ValueError, match="CommitteeSampler takes one label per sample"):
        CommitteeSampler([LogisticRegression(), LogisticRegression()]).fit(X, Y)


# --- experiments --------------------------------------------------------------


def test_initial_set_holds_a_positive_of_every_label():
    Y = np.zeros((50, 4), dtype=int)
    Y[np.arange(50), np.arange(50) % 4] = 1
    Y[7, 3] = Y[7, 0] = 1
    for seed in range(5):
        chosen = _initial_multilabel_set(Y, 6, seed)
        assert np.unique(chosen).size == 6
        assert Y[chosen].any(axis=0).all()


def test_run_experiment_with_a_multilabel_target(multilabel):
    X, Y, _ = multilabel
    model = OneVsRestClassifier(LogisticRegression(max_iter=500))
    samplers = {"binmin": UncertaintySampler(model, aggregation="max"),
                "random": RandomSampler()}
    serial = run_experiment(model, samplers, X, Y, batch_size=5, n_rounds=3,
                            n_repeats=2, n_jobs=1)
    parallel = run_experiment(model, samplers, X, Y, batch_size=5, n_rounds=3,
                              n_repeats=2, n_jobs=2)
    assert serial == parallel
    assert serial.table["n_labeled"].tolist()[:4] == [5, 10, 15, 20]
    assert 0 < serial.table["score"].min() <= serial.table["score"].max() <= 1


def test_a_label_seen_with_one_value_keeps_its_meaning(multilabel):
    from sklearn.ensemble import RandomForestClassifier

    X, Y, pool = multilabel
    Y = Y.copy()
    Y[:, 0] = 1  # always present in training
    Y[:, 1] = 0  # never present
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, Y)
    Q = np.column_stack([np.ones(len(pool)), np.zeros(len(pool))] + [
        p[:, 1] for p in forest.predict_proba(pool)[2:]])
    assert_allclose(label_probabilities(forest.predict_proba(pool),
                                        forest.classes_), Q)
    sampler = UncertaintySampler(forest, strategy="max_loss").fit(X, Y)
    assert_allclose(sampler.score(pool), max_loss(Q))

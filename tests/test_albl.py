"""Active learning by learning against EXP4.P and IW-ACC written out by hand,
across rounds, pickles and checkpoints."""

import itertools
import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from joblib import parallel_config
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils import _safe_indexing
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactive import (
    ALBLSampler,
    UncertaintySampler,
)
from skactive._samplers import albl as albl_module
from skactive.acquisition import (
    exp4p_probabilities,
    exp4p_update,
    importance_weighted_accuracy,
)
from skactive.exceptions import ParameterError
from skactive.experiment import run_experiment
from skactive.utils.estimator_checks import (
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
    parametrize_with_sampler_checks,
)

from .test_inputs import INPUTS


def data(n=60, seed=0):
    return make_classification(n_samples=n, n_features=4, n_informative=3,
                               n_redundant=0, random_state=seed)


def albl(**params):
    experts = [UncertaintySampler(LogisticRegression()),
               UncertaintySampler(LogisticRegression(C=0.01))]
    return ALBLSampler(experts, LogisticRegression(), **params)


def loop(sampler, X, y, n_rounds, labeled=None):
    """Label what the sampler selects, one sample per round; the picks (rows
    of X) in order."""
    labeled = list(range(10)) if labeled is None else list(labeled)
    picks = []
    for _ in range(n_rounds):
        pool = np.setdiff1d(np.arange(len(y)), labeled)
        sampler.fit(X[labeled], y[labeled])
        picks.append(int(pool[sampler.select(X[pool])[0]]))
        labeled.append(picks[-1])
    sampler.fit(X[labeled], y[labeled])  # rewards the last pick
    return picks, labeled


def hand_exp4p(rounds, n_arms, p_min, delta, budget):
    """EXP4.P (Beygelzimer et al., 2011) with weights, not logarithms, one
    loop per arm: rounds are (advice matrix (n_arms, n_pool), pick, reward)."""
    w = np.ones(n_arms)
    history = []
    for advice, j, reward in rounds:
        p = np.array([(1 - n_arms * p_min) * w[k] / w.sum() + p_min
                      for k in range(n_arms)])
        q = sum(p[k] * advice[k] for k in range(n_arms))
        history.append((p, q))
        for k in range(n_arms):
            r_hat = reward * advice[k][j] / q[j]
            v_hat = 1 / p[k]
            w[k] *= np.exp(p_min / 2 * (r_hat + v_hat * np.sqrt(
                np.log(n_arms / delta) / (n_arms * budget))))
    p = (1 - n_arms * p_min) * w / w.sum() + p_min
    return history, p


# The formulas


def test_exp4p_probabilities_by_hand():
    w = np.array([1.0, 2.0, 5.0])
    assert_allclose(exp4p_probabilities(np.log(w), p_min=0.05),
                    0.85 * w / 8 + 0.05)
    assert_allclose(exp4p_probabilities([3.0], p_min=0.0), [1.0])


def test_exp4p_update_on_a_fixed_reward_sequence():
    rng = np.random.RandomState(0)
    n_arms, n_pool, p_min, delta, budget = 3, 5, 0.1, 0.1, 4
    rounds = []
    for t, reward in enumerate([0.3, 0.0, 0.9, 0.5]):
        advice = np.zeros((n_arms, n_pool))
        advice[0, t] = advice[1, rng.randint(n_pool)] = 1.0
        advice[2] = 1.0 / n_pool
        rounds.append((advice, t if t % 2 else rng.randint(n_pool), reward))
    history, expected = hand_exp4p(rounds, n_arms, p_min, delta, budget)
    log_w = np.zeros(n_arms)
    for (advice, j, reward), (p_hand, q_hand) in zip(rounds, history):
        p = exp4p_probabilities(log_w, p_min)
        assert_allclose(p, p_hand)
        assert_allclose(p @ advice, q_hand)
        log_w = exp4p_update(log_w, p, advice[:, j], (p @ advice)[j], reward,
                             p_min=p_min, delta=delta, budget=budget)
    assert_allclose(exp4p_probabilities(log_w, p_min), expected)


def test_importance_weighted_accuracy_by_hand():
    weights = np.array([4.0, 2.5, 10.0, 1.0])
    correct = np.array([1, 0, 1, 1], dtype=bool)
    assert importance_weighted_accuracy(correct, weights, n_samples=50,
                                        budget=8) == pytest.approx(15 / 400)
    assert importance_weighted_accuracy([], [], n_samples=5, budget=1) == 0.0


def test_formulas_refuse_bad_inputs():
    with pytest.raises(ValueError, match="p_min=0.5 is more than 1 / 3"):
        exp4p_probabilities([0.0, 0.0, 0.0], p_min=0.5)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        exp4p_probabilities([], p_min=0.1)
    with pytest.raises(ValueError, match="one value per arm"):
        exp4p_update([0.0, 0.0], [0.5, 0.5], [1.0], 0.5, 1.0, p_min=0.1,
                     delta=0.1, budget=3)
    with pytest.raises(ValueError, match="must be positive"):
        exp4p_update([0.0, 0.0], [1.0, 0.0], [1.0, 0.0], 1.0, 1.0, p_min=0.0,
                     delta=0.1, budget=3)
    with pytest.raises(ValueError, match="one value per query"):
        importance_weighted_accuracy([True], [1.0, 2.0], n_samples=5, budget=2)


# The sampler against the formulas written out


def test_sampler_follows_exp4p_on_a_fixed_reward_sequence(monkeypatch):
    rewards = itertools.cycle([0.4, 0.0, 0.8, 0.2])  # two runs of 4 rounds
    monkeypatch.setattr(albl_module, "importance_weighted_accuracy",
                        lambda *args, **kwargs: next(rewards))
    X, y = data()
    picks, labeled = loop(albl(random_state=0), X, y, n_rounds=4)
    # The advice of each round, recomputed: each expert's pick, and uniform.
    n_pool, n_arms = len(y) - 10, 3
    budget, p_min = n_pool, np.sqrt(np.log(3) / (3 * n_pool))
    rounds = []
    for t, (pick, reward) in enumerate(zip(picks, [0.4, 0.0, 0.8, 0.2])):
        known = labeled[: 10 + t]
        pool = np.setdiff1d(np.arange(len(y)), known)
        advice = np.zeros((n_arms, pool.size))
        for k, C in enumerate((1.0, 0.01)):
            model = LogisticRegression(C=C).fit(X[known], y[known])
            top = np.sort(model.predict_proba(X[pool]), axis=1)
            advice[k, np.argmin(top[:, -1] - top[:, -2])] = 1.0
        advice[2] = 1.0 / pool.size
        rounds.append((advice, int(np.flatnonzero(pool == pick)[0]), reward))
    _, expected = hand_exp4p(rounds, n_arms, p_min, 0.1, budget)
    sampler = albl(random_state=0)
    picks_again, _ = loop(sampler, X, y, n_rounds=4)
    assert picks_again == picks  # the same seed, the same draws
    assert_allclose(exp4p_probabilities(sampler.log_weights_, p_min), expected)


def test_reward_is_the_importance_weighted_accuracy_by_hand():
    X, y = data()
    sampler = albl(random_state=1)
    labeled = list(range(10))
    pool = np.arange(10, len(y))
    sampler.fit(X[labeled], y[labeled])
    q = sampler.score_samples(X[pool])  # the query distribution of a batch of 1
    j = int(sampler.select(X[pool])[0])
    labeled.append(int(pool[j]))
    sampler.fit(X[labeled], y[labeled])
    model = LogisticRegression().fit(X[labeled], y[labeled])
    correct = model.predict(X[pool[j]: pool[j] + 1])[0] == y[pool[j]]
    expected = correct / q[j] / (len(y) * pool.size)
    assert sampler.rewards_ == [pytest.approx(expected)]
    assert sampler.n_queries_ == 1 and sampler.budget_ == pool.size


def test_a_labeled_set_without_the_draw_gives_no_reward():
    X, y = data()
    sampler = albl(random_state=0).fit(X[:10], y[:10])
    sampler.select(X[10:])
    sampler.fit(X[:12], y[:12])  # grew, but not by the drawn sample
    assert sampler.rewards_ == [] and sampler.n_queries_ == 0
    assert_array_equal(sampler.log_weights_, 0.0)


def test_uniform_arm_alone_is_uniform_and_seeded():
    X, y = data()
    sampler = ALBLSampler([], LogisticRegression(),
                                              random_state=0).fit(X[:10], y[:10])
    assert_allclose(sampler.score_samples(X[10:]), 1 / 50)  # all tied
    batch = sampler.select(X[10:], 5)
    assert_array_equal(sampler.select(X[10:], 5), batch)
    other = clone(sampler).set_params(random_state=1).fit(X[:10], y[:10])
    assert not np.array_equal(other.select(X[10:], 5), batch)


def test_seeds_n_jobs_pickle_mid_run():
    X, y = data()
    picks, labeled = loop(albl(random_state=0), X, y, n_rounds=4)
    with parallel_config(backend="threading"):  # no process start per round
        assert loop(albl(random_state=0, n_jobs=2), X, y, n_rounds=4)[0] == picks
    assert loop(albl(random_state=3), X, y, n_rounds=4)[0] != picks
    # Interrupted after three rounds, pickled, resumed: the same run.
    sampler = albl(random_state=0)
    first, known = loop(sampler, X, y, n_rounds=2)
    restored = pickle.loads(pickle.dumps(sampler))
    rest = loop(restored, X, y, n_rounds=2, labeled=known)[0]
    assert first + rest == picks
    assert len(restored.rewards_) == 4
    # clone starts afresh.
    assert not hasattr(clone(restored), "log_weights_")


def test_checkpoint_resume_gives_the_uninterrupted_result(tmp_path):
    X, y = data(80)
    model = LogisticRegression()
    samplers = {"albl": albl()}
    kwargs = dict(batch_size=1, n_rounds=4, n_repeats=2, initial_size=10,
                  random_state=0)
    plain = run_experiment(model, samplers, X, y, **kwargs)
    folder = tmp_path / "checkpoint"
    run_experiment(model, samplers, X, y, checkpoint=folder, **kwargs)
    runs = sorted(folder.glob("run-*.json"))
    assert len(runs) == 2
    runs[0].unlink()  # an interrupted experiment: one run is missing
    resumed = run_experiment(model, samplers, X, y, checkpoint=folder, **kwargs)
    assert resumed.to_frame().equals(plain.to_frame())


def test_bad_inputs_are_refused():
    X, y = data()
    with pytest.raises(ValueError, match="at least one arm"):
        ALBLSampler([], LogisticRegression(),
                                        uniform=False).fit(X, y)
    with pytest.raises(TypeError, match=r"samplers\[0\] is a LogisticRegression"):
        ALBLSampler([LogisticRegression()],
                                        LogisticRegression()).fit(X, y)
    with pytest.raises(ParameterError, match="p_min=0.5 is more than 1 / 3"):
        albl(p_min=0.5).fit(X[:10], y[:10])
    # The default floor is capped at 1 / n_arms on a pool smaller than that.
    sampler = albl(random_state=0).fit(X[:10], y[:10])
    assert_array_equal(np.sort(sampler.select(X[10:12], 2)), [0, 1])
    assert sampler.p_min_ == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="one class label per sample|multilabel"):
        albl().fit(X[:10], np.eye(2)[y[:10]])


# The sampler contract, every input form

SAMPLERS = [ALBLSampler(
    [UncertaintySampler(LogisticRegression())], LogisticRegression(), random_state=0)]
POOL_SCORES = (
    "the query distribution holds the uniform arm's 1 / n_pool and each "
    "expert's one-hot on its best sample of the pool, so a sample's score "
    "changes with the rest of the pool, by design"
)


@parametrize_with_checks(SAMPLERS, expected_failed_checks=lambda e: {
    "check_methods_subset_invariance": POOL_SCORES})
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@parametrize_with_sampler_checks(SAMPLERS)
def test_sampler_contract(sampler, check):
    check(sampler)


@pytest.mark.parametrize("input_name", list(INPUTS))
def test_every_input(input_name):
    make, prep = INPUTS[input_name]
    X, y = make(15, 0)
    X_pool, y_pool = make(12, 1)
    model = make_pipeline(prep(), LogisticRegression()) if prep else (
        LogisticRegression())
    sampler = ALBLSampler([UncertaintySampler(model)], model,
                                              random_state=0)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)
    # The drawn row is recognised in the next labeled set, in every form.
    sampler.fit(X, y)
    j = int(sampler.select(X_pool)[0])
    rows = [_safe_indexing(X, np.arange(15)), _safe_indexing(X_pool, [j])]
    if hasattr(X, "iloc"):
        import pandas as pd
        X_next = pd.concat(rows, ignore_index=True)
    elif sp.issparse(X):
        X_next = sp.vstack(rows, format="csr")
    elif isinstance(X, list):
        X_next = rows[0] + rows[1]
    else:
        X_next = np.vstack(rows)
    sampler.fit(X_next, np.append(y, y_pool[j]))
    assert len(sampler.rewards_) == 1 and sampler.n_queries_ == 1

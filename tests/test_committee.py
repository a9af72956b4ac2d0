
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.ensemble import (
    BaggingClassifier,
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
    VotingClassifier,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skactive import CommitteeSampler
from skactive.acquisition import (
    bald,
    vote_entropy,
)


@pytest.fixture
def labeled(digits):
    X, y = digits
    return X[:200], y[:200], X[200:700]


# --- the pure functions, against hand-computed values -----------------------


def test_vote_entropy_hand_computed():
    votes = [[0, 0, 0, 0], [0, 0, 1, 1], [0, 1, 2, 2], [2, 1, 1, 1]]
    # 4 of 4; 2/2; 1/1/2 of 4: -(1/4 log 1/4)*2 - 1/2 log 1/2 = 1.5; 3/1 of 4.
    expected = [0, 1, 1.5, -(0.75 * np.log2(0.75) + 0.25 * np.log2(0.25))]
    assert_allclose(vote_entropy(votes, n_classes=3), expected)
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\)"):
        vote_entropy([[0, 3]], n_classes=3)


def _kl_to_consensus(P):
    """McCallum & Nigam's disagreement, by its own formula: the mean over the
    members of KL(p_m || consensus), in bits, 0 log 0 = 0."""
    consensus = P.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, P * np.log2(P / consensus), 0.0)
    return terms.sum(axis=2).mean(axis=0)


def _mutual_information(P):
    """BALD by its own formula: H(consensus) - mean H(p_m), in bits."""
    def H(p):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.where(p > 0, p * np.log2(p), 0.0).sum(axis=-1)

    return H(P.mean(axis=0)) - H(P).mean(axis=0)


def test_bald_hand_computed():
    # Two members, three samples, two classes.
    P = np.array([[[0.8, 0.2], [0.5, 0.5], [1.0, 0.0]],
                  [[0.2, 0.8], [0.5, 0.5], [0.5, 0.5]]])
    # Sample 0: consensus (0.5, 0.5); each member's KL = 1 - H(0.8, 0.2).
    h = -(0.8 * np.log2(0.8) + 0.2 * np.log2(0.2))
    # Sample 2: consensus (0.75, 0.25); H = 0.811278; mean H = (0 + 1) / 2.
    h_mean = -(0.75 * np.log2(0.75) + 0.25 * np.log2(0.25))
    expected = [1 - h, 0.0, h_mean - 0.5]
    assert_allclose(_kl_to_consensus(P), expected, atol=1e-12)
    assert_allclose(bald(P), expected, atol=1e-12)


@settings(deadline=None, max_examples=40)
@given(n_members=st.integers(2, 5), n_samples=st.integers(1, 20),
       n_classes=st.integers(2, 6), seed=st.integers(0, 2**31 - 1))
def test_bald_is_the_kl_divergence_to_the_consensus(n_members, n_samples,
                                                    n_classes, seed):
    # The identity of bald's docstring, against a brute force of each formula,
    # zeros included (a sparse Dirichlet has exact zeros once rounded).
    rng = np.random.RandomState(seed)
    P = rng.dirichlet(np.full(n_classes, 0.5), size=(n_members, n_samples))
    P[P < 0.05] = 0
    P /= P.sum(axis=2, keepdims=True)
    assert_allclose(_kl_to_consensus(P), _mutual_information(P), atol=1e-10)
    assert_allclose(bald(P), _kl_to_consensus(P), atol=1e-10)
    assert (bald(P) >= 0).all()


def test_committee_functions_reject_bad_probabilities():
    with pytest.raises(ValueError, match="n_members, n_samples, n_classes"):
        bald(np.ones((3, 2)) / 2)
    with pytest.raises(ValueError, match="NaN or infinity"):
        bald(np.array([[[0.5, np.nan]], [[0.5, 0.5]]]))
    with pytest.raises(ValueError, match="sums to"):
        bald(np.array([[[0.5, 0.1]], [[0.5, 0.5]]]))


# --- the sampler ------------------------------------------------------------


def test_list_committee_scores_from_members_by_hand(labeled):
    X, y, X_pool = labeled
    members = [LogisticRegression(max_iter=500), GaussianNB(),
               DecisionTreeClassifier(random_state=0)]
    for strategy in ("vote_entropy", "bald"):
        sampler = CommitteeSampler(members, strategy=strategy).fit(X, y)
        fitted = [clone(m).fit(X, y) for m in members]
        if strategy == "vote_entropy":
            votes = np.column_stack([m.predict(X_pool) for m in fitted])
            expected = vote_entropy(votes, 10)
        else:
            P = np.stack([m.predict_proba(X_pool) for m in fitted])
            expected = _kl_to_consensus(P)
        assert_allclose(sampler.score(X_pool), expected, atol=1e-12)


def test_fitted_forest_used_as_is_equals_members_by_hand(labeled):
    X, y, X_pool = labeled
    forest = RandomForestClassifier(n_estimators=15, random_state=0).fit(X, y)
    before = [tree.tree_.node_count for tree in forest.estimators_]
    sampler = CommitteeSampler(FrozenEstimator(forest), strategy="bald")
    sampler.fit(X_pool[:30], y[:30])  # other data: must not refit anything
    assert sampler.members_[0] is forest.estimators_[0]
    P = np.stack([tree.predict_proba(X_pool) for tree in forest.estimators_])
    assert_allclose(sampler.score(X_pool), bald(P), atol=1e-12)
    assert [tree.tree_.node_count for tree in forest.estimators_] == before
    votes = np.column_stack([tree.predict(X_pool) for tree in forest.estimators_])
    sampler.set_params(strategy="vote_entropy")
    assert_allclose(sampler.score(X_pool), vote_entropy(votes.astype(int), 10))


@pytest.mark.parametrize("forest", [
    RandomForestClassifier(n_estimators=8, random_state=0),
    ExtraTreesClassifier(n_estimators=8, random_state=0),
])
def test_forest_members_take_the_missing_values_the_forest_takes(labeled, forest):
    # The sampler's tags say allow_nan, as the forest's do: its members'
    # own validation decides, which lets NaN through on dense pools only.
    X, y, X_pool = labeled
    X_pool = X_pool.copy()
    X_pool[::3, 20] = np.nan
    sampler = CommitteeSampler(forest, strategy="bald").fit(X, y)
    assert sampler.__sklearn_tags__().input_tags.allow_nan
    trees = clone(forest).fit(X, y).estimators_
    P = np.stack([tree.predict_proba(X_pool) for tree in trees])
    assert_allclose(sampler.score(X_pool), bald(P), atol=1e-12)
    with pytest.raises(ValueError, match="Input contains NaN"):
        sampler.score(sp.csr_matrix(X_pool))  # as the forest refuses it
    X_pool[0, 3] = np.inf
    with pytest.raises(ValueError, match="Input contains infinity"):
        sampler.score(X_pool)


def test_members_missing_classes_are_aligned_on_the_union():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [10.0], [11.0]])
    y = np.array(["a", "a", "b", "b", "c", "c"])
    # Member 0 knows a and b only, member 1 b and c only.
    m0 = FrozenEstimator(LogisticRegression().fit(X[:4], y[:4]))
    m1 = FrozenEstimator(LogisticRegression().fit(X[2:], y[2:]))
    sampler = CommitteeSampler([m0, m1], strategy="bald").fit(X, y)
    assert sampler.classes_.tolist() == ["a", "b", "c"]
    assert [c.tolist() for c in sampler.columns_] == [[0, 1], [1, 2]]
    P = np.zeros((2, 6, 3))
    P[0][:, :2] = m0.predict_proba(X)
    P[1][:, 1:] = m1.predict_proba(X)
    assert_allclose(sampler.score(X), _kl_to_consensus(P), atol=1e-12)


@pytest.mark.parametrize("ensemble", [
    ExtraTreesClassifier(n_estimators=8, random_state=0),
    BaggingClassifier(DecisionTreeClassifier(), n_estimators=8, random_state=0),
    VotingClassifier([("lr", LogisticRegression(max_iter=500)), ("nb", GaussianNB())],
                     voting="soft"),
])
def test_other_ensembles(labeled, ensemble):
    X, y, X_pool = labeled
    y = np.array(list("abcdefghij"))[y]  # string labels: members see indices
    sampler = CommitteeSampler(ensemble, strategy="bald").fit(X, y)
    fitted = clone(ensemble).fit(X, y)
    P = np.zeros((len(fitted.estimators_), X_pool.shape[0], 10))
    for m, member in enumerate(fitted.estimators_):
        P[m][:, member.classes_.astype(int)] = member.predict_proba(X_pool)
    assert_allclose(sampler.score(X_pool), bald(P), atol=1e-12)


@pytest.mark.parametrize("committee, strategy, kind", [
    (GradientBoostingClassifier(n_estimators=5), "vote_entropy", "Classifier"),
    (HistGradientBoostingClassifier(max_iter=5), "bald", "Classifier"),
    (GradientBoostingRegressor(n_estimators=5), "prediction_variance", "Regressor"),
])
def test_boosting_stages_are_not_a_committee(labeled, committee, strategy, kind):
    X, y, _ = labeled
    with pytest.raises(ValueError, match=(
            "is gradient boosting: its trees are stages.*not a committee.*"
            rf"Bagging{kind}\(GradientBoosting{kind}\(\)\)")):
        CommitteeSampler(committee, strategy=strategy).fit(X, y)


def test_bagged_boosting_is_a_committee_of_whole_models(labeled):
    # What the message proposes: each member is a whole boosted model.
    X, y, X_pool = labeled
    bagged = BaggingClassifier(GradientBoostingClassifier(n_estimators=5),
                               n_estimators=3, random_state=0)
    sampler = CommitteeSampler(bagged, strategy="bald").fit(X, y)
    fitted = clone(bagged).fit(X, y)
    P = np.stack([m.predict_proba(X_pool) for m in fitted.estimators_])
    assert_allclose(sampler.score(X_pool), bald(P), atol=1e-12)
    assert sampler.score(X_pool).max() > 0


def test_bootstrap_is_seeded_and_differs_from_full_fits(labeled):
    X, y, X_pool = labeled
    members = [DecisionTreeClassifier(random_state=0)] * 3
    one = CommitteeSampler(members, bootstrap=True, random_state=0).fit(X, y)
    two = CommitteeSampler(members, bootstrap=True, random_state=0).fit(X, y)
    assert_array_equal(one.score(X_pool), two.score(X_pool))
    full = CommitteeSampler(members).fit(X, y)
    assert_array_equal(full.score(X_pool), 0)  # identical trees always agree
    assert one.score(X_pool).max() > 0



@pytest.mark.parametrize("committee, bootstrap", [
    ([DecisionTreeClassifier(), GaussianNB()], True),
    (FrozenEstimator(RandomForestClassifier(5, random_state=0).fit(
        np.eye(3), [0, 1, 2])), False),
    ([FrozenEstimator(GaussianNB().fit(np.eye(3), [0, 1, 2]))] * 2, False),
])
@pytest.mark.parametrize("n_y", [199, 201])
def test_X_and_y_of_different_lengths(labeled, committee, bootstrap, n_y):
    # Bootstrap rows and frozen members never meet a fit that would notice.
    X, y, _ = labeled
    X = X[:, :3]
    y = np.resize(y % 3, n_y)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: "
                                         rf"\[200, {n_y}\]"):
        CommitteeSampler(committee, bootstrap=bootstrap).fit(X, y)


def test_bad_committees(labeled):
    X, y, _ = labeled
    with pytest.raises(ValueError, match="list of 0 estimator"):
        CommitteeSampler([]).fit(X, y)
    with pytest.raises(ValueError, match="list of 1 estimator"):
        CommitteeSampler([GaussianNB()]).fit(X, y)
    with pytest.raises(TypeError, match="has no predict_proba"):
        CommitteeSampler([GaussianNB(), LinearSVC()], strategy="bald").fit(X, y)
    CommitteeSampler([GaussianNB(), LinearSVC()]).fit(X, y)  # votes need predict
    with pytest.raises(TypeError, match="has no estimators_"):
        CommitteeSampler(GaussianNB()).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'strategy' parameter"):
        CommitteeSampler([GaussianNB(), GaussianNB()], strategy="qbc").fit(X, y)
    with pytest.raises(ValueError, match="1 member"):
        CommitteeSampler(RandomForestClassifier(n_estimators=1)).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'strategy' parameter"):
        CommitteeSampler([GaussianNB(), GaussianNB()],
                         strategy="kl_consensus").fit(X, y)  # it is bald


def test_bootstrap_of_an_ensemble_is_refused(labeled):
    # An ensemble draws its members' samples itself: bootstrap=True would be
    # silently ignored.
    X, y, _ = labeled
    forest = RandomForestClassifier(5, random_state=0)
    with pytest.raises(ValueError, match="bootstrap=True fits each member of a "
                                         "list.*RandomForestClassifier"):
        CommitteeSampler(forest, bootstrap=True).fit(X, y)
    CommitteeSampler(forest).fit(X, y)

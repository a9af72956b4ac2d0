"""The public extension API: skactive.base.BaseSampler and its tags, and the
StoppingCriterion base of skactive.labeling, used as a third party would."""

from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_classification
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import euclidean_distances
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array
from sklearn.utils.validation import validate_data

from skactive import (
    CommitteeSampler,
    DiversitySampler,
    GreedySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.base import BaseSampler
from skactive.labeling import AnyOf, LabelBudget, StoppingCriterion
from skactive.utils import SamplerTags, get_sampler_tags
from skactive.utils.estimator_checks import check_sampler, sampler_checks

# --- a third-party sampler, from the public API alone (as in the guide) -------


class FarthestFromLabeled(BaseSampler):
    """Label first the samples farthest from the labeled ones."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.neighbors_ = NearestNeighbors(n_neighbors=1).fit(X)
        return self

    def _score(self, X):
        return self.neighbors_.kneighbors(check_array(X))[0][:, 0]


class FarthestFirst(FarthestFromLabeled):
    """Each pick is farthest from the labeled samples and the picks before."""

    def _select(self, X, batch_size):
        X = check_array(X)
        nearest = self._score(X)
        batch = []
        for _ in range(batch_size):
            batch.append(int(np.argmax(nearest)))
            nearest = np.minimum(nearest, euclidean_distances(X, X[batch[-1:]])[:, 0])
        return np.asarray(batch)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=False)


class RegressionOnly(FarthestFromLabeled):
    """Refuses a classification target: its tags must steer the checks."""

    def fit(self, X, y=None):
        if np.issubdtype(np.asarray(y).dtype, np.integer):
            raise ValueError("a continuous target only")
        return super().fit(X, y)

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), task_types={"regression"})


@pytest.mark.parametrize("sampler", [FarthestFromLabeled(random_state=0),
                                     FarthestFirst(random_state=0),
                                     RegressionOnly(random_state=0)])
def test_a_third_party_sampler_passes_the_checks(sampler):
    check_sampler(sampler)


def test_the_ranking_tag_chooses_the_ranking_checks():
    names = [c.__name__ for c in sampler_checks(FarthestFromLabeled())]
    assert "check_prefix_property" in names
    names = [c.__name__ for c in sampler_checks(FarthestFirst())]
    assert "check_prefix_property" not in names


def test_a_ranking_sampler_selects_its_best_scores():
    X, _ = make_blobs(n_samples=60, random_state=0)
    sampler = FarthestFromLabeled(random_state=0).fit(X[:10])
    scores = sampler.score_samples(X[10:])
    # Distances to the nearest labeled sample, by brute force.
    expected = euclidean_distances(X[10:], X[:10]).min(axis=1)
    np.testing.assert_allclose(scores, expected)
    np.testing.assert_array_equal(sampler.select(X[10:], 5),
                                  np.argsort(-expected, kind="stable")[:5])


class Lying(FarthestFirst):
    """Batch-aware, but its tags say it ranks."""

    def __skactive_tags__(self):
        return replace(super().__skactive_tags__(), ranking=True)


def test_a_ranking_tag_that_lies_is_caught():
    with pytest.raises(AssertionError, match="check_select_is_top_k_of_scores"):
        check_sampler(Lying(random_state=0))


def test_the_dask_tag_decides_whether_a_dask_pool_is_taken():
    da = pytest.importorskip("dask.array")
    X, _ = make_blobs(n_samples=60, random_state=0)
    sampler = FarthestFromLabeled().fit(X[:10])
    with pytest.raises(TypeError, match="does not take dask arrays"):
        sampler.select(da.from_array(X[10:], chunks=25), 3)


# --- tags ---------------------------------------------------------------------


def test_tags_are_frozen_and_checked():
    tags = SamplerTags()
    assert (tags.ranking, tags.streaming, tags.dask) == (True, False, False)
    assert tags.task_types == {"classification", "regression", "multilabel"}
    with pytest.raises(FrozenInstanceError):
        tags.ranking = False
    assert isinstance(SamplerTags(task_types={"regression"}).task_types, frozenset)
    with pytest.raises(ValueError, match="task_types"):
        SamplerTags(task_types={"ranking"})
    with pytest.raises(ValueError, match="task_types"):
        SamplerTags(task_types=set())


def test_an_object_without_tags_promises_least():
    class Duck:
        def select(self, X, batch_size=1):
            return np.arange(batch_size)

    tags = get_sampler_tags(Duck())
    assert (tags.ranking, tags.streaming, tags.dask) == (False, False, False)


def test_tags_of_the_wrong_type_are_refused():
    class Wrong(FarthestFromLabeled):
        def __skactive_tags__(self):
            return {"ranking": True}

    with pytest.raises(TypeError, match="must return a SamplerTags"):
        get_sampler_tags(Wrong())


@pytest.mark.parametrize("sampler, ranking, streaming, dask, task_types", [
    (RandomSampler(), True, True, True, {"classification", "regression",
                                         "multilabel"}),
    (UncertaintySampler(LogisticRegression()), True, True, True,
     {"classification", "multilabel"}),
    (UncertaintySampler(LogisticRegression(), strategy="ratio"), True, True, True,
     {"classification"}),
    (UncertaintySampler(Ridge(), strategy="std"), True, True, True, {"regression"}),
    (UncertaintySampler(LogisticRegression(), strategy="mmc"), True, True, True,
     {"multilabel"}),
    (CommitteeSampler([LogisticRegression()]), True, True, True, {"classification"}),
    (CommitteeSampler([Ridge()], strategy="prediction_variance"), True, True, True,
     {"regression"}),
    (DiversitySampler(), True, False, True, {"classification", "regression",
                                             "multilabel"}),
    (DiversitySampler(strategy="coreset"), False, False, True,
     {"classification", "regression", "multilabel"}),
    (DiversitySampler(strategy="typiclust"), False, False, False,
     {"classification", "regression", "multilabel"}),
    (GreedySampler(Ridge()), False, False, False, {"regression"}),
    (HybridSampler(UncertaintySampler(LogisticRegression())), False, False, False,
     {"classification", "multilabel"}),
])
def test_every_sampler_declares_its_tags(sampler, ranking, streaming, dask,
                                         task_types):
    tags = get_sampler_tags(sampler)
    assert (tags.ranking, tags.streaming, tags.dask) == (ranking, streaming, dask)
    assert tags.task_types == task_types


# --- a third-party stopping criterion ---------------------------------------------


class ClassSharesSettled(StoppingCriterion):
    """Stop when the predicted class shares move by less than ``tol``."""

    def __init__(self, tol=0.01):
        self.tol = tol

    def measure(self, estimator, X_stop, n_labeled):
        return np.mean(estimator.predict(X_stop)[:, None] == estimator.classes_,
                       axis=0)

    def should_stop(self, history):
        if len(history) < 2 or len(history[-1]) != len(history[-2]):
            return False
        return 0.5 * np.abs(history[-1] - history[-2]).sum() < self.tol


def test_a_third_party_criterion_records_and_decides():
    X, y = make_classification(n_samples=200, random_state=0)
    criterion = ClassSharesSettled(tol=0.05)
    first = LogisticRegression().fit(X[:20], y[:20])
    assert not criterion.update(first, X, 20)  # no previous round
    assert criterion.update(first, X, 30)  # the same shares
    np.testing.assert_allclose(criterion.history_[0],
                               np.bincount(first.predict(X), minlength=2) / 200)
    # It composes with the criteria of skactive, and clones without history.
    either = AnyOf([ClassSharesSettled(tol=0.0), LabelBudget(25)])
    assert not either.update(first, X, 20) and either.update(first, X, 30)
    assert not hasattr(either.criteria[0], "history_")


def test_should_stop_sees_a_copy_of_the_history():
    class Greedy(ClassSharesSettled):
        def should_stop(self, history):
            history.clear()
            return False

    criterion = Greedy()
    X, y = make_classification(n_samples=50, random_state=0)
    criterion.update(LogisticRegression().fit(X, y), X, 50)
    assert len(criterion.history_) == 1


def test_a_criterion_without_its_methods_cannot_be_made():
    class Incomplete(StoppingCriterion):
        def measure(self, estimator, X_stop, n_labeled):
            return 0

    with pytest.raises(TypeError, match="should_stop"):
        Incomplete()

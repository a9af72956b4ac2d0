"""Every input a Pipeline accepts, in every sampler and strategy: a list of
texts, a DataFrame with numeric and string columns, a CSR matrix and float32
arrays."""

import importlib.util
from unittest import SkipTest

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skactive import (
    CommitteeSampler,
    DiversitySampler,
    GreedySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.acquisition import bald, vote_entropy
from skactive.exceptions import SingleClassWarning
from skactive.utils import get_sampler_tags
from skactive.utils.estimator_checks import (
    check_dask_pool,
    check_n_jobs_and_chunks_invariance,
    check_select_returns_distinct_indices,
)

WORDS = {
    0: "goal match team score league coach player ball",
    1: "bread cheese soup salad recipe oven sugar pasta",
    2: "laptop code server chip network cloud python data",
}


def texts(n, seed):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 3
    docs = [" ".join(rng.choice(WORDS[c].split(), size=5)) + " the and of"
            for c in y]
    return docs, y


def frame(n, seed):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 3
    return pd.DataFrame({
        "size": y + rng.normal(scale=0.7, size=n),
        "weight": rng.normal(size=n),
        "colour": np.array(["red", "green", "blue"])[(y + (rng.rand(n) < 0.3)) % 3],
    }), y


def dense(n, seed, dtype=np.float64):
    rng = np.random.RandomState(seed)
    y = np.arange(n) % 3
    X = rng.normal(size=(n, 6)) + np.eye(3, 6)[y] * 2
    return X.astype(dtype), y


def sparse(n, seed):
    X, y = dense(n, seed)
    X[np.abs(X) < 0.8] = 0
    return sp.csr_matrix(X), y


def _column_transformer():
    return ColumnTransformer([("num", StandardScaler(), ["size", "weight"]),
                              ("cat", OneHotEncoder(handle_unknown="ignore"),
                               ["colour"])])


INPUTS = {
    "text": (texts, TfidfVectorizer),
    "dataframe": (frame, _column_transformer),
    "csr": (sparse, None),
    "float32": (lambda n, seed: dense(n, seed, np.float32), None),
}


def model(prep, C=1.0):
    classifier = LogisticRegression(C=C)
    return classifier if prep is None else make_pipeline(prep(), classifier)


def regressor(prep, model=None):
    model = Ridge() if model is None else model
    return model if prep is None else make_pipeline(prep(), model)


def embedder(prep):
    return None if prep is None else prep()


SAMPLERS = {
    **{f"uncertainty-{s}": lambda p, s=s: UncertaintySampler(model(p), strategy=s)
       for s in ("entropy", "least_confidence", "margin", "ratio",
                 "probability_variance")},
    **{f"committee-{s}": lambda p, s=s: CommitteeSampler(
        [model(p), model(p, C=0.05)], strategy=s)
       for s in ("vote_entropy", "bald")},
    "committee-bootstrap": lambda p: CommitteeSampler(
        [model(p), model(p)], strategy="bald", bootstrap=True),
    **{f"diversity-{s}-{m}": lambda p, s=s, m=m: DiversitySampler(
        embedder(p), strategy=s, metric=m,
        n_clusters=None if s == "coreset" else 3)
       for s in ("kmeans", "coreset", "typiclust") for m in ("euclidean", "cosine")},
    **{f"hybrid-{s}": lambda p, s=s: HybridSampler(
        UncertaintySampler(model(p)), DiversitySampler(embedder(p)), strategy=s,
        beta=3) for s in ("weighted_kmeans", "cluster_margin")},
    "random": lambda p: RandomSampler(),
    # Regression samplers (the labels 0, 1, 2 as numeric targets).
    **{f"greedy-{s}": lambda p, s=s: GreedySampler(regressor(p), strategy=s)
       for s in ("gsx", "gsy", "igs")},
    "uncertainty-std": lambda p: UncertaintySampler(
        regressor(p, RandomForestRegressor(n_estimators=5, random_state=0)),
        strategy="std"),
    "committee-prediction_variance": lambda p: CommitteeSampler(
        [regressor(p), regressor(p)], strategy="prediction_variance",
        bootstrap=True),
}


@pytest.mark.parametrize("input_name", list(INPUTS))
@pytest.mark.parametrize("sampler_name", list(SAMPLERS))
def test_every_sampler_on_every_input(sampler_name, input_name):
    make, prep = INPUTS[input_name]
    X, y = make(30, 0)
    X_pool, _ = make(60, 1)
    sampler = SAMPLERS[sampler_name](prep)
    check_select_returns_distinct_indices(sampler, X, y, X_pool)
    check_n_jobs_and_chunks_invariance(sampler, X, y, X_pool)
    if get_sampler_tags(sampler).dask and importlib.util.find_spec("dask"):
        if input_name in ("text", "csr"):  # no dask form: the check says so
            with pytest.raises(SkipTest, match="check_dask_pool skipped"):
                check_dask_pool(sampler, X, y, X_pool)
        else:
            check_dask_pool(sampler, X, y, X_pool)  # dask arrays and DataFrames


def test_issue_reproduction_text_diversity_on_two_documents():
    docs, _ = texts(12, 0)
    # The same embeddings, dense: the numpy path the texts must agree with.
    vectorizer = TfidfVectorizer().fit(docs[:2])
    labeled, pool = (vectorizer.transform(d).toarray() for d in (docs[:2], docs[2:]))
    for strategy in ("kmeans", "coreset", "typiclust"):
        for metric in ("euclidean", "cosine"):
            params = dict(strategy=strategy, metric=metric, random_state=0,
                          n_clusters=None if strategy == "coreset" else 2)
            sampler = DiversitySampler(TfidfVectorizer(), **params)
            picked = sampler.fit(docs[:2]).select(docs[2:], 2)
            expected = DiversitySampler(**params).fit(labeled).select(pool, 2)
            assert_array_equal(picked, expected)
            assert np.unique(picked).size == 2


def test_sparse_embeddings_are_never_densified(monkeypatch):
    docs, y = texts(40, 0)
    calls = []
    original = sp.csr_matrix.toarray

    def spy(self, *args, **kwargs):
        calls.append(self.shape)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sp.csr_matrix, "toarray", spy)
    for strategy in ("kmeans", "coreset", "typiclust"):
        DiversitySampler(TfidfVectorizer(), strategy=strategy, random_state=0,
                         n_clusters=None if strategy == "coreset" else 3,
                         ).fit(docs[:10], y[:10]).select(docs[10:], 5)
    assert not [shape for shape in calls if shape[0] > 5], calls


def test_committee_bootstrap_on_dataframes_and_texts():
    pd = pytest.importorskip("pandas")
    X, y = frame(40, 0)
    sampler = CommitteeSampler([model(_column_transformer), model(_column_transformer)],
                               strategy="bald", bootstrap=True, random_state=0)
    scores = sampler.fit(X, y).score(X)
    members = np.stack([member.predict_proba(X) for member in sampler.members_])
    assert_allclose(scores, bald(members))
    assert scores.max() > 0
    docs, y = texts(40, 0)
    # C=0.01: a member that disagrees with the other on some documents.
    sampler = CommitteeSampler([model(TfidfVectorizer), model(TfidfVectorizer, C=0.01)],
                               bootstrap=True, random_state=0).fit(docs, y)
    votes = np.column_stack([member.predict(docs) for member in sampler.members_])
    expected = vote_entropy(votes, n_classes=3)
    assert_allclose(sampler.score(docs), expected)
    assert 0 < expected.max()
    assert (expected[sampler.select(docs, 3)] == expected.max()).all()
    assert isinstance(X, pd.DataFrame)


@pytest.mark.parametrize("make_sampler", [
    lambda: UncertaintySampler(LogisticRegression(), random_state=0),
    lambda: CommitteeSampler([LogisticRegression(), LogisticRegression(C=0.1)],
                             random_state=0),
    lambda: CommitteeSampler([LogisticRegression(), LogisticRegression(C=0.1)],
                             strategy="bald", bootstrap=True, random_state=0),
    lambda: HybridSampler(UncertaintySampler(LogisticRegression()), random_state=0),
], ids=["uncertainty", "committee", "committee-bootstrap", "hybrid"])
def test_one_labeled_class_warns_and_ranks_at_random(make_sampler):
    X, _ = dense(40, 0)
    with pytest.warns(SingleClassWarning, match="single class"):
        sampler = make_sampler().fit(X[:5], np.zeros(5))
    picked = sampler.select(X, 10)
    assert np.unique(picked).size == 10
    # The seeded random order is RandomSampler's with the same seed.
    assert_array_equal(sampler.score_samples(X),
                       RandomSampler(random_state=0).fit(X).score_samples(X))
    with pytest.warns(SingleClassWarning):
        assert_array_equal(make_sampler().fit(X[:5], np.zeros(5)).select(X, 10),
                           picked)


def test_reordered_dataframe_columns_are_for_the_pipeline_to_judge():
    X, y = frame(40, 0)
    sampler = UncertaintySampler(model(_column_transformer)).fit(X, y)
    reordered = X[["colour", "weight", "size"]]
    assert_array_equal(sampler.score(reordered), sampler.score(X))
    # An estimator that needs the order still refuses it, in its own words.
    plain = UncertaintySampler(LogisticRegression()).fit(X[["size", "weight"]], y)
    with pytest.raises(ValueError, match="Feature names must be in the same order"):
        plain.score(X[["weight", "size"]])

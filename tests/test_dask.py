"""Pools held as dask arrays, scored on a local dask cluster of two worker
processes: the same scores and batches as in memory, the model sent once per
worker, and nothing on the client that grows with the pool."""

import pickle
import tracemalloc

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from skactive import (
    CommitteeSampler,
    DiversitySampler,
    GreedySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=6000, n_features=8, n_informative=5,
                               n_classes=3, random_state=0)
    return X[:150], y[:150], X[150:]


SAMPLERS = [
    UncertaintySampler(LogisticRegression(), strategy="entropy", random_state=0),
    UncertaintySampler(LogisticRegression(), strategy="margin", random_state=0),
    UncertaintySampler(LinearSVC(), strategy="margin", random_state=0),
    CommitteeSampler(RandomForestClassifier(n_estimators=10, random_state=0),
                     strategy="vote_entropy", random_state=0),
    CommitteeSampler([LogisticRegression(), RandomForestClassifier(
        n_estimators=5, random_state=0)], strategy="kl_consensus", random_state=0),
    CommitteeSampler(RandomForestClassifier(n_estimators=10, random_state=0),
                     strategy="bald", random_state=0),
    RandomSampler(random_state=0),
]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: repr(s)[:60])
def test_dask_pool_gives_the_in_memory_scores_and_batch(client, data, sampler):
    X_labeled, y_labeled, pool = data
    sampler.fit(X_labeled, y_labeled)
    dask_pool = da.from_array(pool, chunks=(1000, 4))  # column blocks too
    scores = sampler.score(dask_pool)
    assert isinstance(scores, da.Array)  # lazy: computed on the workers
    assert scores.chunks == (dask_pool.chunks[0],)
    np.testing.assert_allclose(scores.compute(), sampler.score(pool), rtol=1e-12)
    for batch_size in (1, 37, 1500):
        np.testing.assert_array_equal(sampler.select(dask_pool, batch_size),
                                      sampler.select(pool, batch_size))


def test_dask_regression_samplers(client):
    X, y = make_regression(n_samples=3000, n_features=6, random_state=0)
    pool = da.from_array(X[100:], chunks=700)
    for sampler in (UncertaintySampler(RandomForestRegressor(10, random_state=0),
                                       strategy="std", random_state=0),
                    CommitteeSampler(RandomForestRegressor(10, random_state=0),
                                     strategy="variance", random_state=0)):
        sampler.fit(X[:100], y[:100])
        np.testing.assert_allclose(sampler.score(pool).compute(),
                                   sampler.score(X[100:]), rtol=1e-12)
        np.testing.assert_array_equal(sampler.select(pool, 25),
                                      sampler.select(X[100:], 25))


def test_single_labeled_class_ranks_a_dask_pool_at_random_as_in_memory(client, data):
    X_labeled, _, pool = data
    sampler = UncertaintySampler(LogisticRegression(), random_state=4)
    with pytest.warns(UserWarning, match="single class"):
        sampler.fit(X_labeled, np.zeros(X_labeled.shape[0]))
    dask_pool = da.from_array(pool, chunks=999)
    np.testing.assert_array_equal(sampler.select(dask_pool, 10),
                                  sampler.select(pool, 10))


def test_the_model_is_one_task_of_the_graph_not_a_copy_per_block(data):
    # A model embedded in every block's task is serialized once per block;
    # as one shared task, dask sends it to each worker once.
    X_labeled, y_labeled, pool = data
    forest = RandomForestClassifier(n_estimators=30, random_state=0)
    sampler = CommitteeSampler(forest, random_state=0).fit(X_labeled, y_labeled)
    model_bytes = len(pickle.dumps(sampler.members_))
    scores = sampler.score(da.from_array(pool, chunks=500))
    graph = dict(scores.__dask_graph__())
    block_tasks = [graph[key] for key in scores.__dask_keys__()]
    shared = [task for key, task in graph.items() if "skactive-shared" in str(key)]
    assert len(block_tasks) == 12 and len(shared) == 1
    assert len(pickle.dumps(shared[0])) > model_bytes
    assert max(len(pickle.dumps(task)) for task in block_tasks) < model_bytes / 100


def test_nothing_on_the_client_grows_with_the_pool(client):
    # 640 MB of float64 pool, made lazily on the workers: the client holds
    # each block's best k only.
    X, y = make_classification(n_samples=500, n_features=20, random_state=0)
    sampler = UncertaintySampler(LogisticRegression(), strategy="entropy",
                                 random_state=0).fit(X, y)
    pool = da.random.RandomState(0).standard_normal((4_000_000, 20),
                                                    chunks=(250_000, 20))
    tracemalloc.start()
    try:
        batch = sampler.select(pool, 100)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert batch.shape == (100,) and np.unique(batch).shape == (100,)
    assert peak < pool.nbytes / 40, peak  # 16 MB against 640 MB


def test_dask_pool_errors(client, data):
    X_labeled, y_labeled, pool = data
    sampler = UncertaintySampler(LogisticRegression()).fit(X_labeled, y_labeled)
    unknown = da.from_array(pool, chunks=1000)
    unknown = unknown[unknown[:, 0] > 0]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        sampler.select(unknown, 3)
    with pytest.raises(ValueError, match="8 features"):
        sampler.select(da.from_array(pool[:, :5]), 3)
    with pytest.raises(ValueError, match="numeric"):
        sampler.select(da.from_array(pool.astype(str)), 3)
    with pytest.raises(ValueError, match="larger than the pool"):
        sampler.select(da.from_array(pool[:10]), 11)


def test_samplers_that_need_the_whole_pool_refuse_a_dask_array(client):
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    pool = da.from_array(X)
    greedy = GreedySampler(RandomForestRegressor(5, random_state=0)).fit(X, y)
    hybrid = HybridSampler(UncertaintySampler(LogisticRegression()),
                           DiversitySampler(n_clusters=2)).fit(X, y > 0)
    typiclust = DiversitySampler(strategy="typiclust", n_clusters=3).fit(X)
    for sampler in (greedy, hybrid, typiclust):
        with pytest.raises(TypeError, match="does not take dask arrays"):
            sampler.select(pool, 2)

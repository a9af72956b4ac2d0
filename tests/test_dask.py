"""Pools held as dask arrays, scored on a local dask cluster of two worker
processes: the same scores and batches as in memory, the model sent once per
worker, and nothing on the client that grows with the pool."""

import os
import pickle
import tracemalloc

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_blobs, make_classification, make_regression
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.svm import LinearSVC

from skactive import (
    CommitteeSampler,
    DiversitySampler,
    GreedySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive._samplers.diversity_dask import kmeans_centers
from skactive.acquisition import k_center_greedy, round_robin
from skactive.utils._dask import DaskFrame

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
        n_estimators=5, random_state=0)], strategy="bald", random_state=0),
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
                                     strategy="prediction_variance",
                                     random_state=0)):
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


class CountingClassifier(ClassifierMixin, BaseEstimator):
    """A logistic regression that counts, per process, how often it is
    unpickled: how many copies of the model a worker received."""

    loads = 0

    def fit(self, X, y):
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def __setstate__(self, state):
        type(self).loads += 1
        super().__setstate__(state)


def _loads():
    return CountingClassifier.loads


def test_each_worker_receives_the_model_once(client, data):
    X_labeled, y_labeled, pool = data
    model = FrozenEstimator(CountingClassifier().fit(X_labeled, y_labeled))
    sampler = UncertaintySampler(model, random_state=0).fit(X_labeled, y_labeled)
    dask_pool = da.from_array(pool, chunks=250)  # 24 blocks
    before = client.run(_loads)
    sampler.select(dask_pool, 10)
    sampler.score(dask_pool).compute()
    received = {worker: n - before[worker] for worker, n in client.run(_loads).items()}
    # Two computations, one copy each per worker, where a model embedded in
    # every task would be unpickled once per block (24). A worker that had no
    # block of a computation may not unpickle it, and on a busy machine a
    # worker that steals a task fetches the model from its peer once more per
    # computation: at most 4, far from 24.
    assert len(received) == 2 and 1 <= min(received.values()), received
    assert max(received.values()) <= 4, received


def test_joblib_dask_backend_keeps_the_model_on_the_workers(client, data):
    # n_jobs chunks of an in-memory pool on the cluster, through joblib: the
    # model goes to each worker once, not with every call (the scheduler
    # unpickles each task before it pickles it again for a worker).
    import joblib

    X_labeled, y_labeled, pool = data
    model = FrozenEstimator(CountingClassifier().fit(X_labeled, y_labeled))
    serial, parallel = (UncertaintySampler(model, n_jobs=n_jobs, chunk_size=500)
                        .fit(X_labeled, y_labeled) for n_jobs in (1, 2))
    expected = serial.score(pool)
    before = client.run(_loads)
    with joblib.parallel_config(backend="dask"):
        for _ in range(4):
            np.testing.assert_array_equal(parallel.score(pool), expected)
    received = sum(client.run(_loads).values()) - sum(before.values())
    assert 1 <= received <= 3, received  # 8 with every call: 2 tasks, 4 calls


@pytest.mark.parametrize("scheduler", ["threads", "distributed"])
def test_no_block_task_carries_the_model(client, data, scheduler):
    # A model embedded in every block's task is serialized once per block.
    # On a cluster it is scattered to the workers and is not in the graph;
    # on local schedulers it is one task that the blocks depend on.
    import dask

    X_labeled, y_labeled, pool = data
    forest = RandomForestClassifier(n_estimators=30, random_state=0)
    sampler = CommitteeSampler(forest, random_state=0).fit(X_labeled, y_labeled)
    model_bytes = len(pickle.dumps(sampler.members_))
    config = {} if scheduler == "distributed" else {"scheduler": scheduler}
    with dask.config.set(config):
        scores = sampler.score(da.from_array(pool, chunks=500))
    graph = dict(scores.__dask_graph__())
    block_tasks = [graph[key] for key in scores.__dask_keys__()]
    shared = [task for key, task in graph.items() if "skactive-shared" in str(key)]
    assert len(block_tasks) == 12
    assert max(len(pickle.dumps(task)) for task in block_tasks) < model_bytes / 100
    if scheduler == "distributed":
        assert not shared  # the graph: pool blocks and block tasks, no model
        assert max(len(pickle.dumps(task)) for task in graph.values()) < model_bytes / 4
        np.testing.assert_allclose(scores.compute(), sampler.score(pool), rtol=1e-12)
    else:
        assert len(shared) == 1 and len(pickle.dumps(shared[0])) > model_bytes


class DyingClassifier(ClassifierMixin, BaseEstimator):
    """A logistic regression whose process dies while the file ``armed``
    exists, as many times as the file says: workers lost while scoring."""

    def __init__(self, armed):
        self.armed = armed

    def fit(self, X, y):
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        if os.path.exists(self.armed):
            with open(self.armed) as file:
                deaths = int(file.read())
            if deaths > 1:
                with open(self.armed, "w") as file:
                    file.write(str(deaths - 1))
            else:
                os.remove(self.armed)
            os._exit(1)
        return self.model_.predict_proba(X)


def test_select_recovers_when_the_cluster_loses_every_worker(data, tmp_path):
    # The model is scattered to the workers: when the only worker dies, the
    # scheduler cannot recompute it (as it does the pool's blocks). select
    # scatters it again to the restarted worker and computes once more; a
    # second loss is an error that says what happened.
    X_labeled, y_labeled, pool = data
    armed = tmp_path / "armed"
    sampler = UncertaintySampler(DyingClassifier(str(armed)), random_state=0)
    sampler.fit(X_labeled, y_labeled)
    expected = sampler.select(pool, 20)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        dask_pool = da.from_array(pool, chunks=1000)
        armed.write_text("2")
        with pytest.raises(RuntimeError, match="lost every worker that held"):
            sampler.select(dask_pool, 20)
        assert not armed.exists()  # both deaths happened
        armed.write_text("1")
        np.testing.assert_array_equal(sampler.select(dask_pool, 20), expected)
        assert not armed.exists()


def test_nothing_on_the_client_grows_with_the_pool(client):
    # 640 MB of float64 pool, made lazily on the workers: the client holds
    # each block's best k only.
    X, y = make_classification(n_samples=500, n_features=20, random_state=0)
    entropy = UncertaintySampler(LogisticRegression(), strategy="entropy",
                                 random_state=0).fit(X, y)
    pool = da.random.RandomState(0).standard_normal((4_000_000, 20),
                                                    chunks=(250_000, 20))
    coreset = DiversitySampler(strategy="coreset", random_state=0).fit(X)
    for sampler, batch_size in ((entropy, 100), (coreset, 20)):
        tracemalloc.start()
        try:
            batch = sampler.select(pool, batch_size)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert np.unique(batch).shape == (batch_size,)
        assert peak < pool.nbytes / 40, peak  # 16 MB against 640 MB
        if sampler is entropy:  # its scores are cheap: check the batch by them
            scores = sampler.score(pool).compute()
            assert np.unique(scores).size == scores.size  # tie-free: sort = top-k
            np.testing.assert_array_equal(
                batch, np.argsort(-scores, kind="stable")[:batch_size])


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
        with pytest.raises(TypeError, match="does not take dask arrays or DataFrames"):
            sampler.select(pool, 2)


@pytest.fixture(scope="module")
def blobs():
    X, _ = make_blobs(n_samples=20000, n_features=5, centers=25, random_state=0)
    return X


def covering_radius(X, picks, reference=None):
    centers = X[picks] if reference is None else np.vstack([X[picks], reference])
    return pairwise_distances_argmin_min(X, centers)[1].max()


# The composed core-set's covering radius, measured, against the exact
# greedy's on blobs: the bound that scale.rst and DiversitySampler's
# docstring state (1.12 at most in the cases below, 1.06 in bench_dask.py).
# Guaranteed is 4: 4 times the optimum, which the greedy is never below.
MEASURED_RADIUS_RATIO = 1.2


def test_the_docs_state_the_tested_radius_ratio():
    from pathlib import Path

    guide = Path(__file__).parents[1] / "doc" / "user_guide" / "scale.rst"
    text = " ".join(guide.read_text(encoding="utf-8").split())
    assert f"within {MEASURED_RADIUS_RATIO} times the exact greedy's" in text
    assert "guaranteed within 4 times the optimum" in text
    docstring = " ".join(DiversitySampler.__doc__.split())
    assert f"within {MEASURED_RADIUS_RATIO}x of it on blobs" in docstring


@pytest.mark.parametrize("n_reference", [0, 30])
def test_composable_coreset_covers_within_the_measured_ratio(client, blobs,
                                                             n_reference):
    reference = blobs[:n_reference]
    sampler = DiversitySampler(strategy="coreset", random_state=0).fit(reference)
    pool = da.from_array(blobs, chunks=3000)
    np.testing.assert_allclose(sampler.score(pool).compute(), sampler.score(blobs),
                               rtol=1e-10)
    for batch_size in (5, 40, 150):
        batch = sampler.select(pool, batch_size)
        assert np.unique(batch).shape == (batch_size,)
        if n_reference:
            np.testing.assert_array_equal(
                batch, composable_coreset(blobs, reference, batch_size, 3000))
        exact = sampler.select(blobs, batch_size)
        ratio = (covering_radius(blobs, batch, reference if n_reference else None)
                 / covering_radius(blobs, exact, reference if n_reference else None))
        assert ratio <= MEASURED_RADIUS_RATIO, (batch_size, ratio)


@pytest.mark.parametrize("transformer, metric", [(None, "euclidean"),
                                                 (PCA(3, random_state=0), "cosine")])
def test_kmeans_round_robin_of_a_dask_pool_is_that_of_the_whole_pool(
        client, blobs, transformer, metric):
    sampler = DiversitySampler(transformer, n_clusters=12, metric=metric,
                               random_state=0).fit(blobs[:500])
    pool = da.from_array(blobs, chunks=(2500, 5))
    batch = sampler.select(pool, 90)
    # The round robin of the whole pool by the same clustering.
    centers = kmeans_centers(sampler, pool, 12)
    labels, distances = pairwise_distances_argmin_min(sampler.embed(blobs), centers)
    np.testing.assert_array_equal(batch, round_robin(labels, distances)[:90])
    # Streamed mini-batch k-means is a k-means: it finds the blobs.
    if transformer is None:
        inertia = (distances**2).sum()
        full = KMeans(12, random_state=0).fit(blobs).inertia_
        assert inertia < 1.2 * full


def test_diversity_on_dask_says_what_it_cannot_do(client, blobs):
    pool = da.from_array(blobs, chunks=5000)
    with pytest.raises(TypeError, match="select"):
        DiversitySampler(n_clusters=3).fit(blobs[:10]).score(pool)
    with pytest.raises(TypeError, match="partial_fit"):
        DiversitySampler(n_clusters=3, clusterer=KMeans()).fit(blobs[:10]).select(
            pool, 3)
    sampler = DiversitySampler(n_clusters=3, clusterer=MiniBatchKMeans(batch_size=256),
                               random_state=0).fit(blobs[:10])
    batch = sampler.select(pool, 3)
    # The round robin of the whole pool by the same clustering.
    centers = kmeans_centers(sampler, pool, 3)
    labels, distances = pairwise_distances_argmin_min(sampler.embed(blobs), centers)
    np.testing.assert_array_equal(batch, round_robin(labels, distances)[:3])


def composable_coreset(pool, reference, k, block_rows):
    """The composable core-set from its definition: the k-center greedy in
    each block of rows, then on the union of the blocks' picks."""
    def nearest(rows):
        return ((rows[:, None, :] - reference[None, :, :]) ** 2).sum(axis=2).min(axis=1)

    def greedy(rows):
        return k_center_greedy(rows, k, squared_distances=nearest(rows))

    union = np.concatenate([start + greedy(pool[start:start + block_rows])
                            for start in range(0, len(pool), block_rows)])
    return union[greedy(pool[union])]


@pytest.mark.parametrize("scheduler", ["threads", "synchronous"])
def test_dask_pools_need_no_cluster(data, scheduler):
    import dask

    X_labeled, y_labeled, pool = data
    sampler = CommitteeSampler(RandomForestClassifier(n_estimators=5, random_state=0),
                               random_state=0).fit(X_labeled, y_labeled)
    with dask.config.set(scheduler=scheduler):
        batch = sampler.select(da.from_array(pool, chunks=2000), 20)
        coreset = DiversitySampler(strategy="coreset").fit(X_labeled)
        picks = coreset.select(da.from_array(pool, chunks=2000), 5)
    np.testing.assert_array_equal(batch, sampler.select(pool, 20))
    np.testing.assert_array_equal(picks, composable_coreset(pool, X_labeled, 5, 2000))


def test_a_frozen_clusterer_assigns_the_pool_to_its_centers(client, blobs):
    kmeans = MiniBatchKMeans(n_clusters=8, random_state=0).fit(blobs[:2000])
    centers = kmeans.cluster_centers_.copy()
    sampler = DiversitySampler(clusterer=FrozenEstimator(kmeans)).fit(blobs[:0])
    assert sampler.n_clusters_ == 8
    labels, distances = pairwise_distances_argmin_min(blobs, kmeans.cluster_centers_)
    expected = round_robin(labels, distances)[:30]
    pool = da.from_array(blobs, chunks=3000)
    np.testing.assert_array_equal(sampler.select(pool, 30), expected)
    np.testing.assert_array_equal(sampler.select(blobs, 30), expected)
    np.testing.assert_array_equal(kmeans.cluster_centers_, centers)  # not refitted
    with pytest.raises(ValueError, match="n_clusters must be None"):
        DiversitySampler(clusterer=FrozenEstimator(kmeans), n_clusters=3).fit(blobs)
    with pytest.raises(ValueError, match="fit it"):
        DiversitySampler(clusterer=FrozenEstimator(MiniBatchKMeans())).fit(blobs)
    with pytest.raises(ValueError, match="strategy='coreset' clusters nothing"):
        DiversitySampler(strategy="coreset",
                         clusterer=FrozenEstimator(kmeans)).fit(blobs)


@pytest.fixture(scope="module")
def frames():
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    X, y = make_classification(n_samples=3000, n_features=5, n_informative=3,
                               random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    frame["colour"] = np.where(X[:, 0] > 0, "red", "blue")
    return frame[:200], y[:200], frame[200:], dd.from_pandas(frame[200:],
                                                            npartitions=5)


def test_dask_dataframe_pools_reach_a_pipeline_partition_by_partition(client,
                                                                       frames):
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    labeled, y, pool, dask_pool = frames
    encode = make_column_transformer((OneHotEncoder(), ["colour"]),
                                     remainder=StandardScaler())
    for sampler in (
        UncertaintySampler(make_pipeline(encode, LogisticRegression()),
                           random_state=0),
        CommitteeSampler([make_pipeline(encode, LogisticRegression()),
                          make_pipeline(encode, RandomForestClassifier(
                              n_estimators=5, random_state=0))], random_state=0),
        RandomSampler(random_state=0),
    ):
        sampler.fit(labeled, y)
        scores = sampler.score(dask_pool)
        assert isinstance(scores, da.Array)
        np.testing.assert_allclose(scores.compute(), sampler.score(pool), rtol=1e-12)
        np.testing.assert_array_equal(sampler.select(dask_pool, 30),
                                      sampler.select(pool, 30))
    numeric = dask_pool[[f"x{i}" for i in range(5)]]
    coreset = DiversitySampler(strategy="coreset", random_state=0).fit(
        labeled.iloc[:, :5])
    np.testing.assert_allclose(coreset.score(numeric).compute(),
                               coreset.score(pool.iloc[:, :5]), rtol=1e-10)
    kmeans = DiversitySampler(encode, n_clusters=4, random_state=0).fit(labeled)
    centers = kmeans_centers(kmeans, DaskFrame(dask_pool), 4)  # as select sees it
    labels, distances = pairwise_distances_argmin_min(kmeans.embed(pool), centers)
    np.testing.assert_array_equal(kmeans.select(dask_pool, 12),
                                  round_robin(labels, distances)[:12])
    with pytest.raises(ValueError, match="columns are missing"):
        sampler = UncertaintySampler(make_pipeline(encode, LogisticRegression()))
        sampler.fit(labeled, y).select(dask_pool[["x0", "x1"]], 3)
    with pytest.raises(ValueError, match="feature names"):
        coreset.select(dask_pool[["x0", "x1", "x2", "x4", "x3"]], 3)


@pytest.mark.parametrize("convert_string", [True, False])
def test_nullable_string_columns_with_missing_values_reach_the_pipeline(
        client, convert_string):
    # dask's dataframe.convert-string setting (on by default) makes string
    # columns pyarrow strings whose missing values are pd.NA, which
    # scikit-learn's imputers and encoders cannot compare.
    import dask
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    X, y = make_classification(n_samples=1200, n_features=4, random_state=0)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
    frame["colour"] = np.where(X[:, 0] > 0, "red", "blue")
    frame.loc[::7, "colour"] = np.nan  # as pandas reads a blank cell
    labeled, pool = frame[:200], frame[200:]
    encode = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="constant", fill_value="unknown"),
                       OneHotEncoder(handle_unknown="ignore")), ["colour"]),
        remainder="passthrough")
    sampler = UncertaintySampler(make_pipeline(encode, LogisticRegression()),
                                 random_state=0).fit(labeled, y[:200])
    with dask.config.set({"dataframe.convert-string": convert_string}):
        dask_pool = dd.from_pandas(pool, npartitions=4)
        if convert_string:
            assert dask_pool.partitions[0].compute()["colour"].dtype.na_value is pd.NA
        scores = sampler.score(dask_pool).compute()
        batch = sampler.select(dask_pool, 25)
    np.testing.assert_allclose(scores, sampler.score(pool), rtol=1e-12)
    np.testing.assert_array_equal(batch, sampler.select(pool, 25))
    assert pool["colour"].isna().sum() == 143  # the pool itself is unchanged


def test_a_scatter_that_meets_a_restarting_worker_is_tried_again():
    # Under load, the next select after a worker's death scattered the model
    # while the nanny was restarting it: CommClosedError (an OSError), and
    # the select failed although the cluster was recovering. With no worker
    # running for two seconds, the scheduler refuses the scatter with
    # "TimeoutError: No valid workers found": three quick attempts were not
    # enough under a load of 5 on two cores. It now tries until a deadline.
    from skactive.utils._dask import _scatter

    class Client:
        def __init__(self, failures):
            self.failures, self.waits = failures, 0

        def scatter(self, values, broadcast, hash):
            if self.failures:
                self.failures -= 1
                if self.failures % 2:
                    raise distributed.comm.CommClosedError("Stream is closed")
                raise TimeoutError("No valid workers found")
            return values

        def wait_for_workers(self, n_workers, timeout):
            self.waits += 1

    client = Client(failures=5)
    assert _scatter(client, "model") == "model" and client.waits == 5
    with pytest.raises(OSError):
        _scatter(Client(failures=10**9), "model", timeout=0.3)

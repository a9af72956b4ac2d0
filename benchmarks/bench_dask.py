"""Pools on a dask cluster: selection spread over worker processes.

Run: ``python benchmarks/bench_dask.py [workers throughput diversity wide]``
(``pip install ".[dask]"``; section 3 also times dask-ml's k-means when it is
installed; no argument runs all five sections, about 10 minutes on 2 cores).
In-memory baselines run on one core (``threadpool_limits(1)``), as each
dask worker does. Each figure is a ratio
against a baseline measured in the same run.

1. A 10M x 20 float32 dask array made lazily on the workers (``da.random``),
   a 100-tree RandomForestClassifier (n_jobs=1) on 1,000 labels, entropy,
   ``select(k=1000)``, on a LocalCluster of 1 and of 2 worker processes (one
   thread each), in alternation: the speed-up, the client's peak traced
   memory for a 1M- and a 10M-row pool (flat), the workers' peak RSS, and
   what travels.
2. Throughput per worker of each sampler on a 2M x 32 pool held by 2
   workers, against the same sampler on the same rows in memory on one core.
3. Composable core-set and streamed k-means against their single-machine
   versions: covering radius, inertia and time; dask-ml's k-means|| if
   installed.
4. Wide embeddings (512 float32 features, as from an image or text
   encoder), one block of 100,000 rows on one core: the cost per row that
   a plan for a billion rows multiplies.
5. The workers' malloc: dask starts them with MALLOC_TRIM_THRESHOLD_=65536,
   which also keeps every allocation above 128 KB in its own mmap, as a
   forest's per-tree outputs are; the same selection with
   MALLOC_MMAP_THRESHOLD_ raised to 32 MB, on 1 and 2 workers.
"""

import os
import pickle
import resource
import sys
import time
import tracemalloc

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.utils import gen_batches
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(__file__))

import dask  # noqa: E402
import dask.array as da  # noqa: E402
from distributed import Client, LocalCluster, wait  # noqa: E402

from skactive import (  # noqa: E402
    CommitteeSampler,
    DiversitySampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive._samplers.diversity_dask import kmeans_centers  # noqa: E402

BLOCK_ROWS = 250_000


def cluster(n_workers):
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                        dashboard_address=":0", memory_limit="4GiB")


def lazy_pool(n_samples, n_features, seed=0):
    rng = da.random.RandomState(seed)
    return rng.standard_normal((n_samples, n_features),
                               chunks=(BLOCK_ROWS, n_features)).astype(np.float32)


def labeled(n_features, n_samples=1000, seed=1):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n_samples, n_features)).astype(np.float32)
    y = (X[:, :3].sum(axis=1) > 0).astype(int) + (X[:, 3] > 1)
    return X, y


def forest_entropy():
    """Entropy of a frozen 100-tree forest (n_jobs=1) fitted on 1,000 labels:
    a single-threaded, compute-bound model."""
    X, y = labeled(20)
    forest = RandomForestClassifier(n_estimators=100, n_jobs=1,
                                    random_state=0).fit(X, y)
    return UncertaintySampler(FrozenEstimator(forest), strategy="entropy",
                              random_state=0).fit(X, y)


def client_peak(func):
    """Peak memory traced in the client process (the scheduler of a
    LocalCluster included) while ``func`` runs, and its result."""
    tracemalloc.start()
    try:
        result = func()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def worker_peak_rss(client):
    return max(client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
               .values()) * 1024


def bench_workers(n_samples=10_000_000, k=1000):
    sampler = forest_entropy()
    pool = lazy_pool(n_samples, 20)
    print(f"1. select(k={k}) by entropy of a 100-tree forest, {n_samples:,} x 20 "
          f"float32 dask array ({pool.numblocks[0]} blocks made on the workers)")
    small = lazy_pool(n_samples // 10, 20)
    with cluster(1) as one, Client(one, set_as_default=False) as c1, \
            cluster(2) as two, Client(two, set_as_default=False) as c2:
        peaks, times, batches = {}, {c1: [], c2: []}, {}

        def run(client, pool):
            with client.as_current():
                start = time.perf_counter()
                peak, batch = client_peak(lambda: sampler.select(pool, k))
                return time.perf_counter() - start, peak, batch

        for client in (c1, c2):  # warm-up: imports on the workers
            peaks[client, small.shape[0]] = run(client, small)[1]
        for _ in range(3):  # in alternation, as the machine's speed drifts
            for client in (c1, c2):
                seconds, peaks[client, n_samples], batches[client] = run(client, pool)
                times[client].append(seconds)
        assert np.array_equal(batches[c1], batches[c2])
        t1, t2 = np.median(times[c1]), np.median(times[c2])
        print(f"   1 worker  {t1:7.1f} s  {n_samples / t1 / 1e6:.2f} M rows/s")
        print(f"   2 workers {t2:7.1f} s  {n_samples / t2 / 1e6:.2f} M rows/s  "
              f"speed-up {t1 / t2:.2f}x (same batch; runs "
              f"{', '.join(f'{t:.1f}' for t in times[c1] + times[c2])} s)")
        for client, name in ((c1, "1 worker"), (c2, "2 workers")):
            print(f"   client peak, {name}: "
                  f"{peaks[client, small.shape[0]] / 2**20:.1f} MB for "
                  f"{small.shape[0]:,} rows, {peaks[client, n_samples] / 2**20:.1f} "
                  f"MB for {n_samples:,} rows (the pool: "
                  f"{pool.nbytes / 2**20:,.0f} MB)")
        print(f"   worker peak RSS {worker_peak_rss(c2) / 2**20:.0f} MB "
              f"(blocks of {BLOCK_ROWS * 20 * 4 / 2**20:.0f} MB)")
        model = len(pickle.dumps(sampler.estimator_))
        results = pool.numblocks[0] * k * 16
        print(f"   travels: the model ({model / 2**20:.1f} MB) once per worker, "
              f"{k} (index, score) pairs per block back to the client "
              f"({results / 2**20:.1f} MB); the pool never leaves the workers")


def samplers(X, y):
    forest = RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0)
    return {
        "margin, logistic regression": UncertaintySampler(
            LogisticRegression(max_iter=1000), strategy="margin"),
        "entropy, 100-tree forest": UncertaintySampler(forest, strategy="entropy"),
        "vote entropy, 100-tree forest": CommitteeSampler(forest),
        "BALD, 100-tree forest": CommitteeSampler(forest, strategy="bald"),
        "random": RandomSampler(),
        "core-set, k=100 (composable)": DiversitySampler(strategy="coreset"),
        "k-means, 50 clusters (streamed)": DiversitySampler(n_clusters=50),
    }


def bench_throughput(n_samples=2_000_000, n_features=32, k=100):
    X, y = labeled(n_features)
    pool = lazy_pool(n_samples, n_features, seed=2)
    rows = 200_000  # the in-memory baseline, on one core
    print(f"\n2. throughput, {n_samples:,} x {n_features} float32 pool held by 2 "
          f"workers, select(k={k}); baseline: the same sampler on {rows:,} rows "
          "in memory, one core")
    with cluster(2) as two, Client(two) as client:
        pool = pool.persist()
        wait(pool)
        local = pool[:rows].compute()
        print(f"   {'sampler':<34}{'per worker':>14}{'in memory':>14}{'ratio':>8}")
        for name, sampler in samplers(X, y).items():
            sampler.set_params(random_state=0).fit(X, y)
            sampler.select(pool[:BLOCK_ROWS], k)  # warm-up: imports on the workers
            start = time.perf_counter()
            sampler.select(pool, k)
            on_dask = n_samples / (time.perf_counter() - start) / 2
            with threadpool_limits(1):
                start = time.perf_counter()
                sampler.select(local, k)
                in_memory = rows / (time.perf_counter() - start)
            print(f"   {name:<34}{on_dask / 1e6:>9.2f} M/s{in_memory / 1e6:>9.2f} M/s"
                  f"{on_dask / in_memory:>8.2f}")
        client.cancel(pool)


def covering_radius(X, centers):
    return pairwise_distances_argmin_min(X, centers)[1].max()


def bench_diversity(n_samples=1_000_000, n_features=16, k=200, n_clusters=50):
    means = da.from_array(np.random.RandomState(3).uniform(-10, 10, (60, n_features)))
    rng = da.random.RandomState(3)
    chunks = (BLOCK_ROWS // 2, n_features)
    pool = (means[rng.randint(60, size=n_samples, chunks=chunks[0])]
            + rng.standard_normal((n_samples, n_features), chunks=chunks))
    print(f"\n3. diversity on {n_samples:,} x {n_features} blobs, 2 workers "
          "against one process")
    with cluster(2) as two, Client(two):
        pool = pool.astype(np.float32).rechunk(chunks).persist()
        wait(pool)
        blobs = pool.compute()
        coreset = DiversitySampler(strategy="coreset", random_state=0).fit(blobs[:0])
        coreset.select(pool[:1000], 10)  # warm-up: imports on the workers
        start = time.perf_counter()
        composed = coreset.select(pool, k)
        t_dask = time.perf_counter() - start
        with threadpool_limits(1):
            start = time.perf_counter()
            exact = coreset.select(blobs, k)
            t_exact = time.perf_counter() - start
        ratio = (covering_radius(blobs, blobs[composed])
                 / covering_radius(blobs, blobs[exact]))
        print(f"   core-set k={k}: covering radius {ratio:.2f}x the exact greedy's "
              f"(bound 2); {t_dask:.1f} s on 2 workers vs {t_exact:.1f} s in "
              f"memory, one core ({t_exact / t_dask:.2f}x)")

        kmeans = DiversitySampler(n_clusters=n_clusters, random_state=0).fit(blobs[:0])
        start = time.perf_counter()
        centers = kmeans_centers(kmeans, pool, n_clusters)
        t_stream = time.perf_counter() - start
        with threadpool_limits(1):
            start = time.perf_counter()
            full = KMeans(n_clusters, random_state=0).fit(blobs)
            t_full = time.perf_counter() - start
        inertia = (pairwise_distances_argmin_min(blobs, centers)[1] ** 2).sum()
        print(f"   k-means: streamed MiniBatchKMeans {t_stream:.1f} s, inertia "
              f"{inertia / full.inertia_:.3f}x KMeans' in memory, one core "
              f"({t_full:.1f} s, {t_full / t_stream:.2f}x)")
        try:
            from dask_ml.cluster import KMeans as DaskKMeans
        except ImportError:
            print("   dask-ml is not installed: its k-means|| is not measured")
            return
        kmeans.set_params(clusterer=DaskKMeans())
        start = time.perf_counter()
        centers = kmeans_centers(kmeans, pool, n_clusters)
        t_ml = time.perf_counter() - start
        inertia = (pairwise_distances_argmin_min(blobs, centers)[1] ** 2).sum()
        print(f"   k-means: dask-ml k-means|| {t_ml:.1f} s ({t_ml / t_stream:.1f}x "
              f"the streamed one), inertia {inertia / full.inertia_:.3f}x KMeans'")


def bench_wide(n_samples=100_000, n_features=512, k=1000):
    rng = np.random.RandomState(4)
    block = rng.standard_normal((n_samples, n_features)).astype(np.float32)
    X = rng.standard_normal((2000, n_features)).astype(np.float32)
    y = np.argmax(X[:, :10], axis=1)  # ten classes
    print(f"\n4. one block of {n_samples:,} x {n_features} float32 on one core, "
          f"select(k={k}); floor: reading the block (a sum over it)")
    start = time.perf_counter()
    block.sum()
    floor = time.perf_counter() - start
    for name, sampler in (
        ("margin, logistic regression, 10 classes",
         UncertaintySampler(LogisticRegression(max_iter=200), strategy="margin")),
        ("core-set, 1,000 labeled", DiversitySampler(strategy="coreset")),
    ):
        sampler.set_params(random_state=0).fit(X[:1000], y[:1000])
        with threadpool_limits(1):
            start = time.perf_counter()
            sampler.select(block, k)
            seconds = time.perf_counter() - start
        print(f"   {name:<42}{n_samples / seconds / 1e6:8.3f} M rows/s per core "
              f"({seconds / floor:.0f}x the read)")
    # The streamed k-means fit: one partial_fit per mini-batch of a block.
    clusterer = MiniBatchKMeans(n_clusters=50, random_state=0)
    with threadpool_limits(1):
        start = time.perf_counter()
        for rows in gen_batches(n_samples, 1024):
            clusterer.partial_fit(block[rows])
        seconds = time.perf_counter() - start
    print(f"   {'k-means fit, 50 clusters, streamed':<42}"
          f"{n_samples / seconds / 1e6:8.3f} M rows/s per core "
          f"({seconds / floor:.0f}x the read)")
    # Assigning the pool to the centers of a clusterer fitted on a sample.
    frozen = DiversitySampler(clusterer=FrozenEstimator(clusterer)).fit(X[:0])
    with threadpool_limits(1):
        start = time.perf_counter()
        frozen.select(block, k)
        seconds = time.perf_counter() - start
    print(f"   {'k-means round robin, 50 frozen centers':<42}"
          f"{n_samples / seconds / 1e6:8.3f} M rows/s per core "
          f"({seconds / floor:.0f}x the read)")


def bench_malloc(n_samples=2_000_000, k=1000):
    sampler = forest_entropy()
    pool = lazy_pool(n_samples, 20)
    print(f"\n5. the workers' malloc, entropy of a 100-tree forest, {n_samples:,} "
          f"x 20, select(k={k}); seconds and the workers' system CPU time")
    key = "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_"
    for name, config in (("dask's default", {}), ("mmap threshold 32 MB",
                                                  {key: str(2**25)})):
        seconds = {}
        for n_workers in (1, 2):
            with dask.config.set(config), cluster(n_workers) as workers, \
                    Client(workers) as client:
                sampler.select(pool[:BLOCK_ROWS], k)  # warm-up
                before = client.run(_system_time)
                start = time.perf_counter()
                sampler.select(pool, k)
                seconds[n_workers] = time.perf_counter() - start
                system = sum(t - before[w] for w, t in client.run(_system_time).items())
            print(f"   {name:<22} {n_workers} worker(s) {seconds[n_workers]:5.1f} s, "
                  f"system {system:4.1f} s")
        print(f"   {name:<22} speed-up {seconds[1] / seconds[2]:.2f}x")


def _system_time():
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


SECTIONS = {"workers": bench_workers, "throughput": bench_throughput,
            "diversity": bench_diversity, "wide": bench_wide,
            "malloc": bench_malloc}

if __name__ == "__main__":
    for section in sys.argv[1:] or SECTIONS:
        SECTIONS[section]()

"""BADGE and ProbCover: the evidence of issue 26.

Run: ``python benchmarks/bench_badge_probcover.py`` (about 15 minutes on two
cores; ``--quick`` for a smoke run with 2 repeats and small pools;
``--peer`` for (d) alone).

(a) Cold start on the digits embedded by PCA (fitted on the pool, no label
    used), budgets 10, 20 and 40 labels, 10 repeats (a new stratified
    pool/test split and seed each): ProbCover (purity 0.95, the paper's,
    and 0.8) vs TypiClust vs k-means
    diversity (one cluster per label, the member nearest each centroid) vs
    random. Accuracy of a logistic regression trained on the picks, in the
    same PCA space, on the test quarter.
(b) Batches of 20 on the digits and breast cancer with a (scaled) logistic
    regression, 10 rounds after one label per class, 10 repeats of
    :func:`skactive.experiment.run_experiment`: BADGE vs margin vs weighted
    k-means vs random, mean AUBC of the accuracy curve (± its standard
    deviation over the repeats).
(c) Scale: BADGE on 100k x 64 embeddings, 10 classes, a batch of 1,000:
    time and traced peak memory (tracemalloc) of the seeding from the
    factors against the same seeding on the explicit 100k x 650 matrix;
    ProbCover on 100k points in 16 dimensions (radius by purity, k-means
    pseudo-labels, a batch of 1,000): time and peak.
(d) Peer: with scikit-activeml installed (``pip install '.[bench]'``), its
    ``Badge`` and skactive's ``BadgeSampler`` choose a batch of 100 from the
    same 20,000 x 64 pool with the same fitted logistic regression, 10
    classes, in the same run: time and traced peak of each.
"""

import os
import sys
import time
import tracemalloc

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, make_blobs
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(__file__))

from skactive import (  # noqa: E402
    BadgeSampler,
    DiversitySampler,
    HybridSampler,
    RandomSampler,
    UncertaintySampler,
)
from skactive.acquisition import (  # noqa: E402
    factored_kmeans_plusplus,
    gradient_embedding,
    gradient_embedding_factors,
)
from skactive.experiment import run_experiment  # noqa: E402

QUICK = "--quick" in sys.argv
REPEATS = 2 if QUICK else 10


def cold_start_samplers(budget, seed):
    return {
        "probcover": DiversitySampler(strategy="probcover", n_clusters=10,
                                      random_state=seed),
        # The paper's 0.95 purity leaves small balls on PCA embeddings of
        # the digits; a lower purity, larger balls.
        "probcover_0.8": DiversitySampler(strategy="probcover", n_clusters=10,
                                          purity=0.8, random_state=seed),
        "typiclust": DiversitySampler(strategy="typiclust", random_state=seed),
        "kmeans": DiversitySampler(n_clusters=budget, random_state=seed),
        "random": RandomSampler(random_state=seed),
    }


def cold_start(budgets=(10, 20, 40)):
    X, y = load_digits(return_X_y=True)
    names = list(cold_start_samplers(10, 0))
    accuracy = {(n, b): [] for n in names for b in budgets}
    for seed in range(REPEATS):
        X_pool, X_test, y_pool, y_test = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=seed)
        pca = PCA(n_components=20, random_state=seed).fit(X_pool)
        E_pool, E_test = pca.transform(X_pool), pca.transform(X_test)
        for budget in budgets:
            for name, sampler in cold_start_samplers(budget, seed).items():
                # No label yet: the diversity samplers fit on no sample;
                # RandomSampler, which learns nothing, on the pool.
                labeled = E_pool if name == "random" else E_pool[:0]
                picks = sampler.fit(labeled).select(E_pool, budget)
                model = LogisticRegression(max_iter=2000).fit(E_pool[picks],
                                                              y_pool[picks])
                accuracy[name, budget].append(model.score(E_test, y_test))
    print(f"\n(a) cold start on the digits, PCA(20) embedding, {REPEATS} repeats: "
          "test accuracy, mean ± std")
    print(f"{'labels':>8}" + "".join(f"{n:>17}" for n in names))
    for budget in budgets:
        cells = "".join(f"{np.mean(accuracy[n, budget]):>10.3f} ± "
                        f"{np.std(accuracy[n, budget]):.3f}" for n in names)
        print(f"{budget:>8}{cells}")


def batch_samplers(estimator):
    return {
        "badge": BadgeSampler(estimator),
        "margin": UncertaintySampler(estimator, strategy="margin"),
        "weighted_kmeans": HybridSampler(UncertaintySampler(estimator),
                                         strategy="weighted_kmeans"),
        "random": RandomSampler(),
    }


def batches(rounds=10):
    estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    datasets = {"digits": load_digits(return_X_y=True),
                "breast_cancer": load_breast_cancer(return_X_y=True)}
    print(f"\n(b) batches of 20, {rounds} rounds, logistic regression, "
          f"{REPEATS} repeats: mean AUBC (accuracy) ± std over the repeats")
    names = list(batch_samplers(estimator))
    print(f"{'data set':>14}" + "".join(f"{n:>19}" for n in names))
    for dataset, (X, y) in datasets.items():
        result = run_experiment(estimator, batch_samplers(estimator), X, y,
                                batch_size=20, n_rounds=rounds, n_repeats=REPEATS,
                                random_state=0, n_jobs=2)
        areas = result.aubc_per_repeat()
        cells = "".join(f"{areas[n].mean():>12.4f} ± {areas[n].std():.4f}"
                        for n in names)
        print(f"{dataset:>14}{cells}")


def traced(func):
    """``func()``'s result, its wall time and its traced peak (bytes)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = func()
        return result, time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def scale_badge(n_samples=100_000, n_features=64, n_classes=10, k=1000):
    if QUICK:
        n_samples, k = 10_000, 100
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n_samples, n_features))
    probabilities = rng.dirichlet(np.full(n_classes, 0.3), size=n_samples)
    print(f"\n(c) BADGE, {n_samples:,} x {n_features} embeddings, {n_classes} "
          f"classes, a batch of {k:,} (input arrays: "
          f"{(X.nbytes + probabilities.nbytes) / 2**20:.0f} MB)")

    def factored():
        residuals, features = gradient_embedding_factors(probabilities, X)
        return factored_kmeans_plusplus(residuals, features, k, random_state=0)

    def explicit():
        embedding = gradient_embedding(probabilities, X)
        return factored_kmeans_plusplus(embedding, np.ones((n_samples, 1)), k,
                                        random_state=0)

    ours, our_time, our_peak = traced(factored)
    theirs, their_time, their_peak = traced(explicit)
    print(f"   from the factors    {our_time:8.1f} s   peak {our_peak / 2**20:8.1f} MB")
    print(f"   explicit matrix     {their_time:8.1f} s   peak "
          f"{their_peak / 2**20:8.1f} MB")
    print(f"   factors: {our_time / their_time:.2f}x the time, "
          f"{our_peak / their_peak:.3f} of the peak; same batch: "
          f"{np.array_equal(ours, theirs)}")


def scale_probcover(n_samples=100_000, n_features=16, k=1000):
    if QUICK:
        n_samples, k = 10_000, 100
    X, _ = make_blobs(n_samples=n_samples, n_features=n_features, centers=10,
                      cluster_std=4.0, random_state=0)
    sampler = DiversitySampler(strategy="probcover", n_clusters=10, random_state=0)
    sampler.fit(X[:0])
    picks, seconds, peak = traced(lambda: sampler.select(X, k))
    print(f"\n   ProbCover, {n_samples:,} x {n_features} (10 overlapping blobs), "
          f"a batch of {k:,}: {seconds:.1f} s, peak {peak / 2**20:.1f} MB "
          f"(the pool: {X.nbytes / 2**20:.0f} MB); {np.unique(picks).size} "
          "distinct picks")


def peer_badge(n_samples=20_000, n_features=64, n_classes=10, k=100):
    try:
        from skactiveml.classifier import SklearnClassifier
        from skactiveml.pool import Badge
    except ImportError:
        print("\n(d) scikit-activeml not installed: pip install '.[bench]'")
        return
    if QUICK:
        n_samples, k = 5_000, 20
    X, y = make_blobs(n_samples=n_samples + 200, n_features=n_features,
                      centers=n_classes, cluster_std=8.0, random_state=0)
    model = LogisticRegression(max_iter=1000).fit(X[:200], y[:200])
    y_partial = np.full(X.shape[0], np.nan)
    y_partial[:200] = y[:200]
    clf = SklearnClassifier(model, classes=np.arange(n_classes),
                            random_state=0).fit(X, y_partial)

    def theirs():
        return Badge(random_state=0).query(X, y_partial, clf, fit_clf=False,
                                           batch_size=k)

    sampler = BadgeSampler(model, random_state=0).fit(X[:200], y[:200])
    _, their_time, their_peak = traced(theirs)
    _, our_time, our_peak = traced(lambda: sampler.select(X[200:], k))
    print(f"\n(d) BADGE against scikit-activeml's Badge, {n_samples:,} x "
          f"{n_features}, {n_classes} classes, a batch of {k}")
    print(f"   scikit-activeml Badge  {their_time:8.2f} s   peak "
          f"{their_peak / 2**20:8.1f} MB")
    print(f"   skactive BadgeSampler  {our_time:8.2f} s   peak "
          f"{our_peak / 2**20:8.1f} MB")
    print(f"   skactive: {their_time / our_time:.1f}x faster, "
          f"{their_peak / our_peak:.1f}x less peak memory")


if __name__ == "__main__":
    if "--peer" in sys.argv:
        peer_badge()
        sys.exit()
    cold_start()
    batches()
    scale_badge()
    scale_probcover()
    peer_badge()

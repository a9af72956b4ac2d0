"""ProbCover for :class:`~skactive.DiversitySampler` (``strategy="probcover"``):
the radius of the balls, the coverage graph of the pool, its scores and
batch. Functions of the fitted sampler, as in ``diversity_dask``."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.sparse as sp

from ..acquisition import coverage_graph, max_coverage, purity_radius

DEFAULT_PURITY = 0.95


def check_probcover_parameters(sampler):
    """Refuse ``delta`` and ``purity`` where they would be ignored."""
    strategy, delta, purity = sampler.strategy, sampler.delta, sampler.purity
    if strategy != "probcover":
        for name, value in (("delta", delta), ("purity", purity)):
            if value is not None:
                raise ValueError(
                    f"{name}={value!r} sets the balls of strategy='probcover'; "
                    f"strategy={strategy!r} would ignore it: leave {name}=None.")
        return
    if delta is None:
        return
    for name, value in (("purity", purity), ("n_clusters", sampler.n_clusters),
                        ("clusterer", sampler.clusterer)):
        if value is not None:
            raise ValueError(
                f"{name}={value!r} serves the choice of the radius by purity; "
                f"delta={delta!r} gives the radius, so {name} would be ignored: "
                f"leave {name}=None, or delta=None to choose the radius by "
                "purity.")


def probcover_radius(sampler, embeddings, reference):
    """The radius of the balls: ``delta``, or the largest whose balls keep
    ``purity`` with respect to k-means pseudo-labels of the pool and the
    labeled samples together (both scaled as given)."""
    data = embeddings
    if reference is not None:
        stack = sp.vstack if sp.issparse(embeddings) else np.vstack
        data = stack([reference, embeddings])
    labels = sampler._cluster(data, sampler.n_clusters_)[0]
    if np.unique(labels).shape[0] < 2:
        return 0.0  # one point (or copies of it): balls hold nothing else
    purity = DEFAULT_PURITY if sampler.purity is None else sampler.purity
    return purity_radius(data, labels, purity=purity)


def _coverage(sampler, embeddings):
    """The pool's coverage graph and the samples its labeled samples cover."""
    scale, embeddings, reference = sampler._scaled(embeddings)
    if sampler.delta is not None:
        radius = sampler.delta / scale
    else:
        radius = probcover_radius(sampler, embeddings, reference)
    graph = coverage_graph(embeddings, radius, n_jobs=sampler.n_jobs)
    covered = np.zeros(embeddings.shape[0], dtype=bool)
    if reference is not None:
        squared = sampler._squared_distances_to(embeddings, reference)
        covered = np.sqrt(squared) <= radius
    return graph, covered


def probcover_scores(sampler, embeddings):
    """Number of uncovered pool samples in each sample's ball."""
    graph, covered = _coverage(sampler, embeddings)
    graph.data[:] = 1.0
    return np.asarray(graph @ (~covered).astype(np.float64)).ravel()


def probcover_select(sampler, embeddings, batch_size):
    """ProbCover's greedy maximum coverage of the pool."""
    graph, covered = _coverage(sampler, embeddings)
    return max_coverage(graph, batch_size, covered=covered,
                        random_state=sampler.random_state)

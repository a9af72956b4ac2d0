"""The clusterer a sampler fits: the user's, or a default, set up anew."""

# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import clone


def clusterer_for(clusterer, default, *, n_clusters, random_state):
    """A clone of ``clusterer`` (``default`` when None) with ``n_clusters``
    and ``random_state`` set: the sampler decides both, whatever the user's
    clusterer held."""
    clusterer = clone(default if clusterer is None else clusterer)
    return clusterer.set_params(n_clusters=n_clusters, random_state=random_state)

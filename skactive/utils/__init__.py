"""Utilities for people who write samplers: the sampler tags
(:class:`SamplerTags`, :func:`get_sampler_tags`) and the checks of
:mod:`skactive.utils.estimator_checks`."""

# SPDX-License-Identifier: BSD-3-Clause

from ._tags import SamplerTags, get_sampler_tags

__all__ = ["SamplerTags", "get_sampler_tags"]

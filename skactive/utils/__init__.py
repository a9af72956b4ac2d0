"""Utilities for people who write samplers: :mod:`skactive.utils.estimator_checks`."""

# SPDX-License-Identifier: BSD-3-Clause

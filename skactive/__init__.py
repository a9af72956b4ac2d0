"""Active learning for scikit-learn: samplers that pick what to label next."""

# SPDX-License-Identifier: BSD-3-Clause

from ._samplers.albl import ALBLSampler
from ._samplers.badge import BadgeSampler
from ._samplers.bmdr import BMDRSampler
from ._samplers.committee import CommitteeSampler
from ._samplers.density import DensitySampler
from ._samplers.diversity import DiversitySampler
from ._samplers.error_reduction import ExpectedErrorReductionSampler
from ._samplers.greedy import GreedySampler
from ._samplers.hierarchical import HierarchicalSampler
from ._samplers.hintsvm import HintSVMSampler
from ._samplers.hybrid import HybridSampler
from ._samplers.lal import LALSampler
from ._samplers.margin_clusters import MarginClusterSampler
from ._samplers.quire import QUIRESampler
from ._samplers.random import RandomSampler
from ._samplers.spal import SPALSampler
from ._samplers.stream import StreamSampler
from ._samplers.uncertainty import UncertaintySampler
from ._samplers.variance_reduction import VarianceReductionSampler
from .acquisition import select_groups, select_within_budget

__version__ = "0.1.0.dev0"

__all__ = ["ALBLSampler", "BadgeSampler", "BMDRSampler", "CommitteeSampler",
           "DensitySampler", "DiversitySampler", "ExpectedErrorReductionSampler",
           "GreedySampler", "HierarchicalSampler", "HintSVMSampler", "HybridSampler",
           "LALSampler", "MarginClusterSampler", "QUIRESampler", "RandomSampler",
           "select_groups", "select_within_budget", "SPALSampler", "StreamSampler",
           "UncertaintySampler", "VarianceReductionSampler", "__version__"]

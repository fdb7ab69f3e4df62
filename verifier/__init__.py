"""convac-verifier: exact checks of Cohen, Sharir & Shashua, *On the Expressive Power of Deep
Learning: A Tensor Analysis* (COLT 2016, arXiv 1509.05009).

The main entry points:

* architectures :class:`DeepArch`, :class:`ShallowArch`, :class:`DepthArch` (Theorem 2); weights :func:`random_weights`,
  :func:`witness_weights`, :func:`weights_from_arrays`, :func:`symbolic_weights`;
* :func:`coefficient_tensor` (exact or mod p), :func:`evaluate` (the network itself),
  :func:`parse_partition` and :func:`matricize`;
* :func:`matricization_rank` (a certified rank with its lower and upper bound) and
  :func:`certify_matrix_rank` for any exact matrix; :func:`modular_rank` (rank over GF(p) at BLAS speed);
* :func:`check_theorem1`, returning a :class:`Report`.

The package is layered, each layer using only those below it (``docs/ARCHITECTURE.md``):
:mod:`verifier.exact` (numbers, rank engines, certificates) -> :mod:`verifier.nets` (mode trees,
architectures, weights, coefficient tensors) -> :mod:`verifier.rank` (certified ranks of matricizations)
-> :mod:`verifier.theorems` (one module per statement) -> :mod:`verifier.cli`; :mod:`verifier.render`
renders reports and tables.

Examples
--------
>>> import verifier as cv
>>> arch = cv.DeepArch(N=8, M=3, widths=(3, 3, 3))
>>> rep = cv.matricization_rank(cv.random_weights(arch, seed=0), cv.parse_partition("odd-even", 8))
>>> rep.certificate.rank, rep.certificate.certified
(81, True)
"""

from .errors import InvalidArgumentError, SizeLimitError, VerifierError
from .exact.certify import Bound, RankCertificate, certify_matrix_rank, certify_rank
from .exact.modular import modular_rank
from .exact.tensors import Partition, matricize, parse_partition
from .nets.architectures import DeepArch, DepthArch, ShallowArch
from .nets.coefficients import coefficient_tensor
from .nets.evaluate import evaluate
from .nets.weights import Weights, random_weights, symbolic_weights, weights_from_arrays, witness_weights
from .rank.matricization import matricization_rank, structural_upper_bounds
from .render.reports import Report, Step
from .theorems.theorem1 import check_theorem1

__version__ = "0.1.0"

__all__ = [
    "Bound", "DeepArch", "DepthArch", "InvalidArgumentError", "Partition", "RankCertificate", "Report", "ShallowArch",
    "SizeLimitError", "Step", "VerifierError", "Weights", "certify_matrix_rank", "certify_rank", "check_theorem1",
    "coefficient_tensor", "evaluate", "matricization_rank", "matricize", "modular_rank", "parse_partition", "random_weights",
    "structural_upper_bounds", "symbolic_weights", "weights_from_arrays", "witness_weights",
]

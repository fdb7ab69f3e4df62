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

import importlib

from .errors import InvalidArgumentError, SizeLimitError, VerifierError

#: Public name -> the module that defines it. Imported on first use, so that ``verifier`` (and the command
#: line, which must answer Ctrl-C cleanly from its first instant) starts without loading numpy and sympy.
_EXPORTS = {
    "InvalidArgumentError": ".errors",
    "SizeLimitError": ".errors",
    "VerifierError": ".errors",
    "Bound": ".exact.certify",
    "RankCertificate": ".exact.certify",
    "certify_matrix_rank": ".exact.certify",
    "certify_rank": ".exact.certify",
    "modular_rank": ".exact.modular",
    "Partition": ".exact.tensors",
    "matricize": ".exact.tensors",
    "parse_partition": ".exact.tensors",
    "DeepArch": ".nets.architectures",
    "DepthArch": ".nets.architectures",
    "ShallowArch": ".nets.architectures",
    "coefficient_tensor": ".nets.coefficients",
    "evaluate": ".nets.evaluate",
    "Weights": ".nets.weights",
    "random_weights": ".nets.weights",
    "symbolic_weights": ".nets.weights",
    "weights_from_arrays": ".nets.weights",
    "witness_weights": ".nets.weights",
    "matricization_rank": ".rank.matricization",
    "structural_upper_bounds": ".rank.matricization",
    "Report": ".render.reports",
    "Step": ".render.reports",
    "check_theorem1": ".theorems.theorem1",
    "TTArch": ".nets.tt",
    "tt_rank": ".rank.tt",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'verifier' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))


__version__ = "0.1.0"

__all__ = [
    "Bound", "DeepArch", "DepthArch", "InvalidArgumentError", "Partition", "RankCertificate", "Report", "ShallowArch",
    "SizeLimitError", "Step", "VerifierError", "Weights", "certify_matrix_rank", "certify_rank", "check_theorem1",
    "coefficient_tensor", "evaluate", "matricization_rank", "matricize", "modular_rank", "parse_partition", "random_weights",
    "structural_upper_bounds", "symbolic_weights", "weights_from_arrays", "witness_weights",
    "TTArch", "tt_rank",
]

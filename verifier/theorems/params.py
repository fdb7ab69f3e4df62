"""Parameter counts and the size separations of Corollaries 1 and 2, as exact integers and fractions.

Counts (MATH.md section 3; Y outputs, the representation layer not counted) come from the architecture
objects (``n_weights``):

* shallow, Z channels: ``N M Z + Y Z`` unshared, ``M Z + Y Z`` shared;
* deep: ``sum_{l=0..L-1} (N / 2^l) r_{l-1} r_l + Y r_{L-1}`` unshared, ``sum_l r_{l-1} r_l + Y r_{L-1}``
  shared (``r_{-1} = M``);
* depth ``L_c`` (:class:`~verifier.nets.architectures.DepthArch`): the same sum over its ``L_c`` layers.

Corollary 1: a shallow net (shared or not) realizing the deep tensor needs ``Z >= Z* = r^{N/2}``,
``r = min(r_0, M)``, wherever ``rank [A] = r^{N/2}`` (almost everywhere, Theorem 1). Corollary 2: a
depth-``L_c`` net needs last width ``>= R = r^{N/2^{L_c}}`` with ``r = min(r_0..r_{L_c-1}, M)``; since
parameter counts grow with every width, no such net has fewer parameters than the one with widths
``(1, .., 1, R)``. These are LOWER bounds on the size of the realizing nets.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> s = corollary1_comparison(DeepArch(N=8, M=3, widths=(3, 3, 3)))
>>> s.deep_params, s.Z_star, s.shallow_params, s.ratio
(129, 81, 2025, Fraction(675, 43))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import invalid
from ..nets.architectures import DeepArch, DepthArch, ShallowArch, check_depth
from ..nets.weights import check_arch


def _check_binary(arch) -> None:
    """Corollaries 1 and 2 are about the paper's net: a DeepArch with the binary geometry."""
    if not isinstance(arch, DeepArch):
        raise invalid("arch", "a DeepArch", type(arch).__name__)
    if arch.tree.name != "binary":
        raise invalid("arch", "a deep net with the binary geometry (Corollaries 1 and 2 compare the paper's net)",
                      f"the {arch.tree.name} geometry")


def parameter_count(arch) -> int:
    """Number of scalar weights of any architecture (shallow, deep, depth-``L_c``).

    Examples
    --------
    >>> parameter_count(ShallowArch(N=4, M=2, Z=3, shared=True))
    9
    """
    check_arch(arch)
    return arch.n_weights


def shallow_parameters(N: int, M: int, Z: int, Y: int = 1, shared: bool = False) -> int:
    """``N M Z + Y Z`` (unshared) or ``M Z + Y Z`` (shared); Z may be astronomically large.

    Examples
    --------
    >>> shallow_parameters(1024, 3, 2**512) == 3073 * 2**512
    True
    """
    return ShallowArch(N=N, M=M, Z=Z, Y=Y, shared=shared).n_weights


@dataclass(frozen=True)
class Separation:
    """Deep net versus the smallest shallow net the rank argument admits (Corollary 1).

    Attributes
    ----------
    arch : DeepArch
    Z_star : int
        ``min(r_0, M)^{N/2}``, the least number of shallow channels not excluded by Lemma C.
    deep_params, shallow_params, shallow_params_shared : int
        Parameter counts (the shallow ones at ``Z = Z*``; unshared is the universal comparison net).
    ratio : Fraction
        ``shallow_params / deep_params``.
    """

    arch: DeepArch
    Z_star: int
    deep_params: int
    shallow_params: int
    shallow_params_shared: int
    ratio: Fraction

    def to_dict(self) -> dict:
        """JSON-ready form (exact integers; the ratio as ``[numerator, denominator]``)."""
        return {"architecture": self.arch.to_dict(), "Z_star": self.Z_star, "deep_params": self.deep_params,
                "shallow_params": self.shallow_params, "shallow_params_shared": self.shallow_params_shared,
                "ratio": [self.ratio.numerator, self.ratio.denominator]}


def corollary1_comparison(arch: DeepArch) -> Separation:
    """Parameters of the deep net and of the smallest admissible shallow net (``Z* = r^{N/2}``).

    Examples
    --------
    >>> s = corollary1_comparison(DeepArch(N=1024, M=3, widths=(2,) * 10))
    >>> s.Z_star == 2**512, s.deep_params, s.shallow_params == 3073 * 2**512
    (True, 10234, True)
    """
    _check_binary(arch)
    z = min(arch.widths[0], arch.M) ** (arch.N // 2)
    deep = arch.n_weights
    shallow = shallow_parameters(arch.N, arch.M, z, arch.Y, False)
    shared = shallow_parameters(arch.N, arch.M, z, arch.Y, True)
    return Separation(arch, z, deep, shallow, shared, Fraction(shallow, deep))


@dataclass(frozen=True)
class DepthSeparation:
    """Deep net versus the smallest depth-``L_c`` net the block-rank argument admits (Corollary 2).

    Attributes
    ----------
    arch : DeepArch
    L_c : int
    r : int
        ``min(r_0, .., r_{L_c-1}, M)``.
    min_last_width : int
        ``R = r^{N/2^{L_c}}``: a depth-``L_c`` net with last width below R has block rank below R.
    deep_params : int
    depth_params : int
        Parameters of the depth-``L_c`` net with widths ``(1, .., 1, R)`` (same Y and sharing): a lower
        bound for every depth-``L_c`` net with last width ``>= R``.
    ratio : Fraction
        ``depth_params / deep_params``.
    """

    arch: DeepArch
    L_c: int
    r: int
    min_last_width: int
    deep_params: int
    depth_params: int
    ratio: Fraction

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"architecture": self.arch.to_dict(), "L_c": self.L_c, "r": self.r,
                "min_last_width": self.min_last_width, "deep_params": self.deep_params,
                "depth_params_lower_bound": self.depth_params, "ratio": [self.ratio.numerator, self.ratio.denominator]}


def depth_comparison(arch: DeepArch, L_c: int) -> DepthSeparation:
    """Parameters of the deep net and a lower bound for any depth-``L_c`` net realizing its tensor.

    Examples
    --------
    >>> s = depth_comparison(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)), 2)
    >>> s.r, s.min_last_width, s.deep_params, s.depth_params
    (2, 16, 122, 176)
    >>> depth_comparison(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)), 1).depth_params   # shallow, Z = 2^8
    8448
    """
    _check_binary(arch)
    L_c = check_depth(L_c, arch.N)
    r = min(arch.widths[:L_c] + (arch.M,))
    big = r ** (arch.N >> L_c)
    small = DepthArch(N=arch.N, M=arch.M, widths=(1,) * (L_c - 1) + (big,), L_c=L_c, Y=arch.Y, shared=arch.shared)
    deep = arch.n_weights
    return DepthSeparation(arch, L_c, r, big, deep, small.n_weights, Fraction(small.n_weights, deep))

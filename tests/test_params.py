"""Parameter counts (MATH.md section 3) and the separations of Corollaries 1 and 2 (verifier.theorems.params).

The counts are checked against an independent count: the number of distinct scalar weights the weight
generator actually draws (every node's matrix; with sharing, one matrix per level).
"""

from fractions import Fraction

import pytest

from verifier.errors import InvalidArgumentError
from verifier.nets.architectures import DeepArch, DepthArch, ShallowArch
from verifier.nets.weights import random_weights
from verifier.theorems.params import corollary1_comparison, depth_comparison, parameter_count, shallow_parameters

ARCHS = [ShallowArch(N=4, M=3, Z=5), ShallowArch(N=4, M=3, Z=5, Y=2, shared=True), DeepArch(N=8, M=3, widths=(3, 2, 4)),
         DeepArch(N=8, M=3, widths=(3, 2, 4), Y=3, shared=True), DeepArch(N=2, M=4, widths=(2,), Y=2),
         DepthArch(N=8, M=2, widths=(2, 5), L_c=2, Y=2), DepthArch(N=16, M=3, widths=(2, 3, 4), L_c=3, shared=True)]


def _drawn(arch) -> int:
    """Independent count: the scalars in the weight matrices, one matrix per level when shared."""
    w = random_weights(arch, seed=0, bound=3)
    tree = arch.tree
    seen, total = set(), 0
    for v in tree.postorder():
        key = tree.depth(v) if arch.shared else v
        if key not in seen:
            seen.add(key)
            total += w[v].size
    return total


@pytest.mark.parametrize("arch", ARCHS, ids=repr)
def test_counts_match_the_weights_drawn(arch):
    """n_weights equals the number of scalar weights of the network (shared: per level)."""
    assert parameter_count(arch) == _drawn(arch)


FORMULAS = [  # (architecture, value by the formula of MATH.md section 3, computed by hand)
    (ShallowArch(N=8, M=3, Z=81), 8 * 3 * 81 + 81),
    (ShallowArch(N=8, M=3, Z=81, shared=True, Y=2), 3 * 81 + 2 * 81),
    (DeepArch(N=8, M=3, widths=(3, 3, 3)), 8 * 9 + 4 * 9 + 2 * 9 + 3),
    (DeepArch(N=8, M=3, widths=(3, 3, 3), shared=True), 9 + 9 + 9 + 3),
    (DeepArch(N=4, M=2, widths=(2, 1), Y=4), 4 * 4 + 2 * 2 + 4 * 1),
    (DepthArch(N=8, M=2, widths=(3, 4), L_c=2), 8 * 2 * 3 + 4 * 3 * 4 + 4),
]


@pytest.mark.parametrize("arch,value", FORMULAS, ids=[repr(a) for a, _ in FORMULAS])
def test_formulas(arch, value):
    """Hand-computed values of the closed forms."""
    assert arch.n_weights == value


def test_corollary1_comparison():
    """Deep vs the smallest admissible shallow net: Z* = min(r_0, M)^{N/2}, exact ratio."""
    s = corollary1_comparison(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)))
    assert (s.Z_star, s.deep_params) == (256, 122)
    assert (s.shallow_params, s.shallow_params_shared) == (16 * 2 * 256 + 256, 3 * 256)
    assert s.ratio == Fraction(8448, 122) and isinstance(s.ratio, Fraction)
    big = corollary1_comparison(DeepArch(N=1024, M=3, widths=(2,) * 10, Y=2))
    assert big.shallow_params == (1024 * 3 + 2) * 2**512 == shallow_parameters(1024, 3, 2**512, 2)
    assert big.to_dict()["ratio"] == [big.ratio.numerator, big.ratio.denominator]
    assert corollary1_comparison(DeepArch(N=8, M=2, widths=(5, 1, 1))).Z_star == 16  # r_0 > M: r = M


def test_depth_comparison():
    """Corollary 2: last width >= r^{N/2^{L_c}}; L_c = 1 is Corollary 1 (shallow with Z = r^{N/2})."""
    arch = DeepArch(N=16, M=3, widths=(3, 2, 3, 3))
    s = depth_comparison(arch, 2)
    assert (s.r, s.min_last_width) == (2, 2**4)
    assert s.depth_params == DepthArch(N=16, M=3, widths=(1, 16), L_c=2).n_weights
    one = depth_comparison(arch, 1)
    assert one.min_last_width == 3**8 and one.depth_params == shallow_parameters(16, 3, 3**8)
    with pytest.raises(InvalidArgumentError, match="Argument 'L_c' must be an integer in 1..L-1 = 1..3"):
        depth_comparison(arch, 4)
    with pytest.raises(InvalidArgumentError, match="Argument 'arch' must be a DeepArch"):
        corollary1_comparison(ShallowArch(N=4, M=2, Z=2))

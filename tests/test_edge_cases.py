"""Edge cases: M = 1, r_0 = 1, N = 2, zero weights, order-1 tensors, empty matrices, bad weights."""

import numpy as np
import pytest

from verifier.errors import InvalidArgumentError, SizeLimitError
from verifier.exact.certify import certify_matrix_rank
from verifier.exact.tensors import parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.weights import random_weights, weights_from_arrays, witness_weights
from verifier.rank.matricization import matricization_rank
from verifier.theorems.theorem1 import check_theorem1
from tests.helpers import edited


def rank(weights, spec="odd-even", route="auto"):
    c = matricization_rank(weights, parse_partition(spec, weights.arch.N), route=route).certificate
    assert c.certified
    return c.rank


@pytest.mark.parametrize("route", ["auto", "dense"])
def test_m_equals_1(route):
    """M = 1: every matricization is 1 x 1; rank 1 for generic weights (min(r_0, 1)^{N/2} = 1)."""
    assert rank(random_weights(DeepArch(N=8, M=1, widths=(3, 2, 2)), seed=0), route=route) == 1
    assert rank(witness_weights(DeepArch(N=8, M=1, widths=(3, 2, 2))), route=route) == 1


def test_r0_equals_1():
    """r_0 = 1: the tensor is an outer product of vectors, rank 1."""
    assert rank(random_weights(DeepArch(N=8, M=3, widths=(1, 3, 3)), seed=0)) == 1


def test_n_equals_2():
    """N = 2, L = 1: [A] is M x M of rank min(r_0, M)."""
    assert rank(random_weights(DeepArch(N=2, M=3, widths=(2,)), seed=0)) == 2
    assert rank(witness_weights(DeepArch(N=2, M=3, widths=(5,)))) == 3
    rep = check_theorem1(N=2, M=3, widths=(2,))
    assert rep.passed


def test_zero_weights():
    """All-zero weights: the zero tensor, rank 0, certified."""
    arch = DeepArch(N=4, M=2, widths=(2, 2))
    zero = {v: [[0] * arch.node_shape(v)[1] for _ in range(arch.node_shape(v)[0])] for v in arch.tree.postorder()}
    w = weights_from_arrays(arch, zero)
    assert rank(w) == 0 and rank(w, route="dense") == 0


def test_zero_output_weight_kills_everything():
    """A zero weight in a width-1 layer kills the tensor (MATH.md section 4)."""
    arch = DeepArch(N=4, M=2, widths=(2, 1))
    w = edited(witness_weights(arch), n_2_0=lambda a: a.__setitem__((0, 0), 0))
    assert rank(w) == 0


def test_order_one_shallow():
    """N = 1 (shallow only): a vector; partitions with all modes on one side give 1 x M or M x 1."""
    w = random_weights(ShallowArch(N=1, M=3, Z=2), seed=0)
    assert rank(w, "rows:1") == 1 and rank(w, "low-high") == 1


def test_empty_matrix():
    """A 0 x n matrix has rank 0."""
    c = certify_matrix_rank(np.zeros((0, 3), dtype=object))
    assert c.certified and c.rank == 0


def test_bad_weights():
    """Explicit weights: wrong shapes, floats and unshared values are refused with named arguments."""
    arch = ShallowArch(N=2, M=2, Z=1, shared=True)
    with pytest.raises(InvalidArgumentError, match="Argument 'weights\\[0,0\\]' must be an exact number"):
        weights_from_arrays(arch, {(0, 0): [[0.5, 1]], (0, 1): [[1, 1]], (1, 0): [[1]]})
    with pytest.raises(InvalidArgumentError, match="equal matrices at every node of level 0"):
        weights_from_arrays(arch, {(0, 0): [[2, 1]], (0, 1): [[1, 1]], (1, 0): [[1]]})
    with pytest.raises(InvalidArgumentError, match="a matrix for every tree node, got 'none for node \\(1, 0\\)'"):
        weights_from_arrays(arch, {(0, 0): [[2, 1]], (0, 1): [[2, 1]]})
    with pytest.raises(InvalidArgumentError, match="Argument 'seed' must be a non-negative integer"):
        random_weights(arch, seed=-1)


def test_bad_architectures():
    """Architectures are validated at construction."""
    with pytest.raises(InvalidArgumentError, match="Argument 'M' must be a positive integer, got 0"):
        DeepArch(N=4, M=0, widths=(1, 1))
    with pytest.raises(InvalidArgumentError, match="Argument 'widths' must be a positive integer, got 0"):
        DeepArch(N=4, M=2, widths=(0, 1))
    with pytest.raises(InvalidArgumentError, match="Argument 'Z' must be a positive integer, got True"):
        ShallowArch(N=4, M=2, Z=True)


def test_exact_size_limit():
    """Dense exact construction is refused before allocation, with the size in the message."""
    with pytest.raises(SizeLimitError, match="3\\^16 = 43046721 entries is over the limit"):
        coefficient_tensor(random_weights(DeepArch(N=16, M=3, widths=(1, 1, 1, 1)), seed=0))


def test_weights_object_checks_sharing_and_shapes():
    """A Weights object built by hand is checked: shapes, every node, and sharing when shared=True
    (the shared-shallow symmetric upper bound relies on it)."""
    from verifier.nets.weights import Weights
    arch = ShallowArch(N=2, M=2, Z=1, shared=True)
    good = random_weights(arch, seed=0)
    arrays = dict(good.arrays)
    arrays[(0, 1)] = arrays[(0, 1)] + 1
    with pytest.raises(InvalidArgumentError, match="equal matrices at every node of level 0"):
        Weights(arch, arrays)
    with pytest.raises(InvalidArgumentError, match="one matrix per node"):
        Weights(arch, {(0, 0): good[(0, 0)]})
    arrays = dict(good.arrays)
    arrays[(1, 0)] = np.zeros((2, 2), dtype=object)
    with pytest.raises(InvalidArgumentError, match="Argument 'weights\\[1,0\\]' must be a matrix of shape"):
        Weights(arch, arrays)


def test_primes_are_checked():
    """Primes given for modular lower bounds must be primes."""
    from verifier.exact.certify import certify_matrix_rank as cmr
    with pytest.raises(InvalidArgumentError, match="Argument 'primes' must be a prime"):
        cmr(np.eye(2, dtype=np.int64).astype(object), primes=[15])

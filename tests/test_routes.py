"""The three certification routes agree: Kronecker structure (Lemmas K, R), reduction to the core
(level-0 filters of full column rank), and the dense matricization."""

import pytest

from verifier.errors import InvalidArgumentError
from verifier.exact.tensors import parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.weights import random_weights, witness_weights
from verifier.rank.matricization import matricization_rank, reduced_rank
from tests.helpers import edited


@pytest.mark.parametrize("arch", [
    DeepArch(N=4, M=5, widths=(2, 2)),
    DeepArch(N=8, M=3, widths=(2, 2, 2)),
    DeepArch(N=8, M=4, widths=(3, 2, 1), shared=True),
    ShallowArch(N=4, M=4, Z=3),
    ShallowArch(N=3, M=5, Z=4, shared=True),
], ids=repr)
@pytest.mark.parametrize("spec", ["odd-even", "low-high", "rows:1,2,3"])
@pytest.mark.parametrize("bound", [3, 10**6])
def test_reduced_equals_dense(arch, spec, bound):
    """rank [A] = rank [C] when every level-0 filter matrix has full column rank; else no reduction."""
    part = parse_partition(spec, arch.N)
    for seed in range(2):
        w = random_weights(arch, seed=seed, bound=bound)
        dense = matricization_rank(w, part, route="dense").certificate
        red = reduced_rank(w, part)
        assert dense.certified
        if red is not None:
            assert red.certified and red.rank == dense.rank
            assert (red.rows, red.cols) == (dense.rows, dense.cols)


def test_deficient_filters_are_not_reduced():
    """A leaf whose filters are linearly dependent blocks the reduction (it would only give a bound)."""
    arch = DeepArch(N=4, M=3, widths=(2, 1))
    w = edited(witness_weights(arch), n_0_2=lambda a: a.__setitem__(1, a[0]))   # two equal filters at position 3
    assert reduced_rank(w, parse_partition("odd-even", 4)) is None
    with pytest.raises(InvalidArgumentError, match="Argument 'route' must be 'auto' or 'dense' for weights whose"):
        matricization_rank(w, parse_partition("odd-even", 4), route="reduced")
    assert matricization_rank(w, parse_partition("odd-even", 4)).certificate.rank == 2


def test_reduced_large_m():
    """N = 8, M = 40: [A] is 40^4 x 40^4 = 2560000 x 2560000, certified through a 2^8-entry core."""
    w = random_weights(DeepArch(N=8, M=40, widths=(2, 2, 2)), seed=5)
    rep = matricization_rank(w, parse_partition("odd-even", 8))
    c = rep.certificate
    assert rep.route == "reduced" and c.certified and c.rank == 16 and c.rows == 40**4

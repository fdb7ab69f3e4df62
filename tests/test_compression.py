"""The compressed route (any partition): the rank mod p of a core compressed along the mode tree is a certified
lower bound and equals the dense certified rank; with the structural upper bound it certifies generic points."""

import random

import pytest

from verifier.errors import InvalidArgumentError, SizeLimitError
from verifier.exact.tensors import parse_partition
from verifier.nets.architectures import DeepArch, DepthArch, ShallowArch
from verifier.nets.weights import random_weights
from verifier.rank.matricization import matricization_rank

ARCHS = [DeepArch(N=8, M=2, widths=(2, 2, 2)), DeepArch(N=8, M=3, widths=(3, 2, 2), shared=True),
         DeepArch(N=8, M=2, widths=(3, 2, 1)), ShallowArch(N=6, M=2, Z=3),
         ShallowArch(N=5, M=3, Z=4, shared=True), DepthArch(N=8, M=2, widths=(2, 2), L_c=2),
         DeepArch(N=4, M=3, widths=(2, 2), Y=2)]


def _specs(n, rng):
    specs = ["odd-even", "low-high"] + (["blocks:2"] if n % 4 == 0 else [])
    for _ in range(2):
        specs.append("rows:" + ",".join(map(str, sorted(rng.sample(range(1, n + 1), rng.randint(1, n - 1))))))
    return specs


@pytest.mark.parametrize("arch", ARCHS, ids=repr)
def test_compressed_equals_dense(arch):
    """Lower bound = rank mod p of [A] = the dense certified rank (generic and narrow weights, every output);
    certified exactly when it reaches the structural upper bound."""
    rng = random.Random(arch.N)
    for spec in _specs(arch.N, rng):
        part = parse_partition(spec, arch.N)
        for seed, bound in ((0, 10**6), (1, 1)):
            w = random_weights(arch, seed, bound)
            for y in range(arch.Y):
                dense = matricization_rank(w, part, output=y, route="dense").certificate
                c = matricization_rank(w, part, output=y, route="compressed", check=False).certificate
                assert c.lower.value == dense.rank <= c.upper.value
                assert c.certified == (dense.rank == c.upper.value)


def test_compressed_at_n32():
    """N = 32 without building [A]: low-high (rank r_{L-1}), blocks, a random row set."""
    w = random_weights(DeepArch(N=32, M=2, widths=(2,) * 5), seed=0)
    got = {spec: matricization_rank(w, parse_partition(spec, 32), route="compressed", check=False).certificate.rank
           for spec in ("low-high", "blocks:4", "blocks:8", "rows:1,2,3,5,8,13,21,30")}
    assert got == {"low-high": 2, "blocks:4": 16, "blocks:8": 4, "rows:1,2,3,5,8,13,21,30": 128}


def test_compressed_refusals():
    """Too large a core, or over the memory budget: refused with the argument named (nothing built)."""
    w = random_weights(DeepArch(N=32, M=2, widths=(2,) * 5), seed=0)
    with pytest.raises(InvalidArgumentError, match="Argument 'route' must be 'auto' or 'dense' for a net whose"):
        matricization_rank(w, parse_partition("odd-even", 32), route="compressed")
    with pytest.raises(SizeLimitError, match="a compressed core family"):
        matricization_rank(w, parse_partition("blocks:2", 32), route="compressed", memory_budget=10**4)


def test_compressed_route_is_not_certified_through_the_gate():
    """Issue 17: the compressed route has no certificate format, so the checker gate reports it NOT certified
    (its bounds stay valid: a lower bound 0 and the shape), with the reason."""
    w = random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=0)
    r = matricization_rank(w, parse_partition("low-high", 8), route="compressed")
    assert r.checked is False and not r.certificate.certified
    assert "no certificate format" in r.check

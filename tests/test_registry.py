"""The route registry (issue 18, items 2 and 7): every route x a table of named nets and weights agrees with the
dense exact rank wherever dense fits and never certifies a wrong rank (networkx's ``compare_flows_and_cuts``
style); ``auto`` takes the cheapest route that applies; a refusal names every route and why."""

import pytest

from test_blocks import NETS, _filters, _partitions
from verifier.errors import InvalidArgumentError, SizeLimitError
from verifier.exact.certify import certify_matrix_rank
from verifier.exact.engines import get_engine
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.architectures import DeepArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.weights import random_weights, witness_weights
from verifier.rank.matricization import ROUTES, matricization_rank
from verifier.rank.routes import REGISTRY, Job, estimates, solve
from verifier.rank.routes.base import SMALL_ENTRIES

KINDS = ["generic", "zero filter", "repeated filter", "deficient leaf", "multiples of p"]


def _job(w, part, budget=2**33):
    return Job(w, part, 0, get_engine(), budget)


@pytest.mark.parametrize("name", sorted(NETS))
@pytest.mark.parametrize("kind", KINDS)
def test_every_route_agrees_with_dense(name, kind):
    """Every forced route either refuses (``InvalidArgumentError`` naming 'route') or gives bounds containing
    the exact rank, and a certified rank equal to it; through the checker gate likewise."""
    arch = NETS[name]
    w = _filters(arch, kind, 0)
    answered = set()
    parts = _partitions(arch)[1:3]   # low-high and a mixed row set (odd/even: test_blocks, the fuzz)
    for part in parts if arch.M ** arch.N <= 4096 else parts[1:]:
        truth = certify_matrix_rank(matricize(coefficient_tensor(w.integral()), part))
        assert truth.certified
        for route in REGISTRY:
            try:
                rep = matricization_rank(w, part, route=route, check=False)
            except InvalidArgumentError as exc:
                assert "Argument 'route' must be" in str(exc)
                continue
            c = rep.certificate
            assert c.lower.value <= truth.rank <= c.upper.value, (route, part.spec, c)
            assert not c.certified or c.rank == truth.rank, (route, part.spec, c)
            answered.add(route)
    assert "dense" in answered


def test_registry_lists_every_route_once():
    assert ROUTES == ("auto", *REGISTRY) and len(set(ROUTES)) == len(ROUTES)
    assert list(REGISTRY) == ["structure", "reduced", "dense", "pair-diagonal", "blocks", "compressed"]


def test_auto_takes_the_cheapest_route_that_applies():
    """N = 64 odd/even: dense over the budget, reduced needs r_0 < M; pair-diagonal (2^32 entries of D) ties
    with blocks and comes first in registry order. Small nets: every cost is 0, the registry order decides."""
    w = random_weights(DeepArch(N=64, M=2, widths=(2,) * 6), seed=0)
    job = _job(w, parse_partition("odd-even", 64))
    est = dict(estimates(job))
    assert est["dense"].cost is None and est["reduced"].cost is None
    assert est["pair-diagonal"].cost == est["blocks"].cost == 2**32
    small = _job(random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=0), parse_partition("odd-even", 8))
    assert all(e.cost == 0 for _, e in estimates(small) if e.cost is not None)
    assert solve(small)[0] == "dense"
    assert SMALL_ENTRIES == 2**20


def test_structure_first_for_the_witness():
    w = witness_weights(DeepArch(N=16, M=3, widths=(3, 1, 1, 1)))
    assert solve(_job(w, parse_partition("odd-even", 16)))[0] == "structure"


def test_refusal_names_every_route():
    """No route answers: one line naming each route of the registry and why."""
    w = random_weights(DeepArch(N=64, M=3, widths=(3,) * 6), seed=0)
    with pytest.raises(SizeLimitError) as err:
        solve(_job(w, parse_partition("odd-even", 64)))
    msg = str(err.value)
    assert "\n" not in msg and len(msg) < 300
    assert all(f"{name}: " in msg for name in REGISTRY), msg


def test_forced_route_refusals_name_the_alternatives():
    w = random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=0)
    part = parse_partition("low-high", 8)
    for route, expected in (("pair-diagonal", "Lemma D's pair-diagonal form"), ("reduced", "r_0 < M")):
        with pytest.raises(InvalidArgumentError, match=f"Argument 'route' must be .*{expected}"):
            matricization_rank(w, part, route=route, check=False)


def test_weights_are_validated_once_at_the_entry():
    """The registry receives validated values: bad arguments are refused by ``matricization_rank`` before any
    route runs, each naming the argument."""
    w = random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=0)
    part = parse_partition("odd-even", 8)
    for kwargs, name in (({"output": 3}, "output"), ({"route": "fast"}, "route"), ({"memory_budget": -1},
                                                                                     "memory_budget")):
        with pytest.raises(InvalidArgumentError, match=f"Argument '{name}'"):
            matricization_rank(w, part, **kwargs)
    with pytest.raises(InvalidArgumentError, match="Argument 'weights'"):
        matricization_rank([[1]], part)

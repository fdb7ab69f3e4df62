"""Lemmas K, R and C of the proof of Theorem 1, on concrete exact examples (the property-based
versions are in test_properties.py)."""

import random

import numpy as np
import pytest

from verifier.exact.certify import certify_matrix_rank
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.weights import random_weights, witness_weights
from verifier.rank.matricization import matricization_rank


def rand_tensor(rng, shape, lo=-5, hi=5):
    a = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        a[idx] = rng.randint(lo, hi)
    return a


def test_lemma_k():
    """Lemma K: [A (x) B] = [A] (.) [B] for A, B of even order (odd modes as rows)."""
    rng = random.Random(0)
    a, b = rand_tensor(rng, (2, 3)), rand_tensor(rng, (3, 2, 2, 2))
    outer = np.multiply.outer(a, b)
    lhs = matricize(outer, parse_partition("odd-even", 6))
    rhs = np.kron(matricize(a, parse_partition("odd-even", 2)), matricize(b, parse_partition("odd-even", 4)))
    assert (lhs == rhs).all()


def test_lemma_r():
    """Lemma R: rank(P (.) Q) = rank(P) rank(Q), with rank-deficient factors."""
    p = np.array([[1, 2, 3], [2, 4, 6], [0, 1, 1]], dtype=object)   # rank 2
    q = np.array([[1, 1], [1, 1]], dtype=object)                     # rank 1
    rk = certify_matrix_rank(np.kron(p, q))
    assert rk.certified and rk.rank == 2 == certify_matrix_rank(p).rank * certify_matrix_rank(q).rank


@pytest.mark.parametrize("spec", ["odd-even", "low-high", "rows:1", "rows:2,3", "rows:1,2,3,4"])
@pytest.mark.parametrize("shared", [False, True])
def test_lemma_c(spec, shared):
    """Lemma C: rank [A]_{I,J} <= CP-rank <= Z for shallow nets, every partition."""
    arch = ShallowArch(N=4, M=3, Z=2, shared=shared)
    for seed in range(3):
        rep = matricization_rank(random_weights(arch, seed=seed, bound=7), parse_partition(spec, 4))
        assert rep.certificate.certified and rep.certificate.rank <= 2


def test_float_rank_is_wrong_here():
    """MATH.md section 4: K^{(.)8} with K = [[1,2],[3,7]] has exact rank 256 (floats report 255)."""
    k = np.array([[1, 2], [3, 7]], dtype=object)
    m = k
    for _ in range(7):
        m = np.kron(m, k)
    rk = certify_matrix_rank(m)
    assert rk.certified and rk.rank == 256


def test_float_trap_as_deep_net():
    """The same matrix as the matricization of a deep net N=16, M=r_0=2 (MATH.md section 4)."""
    from verifier.nets.weights import weights_from_arrays
    arch = DeepArch(N=16, M=2, widths=(2, 1, 1, 1))
    mapping = {}
    for v in arch.tree.postorder():
        level, j = v
        if level == 0:
            mapping[v] = [[1, 0], [0, 1]] if j % 2 == 0 else [[1, 3], [2, 7]]  # rows: filters; I and K^T
        elif level == 1:
            mapping[v] = [[1, 1]]
        else:
            mapping[v] = [[1]]
    w = weights_from_arrays(arch, mapping)
    for route in ("structure", "dense"):
        rep = matricization_rank(w, parse_partition("odd-even", 16), route=route)
        assert rep.certificate.rank == 256


def test_vandermonde():
    """Vandermonde 16 x 16 (i^j): exact rank 16 (float says 8, MATH.md section 4)."""
    v = np.array([[i**j for j in range(16)] for i in range(1, 17)], dtype=object)
    assert certify_matrix_rank(v).rank == 16


def test_witness_structure_and_dense_agree():
    """Witness: Lemmas K and R and the dense route give the same certified rank, every partition."""
    arch = DeepArch(N=8, M=3, widths=(2, 2, 2))
    w = witness_weights(arch)
    for spec in ("odd-even", "low-high", "rows:1,2,5", "rows:3"):
        p = parse_partition(spec, 8)
        a = matricization_rank(w, p, route="structure").certificate
        b = matricization_rank(w, p, route="dense").certificate
        assert a.certified and b.certified and a.rank == b.rank

"""Property tests of the lemmas behind Theorem 1 (MATH.md sections 2-3), on hypothesis-drawn exact data.

Every rank here is certified from the dense exact matrix (``certify_matrix_rank`` with no structural
hints: rank mod p for the lower bound, a kernel certificate or elimination over Q for the upper), so
the structural upper bounds of ``verifier.rank.matricization`` are tested, not assumed. Strategies come from the
public module ``verifier.strategies``. Profiles: ``ci`` (default) and ``deep`` (HYPOTHESIS_PROFILE=deep).
"""

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from verifier import strategies as vs
from verifier.exact.certify import certify_matrix_rank
from verifier.exact.engines import ENGINES, get_engine
from verifier.exact.fields import DEFAULT_PRIME
from verifier.exact.tensors import matricize, parse_partition
from verifier.nets.coefficients import coefficient_tensor, contract
from verifier.nets.evaluate import evaluate
from verifier.nets.weights import random_weights
from verifier.rank.matricization import structural_upper_bounds


def exact_rank(matrix) -> int:
    """The certified rank of an exact matrix; fails the test if the bounds do not meet."""
    cert = certify_matrix_rank(matrix)
    assert cert.certified, str(cert)
    return cert.rank


def with_weights_and_partition(archs, **weight_kwargs):
    """(arch, weights, partition) triples for architectures drawn from ``archs``."""
    return archs.flatmap(lambda a: st.tuples(st.just(a), vs.weights(a, **weight_kwargs), vs.partitions(a.N)))


def sub_partition(partition, modes):
    """The partition restricted to ``modes`` (a contiguous block), renumbered from 0."""
    rows = [m - modes[0] for m in partition.rows if m in modes]
    return parse_partition("rows:" + ",".join(str(m + 1) for m in rows), len(modes))


@given(with_weights_and_partition(vs.shallow_architectures(max_N=4, max_M=3, max_Z=4), bound=4, fractions=True))
def test_lemma_c_shallow_rank_at_most_z(case):
    """Lemma C: rank [A_shallow]_{I,J} <= Z for ALL weights (zeros, rationals) and every partition, shared
    or not; with shared weights also <= the symmetric-power dimension."""
    arch, w, part = case
    rank = exact_rank(matricize(coefficient_tensor(w), part))
    assert rank <= arch.Z
    assert all(rank <= b.value for b in structural_upper_bounds(arch, part))


@given(st.data())
def test_lemma_k_outer_product_is_kronecker(data):
    """Lemma K (ICLR 2017 eq. 1): [A (x) B]_{I,J} = [A]_{I_A,J_A} (.) [B]_{I_B,J_B} exactly, where I_A, I_B
    are the modes of I in A and in B (A's modes first, C order)."""
    p, q = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    M = data.draw(st.integers(1, 3 if p + q <= 4 else 2))
    a = data.draw(vs.exact_tensors(p, M, bound=5, fractions=True))
    b = data.draw(vs.exact_tensors(q, M, bound=5))
    part = data.draw(vs.partitions(p + q))
    left = matricize(np.multiply.outer(a, b), part)
    right = np.kron(matricize(a, sub_partition(part, range(p))), matricize(b, sub_partition(part, range(p, p + q))))
    assert left.shape == right.shape and (left == right).all()


@given(vs.matrices_with_rank(4, 4), vs.matrices_with_rank(4, 4))
def test_lemma_r_kronecker_rank_multiplies(pk, ql):
    """Lemma R: rank(P (.) Q) = rank(P) * rank(Q) (ranks known by construction)."""
    (p, k), (q, ell) = pk, ql
    assert exact_rank(p) == k and exact_rank(q) == ell
    assert exact_rank(np.kron(p, q)) == k * ell


@given(vs.matrices_with_rank(6, 6).flatmap(
    lambda ak: st.tuples(st.just(ak), st.permutations(range(ak[0].shape[0])),
                         st.permutations(range(ak[0].shape[1])))))
def test_permuted_rows_and_columns_keep_rank(case):
    """Row/column order never changes a rank (MATH.md section 2): rank(P A Q) = rank(A)."""
    (a, k), rows, cols = case
    assert exact_rank(a[np.ix_(rows, cols)] if a.size else a) == k


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(vs.exact_tensors(n, 2, bound=9), vs.partitions(n))))
def test_matricization_definition(case):
    """[A]_{I,J}[r, c] = A[d] with r, c the C-order indices of d restricted to I and J (MATH.md section 2);
    swapping I and J transposes; listing the row modes in another order permutes rows, keeping the rank."""
    t, part = case
    m = matricize(t, part)
    for d in itertools.product(*(range(s) for s in t.shape)):
        r = np.ravel_multi_index([d[i] for i in part.rows], [2] * len(part.rows)) if part.rows else 0
        c = np.ravel_multi_index([d[j] for j in part.cols], [2] * len(part.cols)) if part.cols else 0
        assert m[r, c] == t[d]
    swapped = parse_partition("rows:" + ",".join(str(j + 1) for j in part.cols), t.ndim)
    assert (matricize(t, swapped) == m.T).all()
    reordered = t.transpose(tuple(reversed(part.rows)) + part.cols).reshape(m.shape)
    assert sorted(map(tuple, reordered.tolist())) == sorted(map(tuple, m.tolist()))
    assert exact_rank(reordered) == exact_rank(m)


@given(vs.architectures(max_N=4, max_M=3, max_width=2, max_Z=3, max_Y=2).flatmap(
    lambda a: st.tuples(st.just(a), vs.weights(a, bound=6, fractions=True), vs.representations(a.N, a.M, 6, True))))
def test_evaluation_equals_contraction(case):
    """Claims 1-2 (COLT 2016, Section 3): the network's forward pass equals the tensor contraction
    sum_d A^y[d] prod_i f_{d_i}(x_i), exactly, for every output y."""
    arch, w, reps = case
    scores = evaluate(w, reps)
    for y in range(arch.Y):
        assert scores[y] == contract(coefficient_tensor(w, y), reps)


@given(with_weights_and_partition(vs.deep_architectures(max_N=8, max_M=3, max_width=3, max_entries=256), bound=3))
def test_deep_rank_upper_bound_has_no_exceptions(case):
    """Theorem 1, upper side: rank [A] <= min(r_0, M)^{N/2} for ALL weights (narrow range, zeros
    allowed); for any partition rank [A]_{I,J} <= the minimal cut of the HT tree (MATH.md section 5)."""
    arch, w, part = case
    r = min(arch.widths[0], arch.M)
    tensor = coefficient_tensor(w)
    assert exact_rank(matricize(tensor, parse_partition("odd-even", arch.N))) <= r ** (arch.N // 2)
    assert exact_rank(matricize(tensor, part)) <= min(b.value for b in structural_upper_bounds(arch, part))


@given(vs.deep_architectures(max_N=8, max_M=3, max_width=3, max_entries=256), st.integers(0, 10**6))
def test_deep_rank_is_generic_for_wide_weights(arch, seed):
    """Theorem 1 (and MATH.md section 3): for weights uniform on [-10^6, 10^6] the rank of [A] is exactly
    min(r_0, M)^{N/2}, shared or not (failure probability <= deg / (2*10^6 + 1) per example)."""
    w = random_weights(arch, seed, 10**6)
    r = min(arch.widths[0], arch.M)
    assert exact_rank(matricize(coefficient_tensor(w), parse_partition("odd-even", arch.N))) == r ** (arch.N // 2)


@given(vs.matrices_with_rank(7, 7))
def test_engines_agree_on_known_rank(ak):
    """Differential: every engine in ENGINES gives the rank known by construction, over Q, mod p and
    as a certified rank, and the same pivot columns."""
    a, k = ak
    pivots = set()
    for name in ENGINES:
        eng = get_engine(name)
        assert eng.rank_over_q(a) == k
        assert eng.rank_mod_p(a, DEFAULT_PRIME) == k
        assert certify_matrix_rank(a, engine=name).rank == k
        pivots.add(eng.pivots_mod_p(a, DEFAULT_PRIME))
    assert len(pivots) == 1


@given(st.integers(1, 6).flatmap(lambda n: st.integers(1, 6).flatmap(lambda m: st.lists(
    st.lists(st.integers(-9, 9), min_size=m, max_size=m), min_size=n, max_size=n))),
    st.sampled_from([2, 3, 5, 7, 101, DEFAULT_PRIME]))
def test_engines_agree_on_random_matrices(rows, p):
    """Differential: on the same integer matrix every engine returns the same rank over Q, rank mod p and
    pivots mod p (small primes make the mod-p rank drop), and rank mod p <= rank over Q."""
    a = np.array(rows, dtype=object)
    answers = {(e.rank_over_q(a), e.rank_mod_p(a, p), e.pivots_mod_p(a, p))
               for e in (get_engine(name) for name in ENGINES)}
    assert len(answers) == 1
    rank_q, rank_p, _ = answers.pop()
    assert rank_p <= rank_q

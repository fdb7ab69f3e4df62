"""Lemma D (iii): the certified rank of the pair-diagonal form when some filter matrix is rank-deficient.

MATH.md section 5. With ``U_i = P_i Q_i`` (``P_i`` of full column rank, ``Q_i`` = a certified basis of the row
space of ``U_i``), ``rank [A] = rank((\\otimes Q_rho) diag(D) (\\otimes Q_kappa)^T)``. The pairs whose two filters
have full column rank have invertible ``Q`` and split this matrix into blocks over the other pairs
(:func:`singular_rank`, exact, while D has at most ``SINGULAR_ENTRY_LIMIT`` entries); beyond, a submatrix
with one index at each deficient pair gives a lower bound streamed like the count of D
(:func:`_contracted_lower`). The nonzero count of D is never used when its precondition (filters of full
column rank) fails.
"""

from __future__ import annotations

import numpy as np

from ..exact.certify import Bound, certify_matrix_rank
from ..exact.engines import get_engine
from ..exact.tensors import Partition
from .pair_diagonal import PairDiagonalCertificate, _filter_text, count_nonzero_entries, d_tensor

#: Largest number of entries of D computed exactly for the singular-filter reduction.
SINGULAR_ENTRY_LIMIT = 2**16


class _Contracted:
    """Integer weights with the level-1 matrices of some pairs replaced by one column (see :func:`_contracted_lower`)."""

    is_symbolic = False
    is_integral = True
    kind = "contracted"

    def __init__(self, weights, columns: dict):
        self.arch = weights.arch
        self._weights = weights
        self._columns = columns

    def __getitem__(self, node):
        return self._columns.get(node, self._weights[node])


def _contracted_lower(weights, output, bad, rho, kappa, upper, filters, count_options, shape):
    """A certified lower bound for singular filters at any N, streamed like the count of D.

    Keep one row ``d`` of ``U_rho(j)`` and one row ``d'`` of ``U_kappa(j)`` at each pair ``j`` with a
    rank-deficient filter (a submatrix of ``[A]``: those modes fixed to ``d``, ``d'``). By Lemma D it is
    ``(\\otimes_G U) diag(e) (\\otimes_G U)^T`` over the other pairs, whose filters have full column rank, with
    ``e`` the D-tensor of the same net in which pair ``j``'s level-1 matrix ``W`` is replaced by the single
    column ``W (U_rho[d] * U_kappa[d'])`` (D is linear in each pair's column). So ``rank [A] >= nnz(e)``;
    ``d, d'`` are chosen to maximize the support of ``U_rho[d] * U_kappa[d']``.
    """
    arch = weights.arch
    r0 = arch.widths[0]
    columns = {}
    for j in bad:
        lr, lk = weights[(0, rho[j])], weights[(0, kappa[j])]
        w = max(([lr[a, d] * lk[a, e] for a in range(r0)] for d in range(arch.M) for e in range(arch.M)),
                key=lambda v: sum(1 for x in v if x != 0))
        m = weights[(1, j)]
        columns[(1, j)] = np.array([[sum(m[g, a] * w[a] for a in range(r0))] for g in range(m.shape[0])],
                                   dtype=object)
    count = count_nonzero_entries(_Contracted(weights, columns), output, **count_options)
    what, how = _filter_text(filters)
    lower = Bound(count.nonzero, f"Lemma D (iii): a submatrix of [A] with one row and one column index at each of "
                                 f"the {len(bad)} pair(s) with a rank-deficient filter has rank {count.nonzero} = the "
                                 f"nonzero entries of the contracted D (residues mod p = {count.prime}; "
                                 f"{count.exact_checks} decided exactly); {what}, ranks by {how}")
    n_rows, n_cols = shape
    return PairDiagonalCertificate(n_rows, n_cols, lower, upper, count, filters)


def singular_rank(weights, partition: Partition, output, filters, upper_bounds, engine=None, count_options=None):
    """Lemma D (iii): some filter matrix ``U_i`` is rank-deficient.

    With ``Q_i`` = a certified basis of the row space of ``U_i`` (``k_i`` rows), ``rank [A] =
    rank((\\otimes Q_rho) diag(D) (\\otimes Q_kappa)^T)``; pairs whose two filters have full column rank have
    invertible ``Q`` and split the matrix into ``r_0^{#good}`` blocks ``(\\otimes_B Q_rho) diag(D[k_G, .])
    (\\otimes_B Q_kappa)^T`` over the other pairs ``B``. Each block's rank is certified exactly; D is computed
    over Z (at most ``SINGULAR_ENTRY_LIMIT`` entries). Larger nets: upper ``min(prod_rows k_i, prod_cols k_i,
    structural bounds)`` and the streamed lower bound of :func:`_contracted_lower` (they meet e.g. when each
    deficient pair has one filter of rank 1 and D is generic; otherwise the rank is reported NOT certified).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> from verifier.exact.tensors import parse_partition
    >>> from verifier.rank.lemma_d import pair_diagonal_rank
    >>> from verifier.nets.weights import weights_from_arrays
    >>> arrays = dict(witness_weights(DeepArch(N=4, M=3, widths=(2, 1))).to_dict())
    >>> arrays["0,2"] = [arrays["0,2"][0]] * 2        # position 3: two equal filters
    >>> w = weights_from_arrays(DeepArch(N=4, M=3, widths=(2, 1)), arrays)
    >>> str(pair_diagonal_rank(w, parse_partition("odd-even", 4)))[:40]
    'rank = 2 (lower: Lemma D (iii): 2 block('
    """
    arch = weights.arch
    r0 = arch.widths[0]
    n_rows, n_cols = partition.shape(arch.M)
    rows = set(partition.rows)
    n = arch.N // 2
    rank_at, q_at = {}, {}
    for f in filters:
        for i in f.positions:
            rank_at[i] = f.rank
            leaf = weights[(0, i)]
            q_at[i] = (np.array([[int(leaf[a, d]) for a in range(r0)] for d in f.basis], dtype=object)
                       .reshape(len(f.basis), r0))
    rho = [2 * j if 2 * j in rows else 2 * j + 1 for j in range(n)]
    kappa = [2 * j + 1 if 2 * j in rows else 2 * j for j in range(n)]
    if any(len(f.basis) != f.rank for f in filters):
        # A row basis that does not match the certified rank (a basis from another computation): an empty or
        # short Q would make blocks vanish that do not. Valid bounds only, NOT certified.
        upper = min(upper_bounds, key=lambda b: b.value)
        return PairDiagonalCertificate(n_rows, n_cols, Bound(0, "none (the filters' row bases do not match their "
                                                                 "certified ranks)"), upper, None, filters)
    bound_rows, bound_cols = 1, 1
    for j in range(n):
        bound_rows *= rank_at[rho[j]]
        bound_cols *= rank_at[kappa[j]]
    kron = Bound(min(bound_rows, bound_cols), "Lemma D (iii): rank <= rank of the Kronecker product of the "
                                              "filter matrices (product of their certified ranks)")
    upper = min([*upper_bounds, kron], key=lambda b: b.value)
    what, how = _filter_text(filters)
    good = [j for j in range(n) if rank_at[rho[j]] == r0 and rank_at[kappa[j]] == r0]
    bad = [j for j in range(n) if j not in good]
    entries = r0 ** n
    if upper.value == 0:
        return PairDiagonalCertificate(n_rows, n_cols, upper, upper, None, filters)
    if entries > SINGULAR_ENTRY_LIMIT:
        return _contracted_lower(weights, output, bad, rho, kappa, upper, filters, count_options or {},
                                 (n_rows, n_cols))
    d = d_tensor(weights, output).reshape((r0,) * n).transpose(good + bad).reshape(r0 ** len(good), -1)
    q_r = q_c = np.ones((1, 1), dtype=object)
    for j in bad:
        q_r, q_c = np.kron(q_r, q_at[rho[j]]), np.kron(q_c, q_at[kappa[j]])
    eng = get_engine(engine)
    lower_total = upper_total = 0
    cache: dict = {}
    methods = set()
    for block in d:
        if not any(x != 0 for x in block):
            continue
        x = np.dot(q_r * block[None, :], q_c.T)   # the bases are non-empty: every rank here is >= 1
        key = (x.shape, tuple(x.ravel().tolist()))
        if key not in cache:
            cache[key] = certify_matrix_rank(x, engine=eng)
        cert = cache[key]
        lower_total += cert.lower.value
        upper_total += cert.upper.value
        methods.add(cert.lower.method)
    head = (f"Lemma D (iii): {len(d)} block(s) over {len(good)} pair(s) with invertible filters, "
            f"{len(cache)} distinct nonzero block(s) of rank certified by")
    lower = Bound(lower_total, f"{head} {' / '.join(sorted(methods)) or 'none'}; {what}, ranks by {how}")
    blocks = Bound(upper_total, f"{head} exact upper bounds (D over Z)")
    upper = min([upper, blocks], key=lambda b: b.value)
    return PairDiagonalCertificate(n_rows, n_cols, lower, upper, None, filters)

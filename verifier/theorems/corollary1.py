"""Corollary 1 of Cohen, Sharir & Shashua (COLT 2016): realization and approximation by shallow nets.

**Corollary 1.** A shallow net realizing, or approximating arbitrarily well, almost every deep-net
function needs ``Z >= Z* = r^{N/2}`` channels, ``r = min(r_0, M)``.

Steps checked (MATH.md sections 3-4):

(a) the deep tensor's rank: the Theorem 1 witness and seeded random weights reach ``rank [A] = Z*``;
(b) realization (Lemma C): every shallow net with ``Z* - 1`` channels, shared or unshared, has
    ``rank [A] <= Z* - 1`` for ALL weights, so it realizes none of those tensors;
(c) ``Z*`` is attained: an explicit unshared shallow net with ``Z*`` channels equals the witness exactly,
    so ``Z*`` is the minimal admissible Z for the witness;
(d) approximation, witness: all nonzero singular values of ``[A]`` are 1, so the distance to every shallow
    net with Z channels is at least ``sqrt(Z* - Z)`` EXACTLY (``sqrt(M^{N/2} - Z)`` when ``r_0 >= M``);
(e) approximation, random weights: the certified Eckart-Young bound is ``> 0`` for ``Z = Z* - 1`` and
    ``0`` for ``Z = rank``;
(f) the L2 form for representation functions with a given Gram matrix (default ``I + J``: 2 on the
    diagonal, 1 elsewhere) is certified ``> 0``; with the identity it equals the Frobenius bound;
(g) parameter counts: the smallest admissible shallow net against the deep net.

Examples
--------
>>> rep = check_corollary1(N=4, M=2, widths=(2, 1))
>>> rep.passed, [s.status for s in rep.steps]
(True, ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'])
"""

from __future__ import annotations

import itertools

import numpy as np

from ..errors import check_int, invalid
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch, ShallowArch
from ..nets.coefficients import coefficient_tensor
from ..nets.weights import DEFAULT_BOUND, Weights, _obj, random_weights, witness_weights
from ..rank.matricization import matricization_rank, structural_upper_bounds
from ..render.reports import Report, Step, status
from ..render.tables import enclosure_text, show_fraction, show_int
from .approximation import GRAM_SIDE_LIMIT, approximation_bound
from .params import corollary1_comparison
from .theorem2 import DENSE_ENTRY_LIMIT, _power, certificate_text

#: Largest Z* for which the explicit shallow realization of the witness is built (step (c)).
REALIZATION_LIMIT = 256


def witness_shallow_weights(arch: DeepArch) -> Weights:
    """An unshared shallow net with ``Z* = r^{N/2}`` channels whose tensor equals the Theorem 1 witness's.

    The witness tensor is ``(x)_j sum_{alpha<r} e_alpha (x) e_alpha`` (one factor per pair of modes
    ``2j, 2j+1``, 0-based); expanding the product gives one rank-one term per tuple
    ``(alpha_0..alpha_{N/2-1})``: channel z has filters ``e_{alpha_j}`` at positions ``2j`` and ``2j+1``.

    Examples
    --------
    >>> w = witness_shallow_weights(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> w.arch.Z, w[(0, 0)].tolist(), w[(0, 2)].tolist()
    (4, [[1, 0], [1, 0], [0, 1], [0, 1]], [[1, 0], [0, 1], [1, 0], [0, 1]])
    """
    if not isinstance(arch, DeepArch):
        raise invalid("arch", "a DeepArch", arch)
    r = min(arch.widths[0], arch.M)
    half = arch.N // 2
    shallow = ShallowArch(N=arch.N, M=arch.M, Z=r**half, Y=arch.Y)
    tuples = list(itertools.product(range(r), repeat=half))
    arrays = {}
    for i in range(arch.N):
        rows = [[1 if d == t[i // 2] else 0 for d in range(arch.M)] for t in tuples]
        arrays[(0, i)] = _obj(rows, (len(tuples), arch.M))
    arrays[(1, 0)] = _obj([[1] * len(tuples) for _ in range(arch.Y)], (arch.Y, len(tuples)))
    return Weights(shallow, arrays, "witness-realization")


def check_corollary1(N: int = 8, M: int = 2, widths=(2, 1, 1), seed: int = 0, bound: int = DEFAULT_BOUND,
                     gram=None, engine=None, dense_limit: int = DENSE_ENTRY_LIMIT) -> Report:
    """Check Corollary 1 (COLT 2016) at one architecture; see the module docstring for the steps.

    Parameters
    ----------
    N, M : int
        Positions (a power of 2) and representation functions.
    widths : sequence of int
        ``r_0..r_{L-1}``.
    seed, bound : int
        Random deep weights from ``random.Random(seed)``, uniform on ``{-bound..bound}``.
    gram : array-like, optional
        Gram matrix of the representation functions for step (f); default ``I + J``.
    engine : str, optional
        Rank engine name.
    dense_limit : int
        Dense rank steps run only when ``M^N`` is at most this.

    Examples
    --------
    >>> rep = check_corollary1(N=1024, M=3, widths=(2,) * 10)   # structure only: Lemmas K and R
    >>> [s.status for s in rep.steps]
    ['PASS', 'SKIP', 'PASS', 'SKIP', 'PASS', 'SKIP', 'SKIP', 'PASS']
    """
    arch = DeepArch(N=N, M=M, widths=widths)
    seed, bound = check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    dense_limit = check_int(dense_limit, "dense_limit", 1)
    r, half = min(arch.widths[0], arch.M), arch.N // 2
    z_star = r**half
    part = parse_partition("odd-even", arch.N)
    fits = arch.M**arch.N <= dense_limit
    rows, cols = part.shape(arch.M)
    gram_fits = min(rows, cols) <= GRAM_SIDE_LIMIT and fits
    too_big = f"M^N = {arch.M}^{arch.N} entries is over the dense limit {dense_limit}"
    side = min(rows, cols)
    gram_big = f"the Gram matrix of [A] ({side} x {side}) is over {GRAM_SIDE_LIMIT} x {GRAM_SIDE_LIMIT}"
    steps = []
    wit = witness_weights(arch)
    c = matricization_rank(wit, part, engine=engine).certificate
    steps.append(Step("(a) deep rank, witness", f"rank [A] = Z* = min(r_0,M)^(N/2) = {_power(r, half)}",
                      status(c.certified and c.rank == z_star), certificate_text(c), c.to_dict()))
    rnd = random_weights(arch, seed, bound)
    if fits:
        cr = matricization_rank(rnd, part, engine=engine).certificate
        steps.append(Step("(a') deep rank, random", f"seed {seed}: rank [A] = {show_int(z_star)}",
                          status(cr.certified and cr.rank == z_star), certificate_text(cr), cr.to_dict()))
    else:
        steps.append(Step("(a') deep rank, random", f"seed {seed}: rank [A] = {show_int(z_star)}", "SKIP", too_big))
    if z_star > 1:
        z = z_star - 1
        ubs = [min(b.value for b in structural_upper_bounds(ShallowArch(N=N, M=M, Z=z, shared=sh), part))
               for sh in (False, True)]
        claim = f"every shallow net with Z = Z* - 1 channels, unshared or shared, has rank [A] <= {show_int(z)}"
        detail = (f"CP form: rank <= Z (upper bounds {show_int(ubs[0])} unshared, {show_int(ubs[1])} shared) < "
                  f"{show_int(z_star)}: Z* = {_power(r, half)} is the least admissible Z")
        steps.append(Step("(b) realization (Lemma C)", claim, status(max(ubs) <= z < z_star), detail,
                          {"upper_bounds": ubs, "Z_star": z_star}))
    else:
        steps.append(Step("(b) realization (Lemma C)", "Z* = 1: nothing to exclude", "SKIP", "r = 1"))
    if fits and z_star <= REALIZATION_LIMIT:
        same = bool((coefficient_tensor(witness_shallow_weights(arch)) == coefficient_tensor(wit)).all())
        steps.append(Step("(c) Z* attained", f"an unshared shallow net with Z* = {z_star} channels equals the witness",
                          status(same), "tensors equal entrywise (exact)"))
    else:
        steps.append(Step("(c) Z* attained", "an unshared shallow net with Z* channels equals the witness", "SKIP",
                          too_big if not fits else f"Z* = {z_star} is over {REALIZATION_LIMIT}"))
    zs = sorted({1, max(z_star - 1, 1)})
    bounds = [approximation_bound(wit, z) for z in zs]
    ok = all(b.tail.lo == b.tail.hi == max(z_star - z, 0) for z, b in zip(zs, bounds))
    claim = f"every shallow net with Z channels is at distance >= sqrt(Z* - Z) (Z = {', '.join(map(show_int, zs))})"
    detail = "; ".join(f"Z = {show_int(z)}: {enclosure_text(b.distance, digits=17)}" for z, b in zip(zs, bounds))
    steps.append(Step("(d) approximation, witness", claim, status(ok), f"{detail} ({bounds[0].spectrum.method})",
                      {"Z": zs, "exact": [b.distance.exact for b in bounds]}))
    if gram_fits and z_star > 1:
        b1 = approximation_bound(rnd, z_star - 1)
        b0 = approximation_bound(rnd, max(b1.rank, 1))
        steps.append(Step("(e) approximation, random", f"seed {seed}: distance to every shallow net with "
                          f"Z = {z_star - 1} channels is certified > 0",
                          status(b1.distance.positive and b0.tail.hi == 0 and b1.rank == z_star),
                          f"rank {b1.rank}; Z = {z_star - 1}: distance >= {enclosure_text(b1.distance, digits=17)}; "
                          f"Z = {b0.Z}: bound 0",
                          {"lower_bound": [str(b1.distance.lo), str(b1.distance.hi)]}))
        default = [[2 if i == j else 1 for j in range(M)] for i in range(M)]
        f = np.array(gram if gram is not None else default, dtype=object)
        bl = approximation_bound(rnd, z_star - 1, gram=f)
        bi = approximation_bound(rnd, z_star - 1, gram=np.eye(M, dtype=int).astype(object))
        claim = f"Gram matrix {bl.gram}: ||h_deep - h_shallow||_L2 >= {enclosure_text(bl.distance, digits=17)} > 0"
        steps.append(Step("(f) L2 form", claim,
                          status(bl.distance.positive and bi.distance == b1.distance),
                          "with the identity Gram matrix the L2 bound equals the Frobenius bound exactly",
                          {"gram": bl.gram}))
    else:
        why = "Z* = 1" if z_star <= 1 else (too_big if not fits else gram_big)
        steps.append(Step("(e) approximation, random", "distance certified > 0 for Z = Z* - 1", "SKIP", why))
        steps.append(Step("(f) L2 form", "L2 distance certified > 0 for Z = Z* - 1", "SKIP", why))
    sep = corollary1_comparison(arch)
    steps.append(Step("(g) parameters", f"deep: {sep.deep_params}; shallow at Z*: {show_int(sep.shallow_params)} "
                      f"unshared, {show_int(sep.shallow_params_shared)} shared", status(steps[0].status == "PASS"),
                      f"ratio shallow/deep = {show_fraction(sep.ratio)} (exact)", sep.to_dict()))
    params = {"N": N, "M": M, "widths": list(arch.widths), "seed": seed, "bound": bound}
    conclusion = (f"a shallow net needs Z >= {_power(r, half)} to realize or approximate almost every such deep "
                  f"net, i.e. >= {show_int(sep.shallow_params)} parameters against {sep.deep_params}")
    return Report("Corollary 1", "Cohen, Sharir & Shashua, COLT 2016, Corollary 1", params, steps, conclusion)


def corollary1_reports() -> list:
    """The default checks of ``verifier prove`` and ``proofs/corollary1.py``.

    Examples
    --------
    >>> [r.passed for r in corollary1_reports()]
    [True, True, True]
    """
    return [check_corollary1(8, 2, (2, 1, 1)), check_corollary1(4, 3, (3, 3)),
            check_corollary1(1024, 3, (2,) * 10)]

"""Theorem 2 / Corollary 2 of Cohen, Sharir & Shashua (COLT 2016), in the corrected form of MATH.md.

**Statement checked** (depth L versus depth ``L_c < L``). Let ``b = 2^{L_c-1}`` and matricize with blocks
of ``b`` consecutive modes, odd blocks as rows (``--partition blocks:b``). The depth-``L_c`` net
(:class:`~verifier.nets.architectures.DepthArch`: size-2 pooling in layers ``0..L_c-2``, global pooling in layer
``L_c - 1``) is a CP form in the merged modes, so its block rank is ``<= r_{L_c-1}`` (its last width) for
ALL weights. The depth-L net reaches block rank ``>= r^{N/2^{L_c}}`` off a null set, with
``r = min(r_0, .., r_{L_c-1}, M)``. Hence a depth-``L_c`` net realizing almost any depth-L function needs
last width ``>= r^{N/2^{L_c}}`` (Corollary 2).

With ``r = min(r_0, M)`` alone (as the statement is sometimes read) the claim is FALSE: for N=8, M=2,
widths (2, 1, 1), L_c=2 every weight choice gives block rank 1, not 4 (step (f) proves that for all
weights by a cut of the tree). The bound is not tight when ``r_0 > M`` (N=8, M=2, widths (4, 4, 4): 16
versus 4).

Steps: (a) depth-``L_c`` upper bound, structural and on random weights; (b) the deep net's structural
upper bound (a minimal cut of its tree); (c) the Theorem 2 witness (MATH.md section 4) reaches
``r^{N/2^{L_c}}``; (d) random weights, unshared and shared, reach it; (e) Corollary 2: the depth-``L_c``
net with last width ``R - 1`` cannot realize; (f) the uncorrected form; (g) measure zero.

Examples
--------
>>> rep = check_theorem2(N=8, M=2, widths=(2, 1, 1), L_c=2)
>>> rep.passed, rep.steps[-2].name, rep.steps[-2].status
(True, '(f) r = min(r_0, M) is wrong', 'PASS')
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import SizeLimitError, check_int, invalid
from ..exact.tensors import parse_partition
from ..nets.architectures import DeepArch, DepthArch, check_depth
from ..nets.weights import DEFAULT_BOUND, check_arch, random_weights, witness_weights
from ..rank.matricization import matricization_rank, structural_upper_bounds
from ..render.reports import Report, Step, status
from ..render.tables import Power, show_int
from .params import depth_comparison

#: Largest M^N for which the dense steps run (as for Theorem 1).
DENSE_ENTRY_LIMIT = 3**16


def _power(r: int, e: int) -> str:
    return Power(r, e).text()


def certificate_text(c) -> str:
    """One line for a :class:`~verifier.exact.certify.RankCertificate`, big numbers as powers.

    Examples
    --------
    >>> from verifier.exact.certify import Bound, RankCertificate
    >>> certificate_text(RankCertificate(2**40, 2**40, Bound(2**40, "x"), Bound(2**40, "y")))
    'certified rank 2^40 [lower: x; upper: y]'
    """
    if not all(hasattr(c, a) for a in ("lower", "upper", "certified")):
        raise invalid("c", "a RankCertificate", c)
    if c.certified:
        return f"certified rank {show_int(c.rank)} [lower: {c.lower.method}; upper: {c.upper.method}]"
    return f"{show_int(c.lower.value)} <= rank <= {show_int(c.upper.value)} [lower: {c.lower.method}]"


def block_target(arch: DeepArch, L_c: int) -> tuple[int, int, int]:
    """``(r, e, r^e)`` with ``r = min(r_0..r_{L_c-1}, M)`` and ``e = N / 2^{L_c}`` (Theorem 2's bound).

    Examples
    --------
    >>> block_target(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)), 3)
    (2, 2, 4)
    """
    check_arch(arch)
    L_c = check_int(L_c, "L_c", 1)
    L_c = check_depth(L_c, arch.N)
    r = min(arch.widths[:L_c] + (arch.M,))
    e = arch.N >> L_c
    return r, e, r**e


def check_theorem2(N: int = 8, M: int = 2, widths=(2, 2, 2), L_c: int = 2, seed: int = 0,
                   bound: int = DEFAULT_BOUND, engine=None, dense_limit: int = DENSE_ENTRY_LIMIT) -> Report:
    """Check Theorem 2 / Corollary 2 (corrected form) at one architecture; steps in the module docstring.

    Parameters
    ----------
    N, M : int
        Positions (a power of 2, ``log2 N >= 2``) and representation functions.
    widths : sequence of int
        The deep net's ``r_0..r_{L-1}``.
    L_c : int
        The shallower depth, ``1..L-1``.
    seed, bound : int
        Random weights uniform on ``{-bound..bound}``: seed (deep, unshared), seed + 1 (shared),
        seed + 2 (the depth-``L_c`` net with widths ``r_0..r_{L_c-1}``).
    engine : str, optional
        Rank engine name.
    dense_limit : int
        Dense steps run only when ``M^N`` is at most this (else SKIP).

    Raises
    ------
    InvalidArgumentError
        For an ``L_c`` outside ``1..L-1`` (and the architecture's own checks).

    Examples
    --------
    >>> rep = check_theorem2(N=16, M=2, widths=(2, 2, 2, 2), L_c=3)
    >>> rep.passed, rep.parameters["partition"], rep.steps[3].data["rank"]
    (True, 'blocks:4', 4)
    >>> check_theorem2(N=8, M=2, widths=(2, 2, 2), L_c=3)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'L_c' must be an integer in 1..L-1 = 1..2 for N = 8 (L = 3), got 3.
    """
    arch = DeepArch(N=N, M=M, widths=widths)
    seed, bound = check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    dense_limit = check_int(dense_limit, "dense_limit", 1)
    L_c = check_depth(L_c, arch.N)
    r, e, target = block_target(arch, L_c)
    b = 1 << (L_c - 1)
    part = parse_partition(f"blocks:{b}", arch.N)
    fits = arch.M**arch.N <= dense_limit
    too_big = f"M^N = {arch.M}^{arch.N} entries is over the dense limit {dense_limit}"
    last = arch.widths[L_c - 1]
    steps = []

    shallower = DepthArch(N=N, M=M, widths=arch.widths[:L_c], L_c=L_c)
    ub_c = min(x.value for x in structural_upper_bounds(shallower, part))
    steps.append(Step("(a) depth-L_c upper bound",
                      f"every depth-{L_c} net with last width {last} has block rank <= {last}",
                      status(ub_c <= last), f"minimal cut of its tree (global pooling at level {L_c}) = {ub_c}",
                      {"upper_bound": ub_c}))

    def dense_step(name, claim, weights, expect):
        if not fits:
            return Step(name, claim, "SKIP", too_big)
        try:
            cert = matricization_rank(weights, part, engine=engine).certificate
        except SizeLimitError as exc:  # pragma: no cover - guarded by dense_limit
            return Step(name, claim, "SKIP", str(exc))
        return Step(name, claim, status(expect(cert)), certificate_text(cert), cert.to_dict())

    steps.append(dense_step("(a') depth-L_c, random", f"seed {seed + 2}: block rank <= {last}",
                            random_weights(shallower, seed + 2, bound), lambda c: c.upper.value <= last))
    ub = min(x.value for x in structural_upper_bounds(arch, part))
    steps.append(Step("(b) deep upper bound", f"block rank of the depth-{arch.L} net <= {ub} for all weights",
                      status(ub >= target), f"minimal cut of the HT tree = {ub} (>= the claimed {target})",
                      {"upper_bound": ub}))
    c = matricization_rank(witness_weights(arch, L_c), part, engine=engine).certificate
    steps.append(Step("(c) witness", f"the Theorem 2 witness (position independent, so also shared) reaches "
                      f"block rank r^(N/2^L_c) = {_power(r, e)}", status(c.certified and c.rank == target),
                      certificate_text(c), c.to_dict()))
    for name, shared, s in (("(d) random, unshared", False, seed), ("(d') random, shared", True, seed + 1)):
        a = DeepArch(N=N, M=M, widths=arch.widths, shared=shared)
        steps.append(dense_step(name, f"seed {s}, weights in [-{bound},{bound}]: block rank >= {target}",
                                random_weights(a, s, bound), lambda c: c.lower.value >= target))
    if target > 1:
        thin = DepthArch(N=N, M=M, widths=arch.widths[:L_c - 1] + (target - 1,), L_c=L_c)
        ub_thin = min(x.value for x in structural_upper_bounds(thin, part))
        steps.append(Step("(e) Corollary 2", f"a depth-{L_c} net needs last width >= {_power(r, e)}",
                          status(ub_thin < target), f"last width {target - 1}: block rank <= {ub_thin} < {target} "
                          f"for all weights", {"upper_bound": ub_thin}))
    else:
        steps.append(Step("(e) Corollary 2", f"a depth-{L_c} net needs last width >= 1", "SKIP",
                          "r^(N/2^L_c) = 1: nothing to separate"))
    naive = min(arch.widths[0], arch.M) ** e
    if naive > target:
        r0 = min(arch.widths[0], arch.M)
        steps.append(Step("(f) r = min(r_0, M) is wrong",
                          f"the uncorrected bound min(r_0,M)^(N/2^L_c) = {_power(r0, e)} fails",
                          status(ub < naive), f"every weight choice gives block rank <= {ub} < {naive} "
                          f"(r_1..r_(L_c-1) = {','.join(map(str, arch.widths[1:L_c]))} cap it)",
                          {"upper_bound": ub, "uncorrected": naive}))
    else:
        steps.append(Step("(f) r = min(r_0, M) is wrong", "the uncorrected bound differs here", "SKIP",
                          f"min(r_0..r_(L_c-1), M) = min(r_0, M) = {r}: both forms agree at these widths"))
    reached = any(st.status == "PASS" and st.name.startswith(("(c)", "(d)")) for st in steps)
    degree = target * (2 * arch.N - 1)
    sz = Fraction(degree, 2 * bound + 1)
    steps.append(Step("(g) measure zero",
                      f"block rank < {target} only on the zero set of a nonzero polynomial of degree {degree}",
                      status(reached), f"a {target} x {target} minor is nonzero at a certified point; "
                      f"Schwartz-Zippel: P[rank < {target}] <= {degree}/{2 * bound + 1} for weights uniform on "
                      f"[-{bound},{bound}]", {"degree": degree, "schwartz_zippel": [sz.numerator, sz.denominator]}))
    sep = depth_comparison(arch, L_c)
    params = {"N": N, "M": M, "widths": list(arch.widths), "L_c": L_c, "partition": part.spec, "seed": seed,
              "bound": bound}
    generic = next((st.data.get("rank") for st in steps if st.name == "(d) random, unshared"), None)
    tight = "" if generic in (None, target) else f" (not tight here: random weights give {generic})"
    conclusion = (f"generic block rank >= {_power(r, e)}{tight}; a depth-{L_c} net needs last width >= "
                  f"{_power(r, e)} and at least {sep.depth_params} parameters (deep net: {sep.deep_params})")
    return Report("Theorem 2 / Corollary 2", "Cohen, Sharir & Shashua, COLT 2016, Theorem 2 (corrected, MATH.md)",
                  params, steps, conclusion)


def theorem2_reports() -> list:
    """The default checks of ``verifier prove`` and ``proofs/theorem2.py``: the acceptance cases, the
    counterexample to the uncorrected form, a case where the bound is not tight, and L_c = 1.

    Examples
    --------
    >>> [r.passed for r in theorem2_reports()]
    [True, True, True, True, True]
    """
    return [check_theorem2(8, 2, (2, 2, 2), 2), check_theorem2(8, 2, (2, 1, 1), 2),
            check_theorem2(16, 2, (2, 2, 2, 2), 3), check_theorem2(8, 2, (4, 4, 4), 2),
            check_theorem2(8, 3, (3, 2, 2), 1)]

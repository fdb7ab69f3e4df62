"""Theorem 1 of Cohen, Sharir & Shashua (COLT 2016), checked step by step with exact arithmetic.

**Theorem 1.** Let ``A^y`` be the coefficient tensor of a deep ConvAC (HT decomposition, size-2 pooling,
widths ``r_0..r_{L-1}``) and ``r = min(r_0, M)``. Apart from a set of Lebesgue measure zero of the
weights, ``CP-rank(A^y) >= r^{N/2}``; the same holds with shared weights.

The proof goes through the matricization ``[A]`` (odd modes as rows, even modes as columns), whose
rank is at most the CP-rank (Lemma C). The steps checked here:

(a) upper bound: the HT structure gives ``rank [A] <= r^{N/2}`` for ALL weights (a cut of the tree);
(b) the witness weights (MATH.md section 4) reach ``r^{N/2}``, certified through Lemmas K and R for
    any N, and densely where the matricization fits;
(c) seeded random integer weights reach it, unshared and shared (certified lower bound);
(d) ``r_1..r_{L-1}`` do not matter: widths ``(r_0, 1, .., 1)`` reach the same rank;
(e) Lemma C: a shallow net with ``Z = r^{N/2} - 1`` channels has ``rank [A] <= Z`` for all weights,
    so it cannot realize the deep tensor;
(f) conclusion: one point of full rank makes some ``R x R`` minor (``R = r^{N/2}``) a nonzero
    polynomial of degree ``R (2N - 1)`` in the weights; its zero set is Lebesgue-null (Lemma Z) and
    Schwartz-Zippel bounds the chance that uniform weights from ``{-B..B}`` hit it by
    ``R (2N - 1) / (2B + 1)``.

Examples
--------
>>> rep = check_theorem1(N=4, M=2, widths=(2, 1), seed=0)
>>> rep.passed, [s.status for s in rep.steps]
(True, ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'])
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import SizeLimitError, check_int
from ..exact.certify import RankCertificate
from ..exact.tensors import EXACT_ENTRY_LIMIT, parse_partition
from ..nets.architectures import DeepArch, ShallowArch
from ..nets.weights import DEFAULT_BOUND, random_weights, witness_weights
from ..rank.matricization import matricization_rank, structural_upper_bounds
from ..render.reports import Report, Step, status

#: Largest M^N for which the dense cross-checks run inside :func:`check_theorem1`.
DENSE_ENTRY_LIMIT = 3**16


def _power(r: int, e: int) -> str:
    return f"{r}^{e} = {r ** e}" if len(str(r**e)) <= 30 else f"{r}^{e}"


def _show(n: int) -> str:
    """An exact integer; very long ones also as a power of their smallest base when they are one."""
    if len(str(n)) <= 30:
        return str(n)
    for base in range(2, 64):
        e, m = 0, n
        while m % base == 0:
            m //= base
            e += 1
        if m == 1:
            return f"{base}^{e}"
    return f"{n} ({len(str(n))} digits)"


def _cert_text(c: RankCertificate) -> str:
    if c.certified:
        return f"certified rank {_show(c.rank)} [lower: {c.lower.method}; upper: {c.upper.method}]"
    return f"{_show(c.lower.value)} <= rank <= {_show(c.upper.value)} [lower: {c.lower.method}]"


def check_theorem1(N: int = 8, M: int = 3, widths=(3, 3, 3), seed: int = 0, bound: int = DEFAULT_BOUND,
                   engine=None, dense_limit: int = DENSE_ENTRY_LIMIT) -> Report:
    """Check Theorem 1 (COLT 2016) at one architecture; see the module docstring for the steps.

    Parameters
    ----------
    N, M : int
        Number of positions (a power of 2) and of representation functions.
    widths : sequence of int
        ``r_0..r_{L-1}``.
    seed, bound : int
        Random weights are uniform on ``{-bound..bound}`` from ``random.Random(seed)`` (unshared),
        ``seed + 1`` (shared), ``seed + 2`` (widths ``r_0, 1, .., 1``), ``seed + 3`` (shallow).
    engine : str, optional
        Rank engine name (``'flint'`` default, ``'sympy'``).
    dense_limit : int
        Dense steps run only when ``M^N`` is at most this; otherwise they are SKIP.

    Returns
    -------
    Report

    Examples
    --------
    >>> rep = check_theorem1(N=1024, M=3, widths=(2,) * 10)   # witness via Lemmas K and R only
    >>> [s.status for s in rep.steps]
    ['PASS', 'PASS', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP', 'PASS']
    """
    arch = DeepArch(N=N, M=M, widths=widths)
    seed, bound = check_int(seed, "seed", 0), check_int(bound, "bound", 1, 10**18)
    dense_limit = check_int(dense_limit, "dense_limit", 1)
    r = min(arch.widths[0], arch.M)
    half = arch.N // 2
    target = r**half
    part = parse_partition("odd-even", arch.N)
    fits = arch.M**arch.N <= dense_limit
    too_big = f"M^N = {arch.M}^{arch.N} entries is over the dense limit {dense_limit}"
    steps = []

    ub = min(b.value for b in structural_upper_bounds(arch, part))
    steps.append(Step("(a) upper bound", f"rank [A] <= min(r_0,M)^(N/2) = {_power(r, half)} for all weights",
                      status(ub == target), f"minimal cut of the HT tree = {_show(ub)}", {"upper_bound": ub}))

    wit = witness_weights(arch)
    c = matricization_rank(wit, part, engine=engine, route="structure").certificate
    steps.append(Step("(b) witness, structure", f"witness reaches rank {_power(r, half)} (Lemmas K, R)",
                      status(c.certified and c.rank == target), _cert_text(c), c.to_dict()))

    def dense_step(name, claim, weights, expect):
        if not fits:
            return Step(name, claim, "SKIP", too_big)
        try:
            cert = matricization_rank(weights, part, engine=engine, route="dense").certificate
        except SizeLimitError as exc:  # pragma: no cover - guarded by dense_limit
            return Step(name, claim, "SKIP", str(exc))
        return Step(name, claim, status(expect(cert)), _cert_text(cert), cert.to_dict())

    tt = _power(r, half)
    steps.append(dense_step("(b') witness, dense", f"dense [A] of the witness has rank {tt}", wit,
                            lambda c: c.certified and c.rank == target))
    for name, shared, s in (("(c) random, unshared", False, seed), ("(c') random, shared", True, seed + 1)):
        a = DeepArch(N=N, M=M, widths=widths, shared=shared)
        steps.append(dense_step(name, f"seed {s}, weights in [-{bound},{bound}]: rank [A] >= {tt}",
                                random_weights(a, s, bound), lambda c: c.lower.value >= target))
    thin = DeepArch(N=N, M=M, widths=(arch.widths[0],) + (1,) * (arch.L - 1))
    steps.append(dense_step("(d) r_1..r_{L-1} do not matter",
                            f"widths {','.join(map(str, thin.widths))}, seed {seed + 2}: rank [A] = {tt}",
                            random_weights(thin, seed + 2, bound), lambda c: c.certified and c.rank == target))
    z = target - 1
    if target > 1 and fits and z * arch.M**arch.N <= 8 * dense_limit and arch.M**arch.N <= EXACT_ENTRY_LIMIT * 8:
        shallow = ShallowArch(N=N, M=M, Z=z)
        cs = matricization_rank(random_weights(shallow, seed + 3, bound), part, engine=engine).certificate
        steps.append(Step("(e) Lemma C", f"shallow net with Z = {z} < {tt}: rank [A] <= Z for all weights",
                          status(cs.upper.value <= z < target), _cert_text(cs), cs.to_dict()))
    else:
        steps.append(Step("(e) Lemma C", f"shallow net with Z = {tt} - 1: rank [A] <= Z", "SKIP",
                          too_big if not fits else f"Z * M^N = {z * arch.M ** arch.N} is too large to build"))

    reached = any(st.status == "PASS" and st.name.startswith(("(b)", "(c)")) for st in steps)
    degree = target * (2 * arch.N - 1)
    sz = Fraction(degree, 2 * bound + 1)
    sz_text = f"{sz.numerator}/{sz.denominator} ~ {float(sz):.3g} (float shown as an estimate)" if sz < 1 \
        else "a bound >= 1 (vacuous at this range)"
    short = f"{r}^{half}"
    deg_text = f"R(2N-1) = {short} * {2 * arch.N - 1}" + (f" = {degree}" if len(str(degree)) <= 30 else "")
    steps.append(Step("(f) measure zero",
                      f"rank [A] < {tt} only on the zero set of a nonzero polynomial of degree {deg_text}",
                      status(reached and steps[0].status == "PASS"),
                      f"a {short} x {short} minor is nonzero at a certified point; Schwartz-Zippel for weights "
                      f"uniform on [-{bound},{bound}]: P[rank < {tt}] <= degree/{2 * bound + 1}: {sz_text}",
                      {"degree": degree, "schwartz_zippel": [sz.numerator, sz.denominator]}))
    params = {"N": N, "M": M, "widths": list(arch.widths), "seed": seed, "bound": bound}
    conclusion = (f"generic rank [A] = {_power(r, half)}, so CP-rank(A) >= {_power(r, half)} off a null set "
                  f"and a shallow net needs Z >= {_power(r, half)}")
    return Report("Theorem 1", "Cohen, Sharir & Shashua, COLT 2016, Theorem 1", params, steps, conclusion)

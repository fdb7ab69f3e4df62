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


def _theorem1_witness(arch):
    """The Theorem 1 witness (MATH.md section 4) on ``arch``: :func:`~verifier.nets.weights.witness_weights`
    for a deep net; the same pattern, level by level, on a depth-``L_c`` net (``e_alpha`` filters, the all-ones
    row at level 1, channel 0 copied above, at the global pooling node too), so ``[A] = D_r (.) .. (.) D_r``."""
    if isinstance(arch, DeepArch):
        return witness_weights(arch)
    from ..nets.weights import weights_from_arrays

    r, tree, arrays = min(arch.widths[0], arch.M), arch.tree, {}
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        level, a = tree.depth(v), [[0] * cols for _ in range(rows)]
        outputs = range(rows) if v == tree.root else range(1)  # at the root, every output y
        if level == 0:  # e_alpha filters, alpha < r
            for k in range(r):
                a[k][k] = 1
        elif level == 1:  # the all-ones row on all r_0 channels
            for y in outputs:
                a[y] = [1] * cols
        else:  # copy channel 0 (also through the global pooling node)
            for y in outputs:
                a[y][0] = 1
        arrays[f"{v[0]},{v[1]}"] = a
    return weights_from_arrays(arch, arrays)


def _answer(weights, part, routes, engine, progress):
    """``(report, None)`` for the first certified rank among ``routes``, else ``(last report or None, why)``."""
    from ..errors import InvalidArgumentError

    last, why = None, []
    for route in routes:
        too_big = _too_big(weights.arch, route)
        if too_big:  # refused before the route builds anything (its tensor-network cut included)
            why.append(f"{route}: {too_big}")
            continue
        try:
            rep = matricization_rank(weights, part, engine=engine, route=route, progress=progress)
        except SizeLimitError as exc:
            text = " ".join(str(exc).split())
            why.append(f"{route}: {text.split(':', 1)[-1].split(';')[0].strip()}")
            continue
        except InvalidArgumentError:
            why.append(f"{route}: does not apply to these weights")
            continue
        if rep.certificate.certified:
            return rep, None
        last = rep
        why.append(f"{route}: bounds {_show(rep.certificate.lower.value)}..{_show(rep.certificate.upper.value)} "
                   "do not meet")
    return last, "; ".join(why)


def _too_big(arch, route: str) -> str:
    """Why ``route`` cannot take ``arch`` at the default limits (checked by size alone), or ``''``."""
    from ..exact.tensors import DEFAULT_MEMORY_BUDGET
    from ..nets.coefficients import dense_bytes
    from ..rank.pair_diagonal import ENTRY_LIMIT

    r0 = arch.widths[0]
    if route == "pair-diagonal" and r0 ** (arch.N // 2) > ENTRY_LIMIT:
        return f"D would have r_0^(N/2) = {_big(r0 ** (arch.N // 2))} entries, over its limit {_big(ENTRY_LIMIT)}"
    if route == "reduced" and r0 >= arch.M:
        return f"needs r_0 < M (the core is as large as [A]), got r_0 = {r0}, M = {arch.M}"
    if route in ("dense", "reduced"):
        side = (min(r0, arch.M) if route == "reduced" else arch.M) ** (arch.N // 2)
        need = 8 * side * side + (dense_bytes(arch, 2) if route == "dense" else 0)
        if need > DEFAULT_MEMORY_BUDGET:
            return (f"the {_big(side)} x {_big(side)} matrix needs about {_big(need)} bytes, over the memory budget "
                    f"{_big(DEFAULT_MEMORY_BUDGET)}")
    return ""


def _big(n: int) -> str:
    """An exact integer, as a power, ``m*b^e`` or ``b^e - k`` when long (the tables' compact form)."""
    from ..render.tables import show_int

    return show_int(n)


def _rank_step(name, claim, weights, part, routes, engine, progress, ok, advice):
    """A step answered by the first certified route of ``routes``; SKIP (saying why and ``advice``) if none."""
    rep, why = _answer(weights, part, routes, engine, progress)
    if rep is None:
        return Step(name, claim, "SKIP", f"no certified route answers it ({why}); {advice}")
    c = rep.certificate
    data = dict(c.to_dict(), route=rep.route)
    if not c.certified and not ok(c):
        return Step(name, claim, "SKIP", f"{_cert_text(c)}, route {rep.route}: not certified ({why}); {advice}", data)
    return Step(name, claim, status(ok(c)), f"{_cert_text(c)}, route {rep.route}", data)


def _other_routes(arch, part) -> tuple:
    """Routes other than the Kronecker structure, the scalable one first (Lemma D where it applies)."""
    from ..rank.pair_diagonal import applies

    return ("pair-diagonal", "dense") if applies(arch, part) else ("reduced", "dense")


def check_theorem1_network(arch, weights=None, seed: int = 0, bound: int = DEFAULT_BOUND, engine=None,
                           progress=None) -> Report:
    """Check Theorem 1 (COLT 2016) on one network, every step by a certified route that scales.

    The steps are those of :func:`check_theorem1`, for the architecture ``arch`` (a deep net, or a
    depth-``L_c`` net of Theorem 2, shared or not, any ``Y``; output 1 is checked) and, in step (c), the
    weights ``weights`` (default: random with ``seed`` and ``bound``). ``R = min(r_0, M)^{N/2}``.

    (a) the structural upper bound (a minimal cut of the mode tree, valid for all weights) equals ``R``;
    (b) the witness reaches ``R`` by Lemmas K and R; (b') the witness again by an independent route: the
    pair-diagonal count (Lemma D, MATH.md section 5) where it applies, else the reduced core or the dense
    matrix; (c) the given weights reach ``R``; (c') seeded random weights of the other sharing reach it
    (seed ``seed + 1``); (d) widths ``r_0, 1, .., 1`` (seed ``seed + 2``) reach it; (e) Lemma C: the CP
    form bounds the rank of EVERY shallow net with ``Z = R - 1`` channels by ``Z`` (structure, for all
    weights); (f) the exceptional set is null: by Lemma D a union of zero sets of explicit polynomials
    (for deep nets with ``r_0 <= M``), else the zero set of one nonzero ``R x R`` minor; Schwartz-Zippel.

    A step is SKIP only when no route certifies it (the detail says why and what would); the report then
    does not pass (``allow_skip=False``) unless the caller sets ``report.allow_skip = True``.

    Parameters
    ----------
    arch : DeepArch or DepthArch
    weights : Weights, optional
        The network's weights (e.g. read from a file); default ``random_weights(arch, seed, bound)``.
    seed, bound : int
        Random weights uniform on ``{-bound..bound}``.
    engine : str, optional
        Rank engine.
    progress : callable, optional
        ``progress(done, total)`` during long counts.

    Returns
    -------
    Report

    Examples
    --------
    >>> rep = check_theorem1_network(DeepArch(N=32, M=2, widths=(2,) * 5))
    >>> [s.status for s in rep.steps], rep.passed
    (['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'], True)
    >>> rep.steps[3].data["route"], rep.steps[3].data["rank"]
    ('pair-diagonal', 65536)
    """
    from ..nets.architectures import DepthArch

    if not isinstance(arch, (DeepArch, DepthArch)):
        from ..errors import invalid

        raise invalid("arch", "a deep net or a depth-L_c net (Theorem 1 is about the HT form)", type(arch).__name__)
    r, half = min(arch.widths[0], arch.M), arch.N // 2
    target, tt = r**half, _power(r, half)
    part = parse_partition("odd-even", arch.N)
    steps = []

    ub = min(b.value for b in structural_upper_bounds(arch, part))
    steps.append(Step("(a) upper bound", f"rank [A] <= min(r_0,M)^(N/2) = {tt} for all weights",
                      status(ub == target), f"minimal cut of the mode tree = {_big(ub)}", {"upper_bound": ub}))

    def full(c):
        return c.certified and c.rank == target

    def reaches(c):
        return c.lower.value >= target

    wit = _theorem1_witness(arch)
    steps.append(_rank_step("(b) witness, structure", f"witness reaches rank {tt} (Lemmas K, R)", wit, part,
                            ("structure",), engine, progress, full, "the witness has no Kronecker structure here"))
    others = _other_routes(arch, part)
    if arch.net == "depth":
        bigger = "use --net deep (Lemma D's pair-diagonal route) or a smaller --N (dense route)"
    elif arch.widths[0] > arch.M:
        bigger = (f"use --widths with r_0 <= M = {arch.M} (Lemma D's count then certifies any N) or a smaller --N "
                  "(dense route)")
    else:
        bigger = "use a smaller --N (dense route)"
    steps.append(_rank_step("(b') witness, second route", f"the witness's [A] has rank {tt} by a route other "
                            "than Lemmas K, R", wit, part, others, engine, progress, full, bigger))
    if weights is None:
        weights = random_weights(arch, seed, bound)
    what = (f"seed {weights.seed}, weights in [-{weights.bound},{weights.bound}]" if weights.kind == "random"
            else f"{weights.kind} weights")
    sharing = "shared" if arch.shared else "unshared"
    steps.append(_rank_step(f"(c) your net, {sharing}", f"{what}: rank [A] >= {tt}", weights, part,
                            ("auto",) + others[:1], engine, progress, reaches, bigger))
    fields = {"N": arch.N, "M": arch.M, "widths": arch.widths, "Y": arch.Y}
    if arch.net == "depth":
        fields["L_c"] = arch.L_c
    other = type(arch)(shared=not arch.shared, **fields)
    steps.append(_rank_step(f"(c') random, {'unshared' if arch.shared else 'shared'}",
                            f"seed {seed + 1}, weights in [-{bound},{bound}]: rank [A] >= {tt}",
                            random_weights(other, seed + 1, bound), part, ("auto",) + others[:1], engine, progress,
                            reaches, bigger))
    thin = type(arch)(shared=arch.shared, **dict(fields, widths=(arch.widths[0],) + (1,) * (len(arch.widths) - 1)))
    steps.append(_rank_step("(d) r_1..r_{L-1} do not matter",
                            f"widths {','.join(map(str, thin.widths))}, seed {seed + 2}: rank [A] = {tt}",
                            random_weights(thin, seed + 2, bound), part, ("auto",) + others[:1], engine, progress,
                            full, bigger))
    z = target - 1
    if z < 1:
        steps.append(Step("(e) Lemma C", f"shallow net with Z < {tt}: rank [A] <= Z for all weights", "PASS",
                          "vacuous: Z = 0 channels give the zero tensor, of rank 0 < 1"))
    else:
        cs = min(b.value for b in structural_upper_bounds(ShallowArch(N=arch.N, M=arch.M, Z=z), part))
        steps.append(Step("(e) Lemma C", f"shallow net with Z = {_big(z)} < {tt}: rank [A] <= Z for all weights",
                          status(cs <= z < target), f"structure: CP form (Lemma C), rank [A] <= {_big(cs)} for "
                          "every choice of its weights", {"upper_bound": cs, "Z": z}))
    steps.append(_null_step(arch, part, steps, target, bound))
    params = dict(arch.to_dict(), seed=seed, bound=bound, weights=weights.kind)
    params["widths"] = list(arch.widths)
    rep = Report("Theorem 1", "Cohen, Sharir & Shashua, COLT 2016, Theorem 1", params, steps, allow_skip=False)
    if all(s.status == "PASS" for s in steps):
        rep.conclusion = (f"generic rank [A] = {tt}, so CP-rank(A) >= {tt} off a null set and a shallow net needs "
                          f"Z >= {tt}")
    return rep


def _null_step(arch, part, steps, target, bound) -> Step:
    """Step (f): the exceptional set, by Lemma D's union of zero sets where it applies, else one minor."""
    from ..errors import InvalidArgumentError
    from .exceptional.pair_diagonal import diagonal_zero_set

    r, half = min(arch.widths[0], arch.M), arch.N // 2
    tt = _power(r, half)
    reached = any(s.status == "PASS" and s.name.startswith(("(b)", "(c)")) for s in steps)
    ok = reached and steps[0].status == "PASS"
    try:
        zs = diagonal_zero_set(arch, part, factor=False)
    except InvalidArgumentError:
        zs = None
    if zs is not None:
        degree, how = zs.sz_degree, (f"Lemma D: rank [A] < {tt} exactly on the union of the zero sets of "
                                     f"{_big(zs.polynomial_count)} nonzero polynomials (the filters' "
                                     f"{zs.r0} x {zs.r0} minors and the entries of D)")
    else:
        degree = target * (2 * arch.N - 1)
        how = (f"a {r}^{half} x {r}^{half} minor is a nonzero polynomial of degree R(2N-1) = {_big(degree)} "
               + ("(nonzero at a certified point)" if ok else "(if one point of full rank is certified)"))
    sz = Fraction(degree, 2 * bound + 1)
    sz_text = f"{sz.numerator}/{sz.denominator} ~ {float(sz):.3g} (float shown as an estimate)" if sz < 1 \
        else "a bound >= 1 (vacuous at this range)"
    return Step("(f) measure zero", f"rank [A] < {tt} only on a Lebesgue-null set (Lemma Z)", status(ok),
                f"{how}; Schwartz-Zippel for weights uniform on [-{bound},{bound}]: P[rank < {tt}] <= "
                f"{_big(degree)}/{2 * bound + 1}: {sz_text}",
                {"degree": degree, "schwartz_zippel": [sz.numerator, sz.denominator],
                 "form": "pair-diagonal" if zs is not None else "minor"})

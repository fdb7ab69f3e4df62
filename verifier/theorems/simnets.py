"""SimNets: the ConvAC computed in log space is a SimNet (Cohen, Sharir & Shashua, COLT 2016, abstract).

**Statement checked.** For non-negative weights and positive representation values, the SimNet of
:mod:`verifier.nets.simnet` (similarity layer ``log f_d(x_i)``; MEX layers with offsets ``log a + log n`` in
place of the weighted sums, zero weights dropping their term; sum pooling in place of product pooling)
outputs ``log h_y(X)``, where ``h_y(X)`` is the ConvAC's score. Checked per sample: ``h_y(X)`` is computed
EXACTLY by the ConvAC's forward pass (:func:`~verifier.nets.evaluate.evaluate`, rationals); the SimNet runs
in arb ball arithmetic; the ball is proved to contain ``log h_y(X)`` by comparing exact rational endpoints
with a rigorous enclosure of ``log h_y(X)`` (:func:`~verifier.nets.simnet.ball_contains_log`), for every
output ``y``. No float decides anything; the radius of every ball is reported (a wide ball would prove
little: the proof check also requires radius <= 2^-64).

Sampling (reproducible): sample ``i`` draws from ``random.Random(seed + i)`` first the weights (unless
given), integers uniform on ``{1..bound}`` node by node in the tree's post-order, rows then columns (one
matrix per level when shared), then the representation values ``f_d(x_i) = p/q`` with ``p, q`` uniform on
``{1..bound}``, positions then functions.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> r = check_simnet(DeepArch(N=4, M=2, widths=(2, 2), shared=True), samples=3, seed=0)
>>> r.enclosed, r.samples, r.max_radius < Fraction(1, 2**64)
(3, 3, True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..errors import InvalidArgumentError, check_int, check_size, invalid
from ..exact.enclosures import Enclosure
from ..nets.architectures import DeepArch, DepthArch, ShallowArch
from ..nets.evaluate import evaluate
from ..nets.simnet import (
    DEFAULT_PRECISION,
    ball_contains_log,
    ball_radius,
    check_precision,
    check_simnet_weights,
    simnet_evaluate,
)
from ..nets.weights import DEFAULT_BOUND, Weights, check_arch, weights_from_arrays, witness_weights
from ..render.reports import Report, Step, status

#: Largest ``samples * (number of weights)``: the work of one check (each weight is one ball operation).
WORK_LIMIT = 10**7
#: Largest number of samples.
SAMPLES_LIMIT = 10**4
#: The proof check requires every ball's radius to be at most this (a meaningful enclosure).
RADIUS_LIMIT = Fraction(1, 2**64)
REFERENCE = ("Cohen, Sharir & Shashua, COLT 2016, abstract (log-space ConvACs are SimNets); SimNets: Cohen & "
             "Shashua, arXiv 1410.0781; Deep SimNets, CVPR 2016, arXiv 1506.03059")


def positive_weights(arch, seed: int = 0, bound: int = DEFAULT_BOUND, rng: random.Random | None = None) -> Weights:
    """Seeded random POSITIVE integer weights, uniform on ``{1..bound}`` (order as in ``random_weights``).

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> w = positive_weights(ShallowArch(N=2, M=2, Z=1), seed=0, bound=3)
    >>> all(1 <= x <= 3 for v in w.arrays.values() for x in v.flat), w.kind
    (True, 'random-positive')
    """
    check_arch(arch)
    _check_seed_bound(seed, bound)
    if rng is not None and not isinstance(rng, random.Random):
        raise invalid("rng", "a random.Random or None", rng)
    rng = random.Random(seed) if rng is None else rng
    tree = arch.tree
    drawn: dict = {}
    arrays = {}
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        level = tree.depth(v)
        if arch.shared and level in drawn:
            arrays[v] = drawn[level].copy()
            continue
        a = np.empty((rows, cols), dtype=object)
        for g in range(rows):
            for k in range(cols):
                a[g, k] = rng.randint(1, bound)
        arrays[v] = drawn[level] = a
    return Weights(arch, arrays, "random-positive", seed, bound)


#: Most representation values :func:`positive_reps` draws (N x M).
MAX_REP_VALUES = 2**22


def positive_reps(N: int, M: int, rng: random.Random, bound: int = DEFAULT_BOUND) -> np.ndarray:
    """Positive representation values ``p/q``, ``p, q`` uniform on ``{1..bound}``, positions then functions.

    Examples
    --------
    >>> r = positive_reps(2, 3, random.Random(0), bound=5)
    >>> r.shape, all(x > 0 for x in r.flat)
    ((2, 3), True)
    """
    N, M = check_int(N, "N", 1), check_int(M, "M", 1)
    check_size("N, M", N * M, MAX_REP_VALUES, "the representation values", "values")
    if not isinstance(rng, random.Random):
        raise invalid("rng", "a random.Random", rng)
    _check_seed_bound(0, bound)
    out = np.empty((N, M), dtype=object)
    for i in range(N):
        for d in range(M):
            out[i, d] = Fraction(rng.randint(1, bound), rng.randint(1, bound))
    return out


def _check_seed_bound(seed, bound) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise invalid("seed", "a non-negative integer", seed)
    if isinstance(bound, bool) or not isinstance(bound, int) or bound < 1:
        raise invalid("bound", "a positive integer", bound)


@dataclass(frozen=True)
class SimnetResult:
    """The outcome of a SimNet enclosure check: per sample, whether every output's ball contains log h_y.

    ``verdicts[i]`` is True (proved enclosed), False (proved NOT enclosed) or None (undecided) for sample
    ``i`` (the worst over its outputs); ``radii[i]`` is the largest exact ball radius of sample ``i``.
    """

    arch: object
    weights_kind: str
    seed: int
    bound: int
    prec: int
    verdicts: tuple
    radii: tuple
    h_zero: int = 0
    examples: list = field(default_factory=list, compare=False)

    @property
    def samples(self) -> int:
        """Number of samples."""
        return len(self.verdicts)

    @property
    def enclosed(self) -> int:
        """Number of samples proved enclosed (every output)."""
        return sum(v is True for v in self.verdicts)

    @property
    def max_radius(self) -> Fraction:
        """The largest ball radius over all samples and outputs (exact)."""
        return max(self.radii, default=Fraction(0))

    @property
    def passed(self) -> bool:
        """Every sample enclosed."""
        return self.enclosed == self.samples

    def to_dict(self) -> dict:
        """JSON-ready form; ``max_radius`` as a decimal string rounded up (exact: ``max_radius_exact``)."""
        r = self.max_radius
        d = {"samples": self.samples, "enclosed": self.enclosed,
             "not_enclosed": [i for i, v in enumerate(self.verdicts) if v is False],
             "undecided": [i for i, v in enumerate(self.verdicts) if v is None],
             "max_radius": Enclosure(r, r).decimals(6)[1], "max_radius_exact": f"{r.numerator}/{r.denominator}",
             "h_zero": self.h_zero, "prec": self.prec, "seed": self.seed, "bound": self.bound,
             "weights": self.weights_kind, "passed": self.passed, "architecture": self.arch.to_dict()}
        d.update(self.arch.to_dict())
        return d

    def __str__(self) -> str:
        a = self.arch
        size = f"Z={a.Z}" if a.net == "shallow" else f"widths={','.join(map(str, a.widths))}"
        if a.net == "depth":
            size += f" L_c={a.L_c}"
        d = self.to_dict()
        head = (f"SimNet of the {a.net} ConvAC N={a.N} M={a.M} {size} Y={a.Y} "
                f"{'shared' if a.shared else 'unshared'}, {self.weights_kind} weights (seed {self.seed}, "
                f"bound {self.bound}), {self.prec}-bit balls")
        lines = [head, (f"log h_y(X) enclosed in {self.enclosed} of {self.samples} samples (every output); "
                        f"max radius {d['max_radius']}")]
        if d["not_enclosed"]:
            lines.append(f"NOT enclosed (proved): samples {d['not_enclosed']}")
        if d["undecided"]:
            lines.append(f"undecided: samples {d['undecided']}")
        return "\n".join(lines)


def check_simnet(arch, samples: int = 40, seed: int = 0, bound: int = DEFAULT_BOUND,
                 prec: int = DEFAULT_PRECISION, weights: Weights | None = None, names=None) -> SimnetResult:
    """Run the SimNet against the exact ConvAC on ``samples`` random inputs (and weights, unless given).

    Parameters
    ----------
    arch : ShallowArch, DeepArch or DepthArch
    samples : int
        Number of samples (1..10^4).
    seed, bound : int
        Sample ``i`` uses ``random.Random(seed + i)`` (see the module docstring).
    prec : int
        Working precision of the balls (bits, 16..4096).
    weights : Weights, optional
        Fixed non-negative weights (then only the representation values are drawn).
    names : dict, optional
        How to name the arguments in messages (the CLI passes ``{'samples': '--samples', ..}``).

    Raises
    ------
    InvalidArgumentError
        Negative weights, weights of another architecture, bad sizes (refused before any work).

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> print(check_simnet(ShallowArch(N=3, M=2, Z=2), samples=2, seed=5))   # doctest: +ELLIPSIS
    SimNet of the shallow ConvAC N=3 M=2 Z=2 Y=1 unshared, random-positive weights (seed 5, bound 1000000), 128-bit balls
    log h_y(X) enclosed in 2 of 2 samples (every output); max radius ...
    """
    if not isinstance(arch, (ShallowArch, DeepArch, DepthArch)):
        raise invalid("arch", "a ShallowArch, DeepArch or DepthArch", type(arch).__name__)
    if getattr(arch, "kernel", 1) != 1:
        raise invalid("arch", "a 1x1 ConvAC (receptive field 1) for a SimNet", f"receptive field {arch.kernel}")
    names = {"samples": "samples", "prec": "prec", "weights": "weights", **(names or {})}
    _check_seed_bound(seed, bound)
    prec = check_precision(prec, names["prec"])
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= SAMPLES_LIMIT:
        raise invalid(names["samples"], f"an integer in 1..{SAMPLES_LIMIT}", samples)
    if samples * arch.n_weights > WORK_LIMIT:
        raise InvalidArgumentError(f"Argument {names['samples']!r} must keep samples x weights <= {WORK_LIMIT}, "
                                   f"got {samples} x {arch.n_weights} weights.")
    if weights is not None:
        if weights.arch != arch:
            raise invalid(names["weights"], f"weights of {arch}", f"weights of {weights.arch}")
        check_simnet_weights(weights, names["weights"])
    verdicts, radii, zero = [], [], 0
    for i in range(samples):
        rng = random.Random(seed + i)
        w = positive_weights(arch, seed + i, bound, rng) if weights is None else weights
        reps = positive_reps(arch.N, arch.M, rng, bound)
        exact = evaluate(w, reps)
        balls = simnet_evaluate(w, reps, prec)
        found = [ball_contains_log(b, h, prec) for b, h in zip(balls, exact.tolist())]
        zero += sum(h == 0 for h in exact.tolist())
        verdicts.append(False if False in found else (None if None in found else True))
        radii.append(max(ball_radius(b) for b in balls))
    kind = "random-positive" if weights is None else weights.kind
    return SimnetResult(arch, kind, seed, bound, prec, tuple(verdicts), tuple(radii), zero)


def _step(name: str, what: str, res: SimnetResult) -> Step:
    ok = res.passed and res.max_radius <= RADIUS_LIMIT
    r = res.to_dict()["max_radius"]
    return Step(name, f"{what}: the SimNet's ball contains log h_y(X) (radius <= 2^-64)", status(ok),
                f"{res.enclosed}/{res.samples} enclosed, max radius {r}, seed {res.seed}",
                {"samples": res.samples, "enclosed": res.enclosed, "max_radius": r})


def check_simnets(samples: int = 40, seed: int = 0, bound: int = DEFAULT_BOUND, prec: int = DEFAULT_PRECISION) -> Report:
    """The SimNet proof check: deep (N = 8 and 16, shared; N = 8 unshared), shallow, depth-L_c, witness
    (zero weights), ``log 0``, and the refusal of negative weights.

    Examples
    --------
    >>> rep = check_simnets(samples=2)
    >>> rep.passed, len(rep.steps)
    (True, 8)
    """
    steps = []
    cases = [("(a) deep, shared", DeepArch(N=8, M=3, widths=(3, 3, 3), shared=True)),
             ("(b) deep N=16, shared", DeepArch(N=16, M=2, widths=(2, 2, 2, 2), shared=True)),
             ("(c) deep, unshared", DeepArch(N=8, M=2, widths=(2, 2, 2), Y=2)),
             ("(d) shallow", ShallowArch(N=8, M=3, Z=4)),
             ("(e) depth-L_c", DepthArch(N=8, M=2, widths=(2, 3), L_c=2))]
    for name, arch in cases:
        size = f"Z={arch.Z}" if arch.net == "shallow" else "widths " + ",".join(map(str, arch.widths))
        what = f"{arch.net} N={arch.N} M={arch.M} {size}{' shared' if arch.shared else ''}, {samples} samples"
        steps.append(_step(name, what, check_simnet(arch, samples, seed, bound, prec)))
    wit_arch = DeepArch(N=8, M=3, widths=(3, 3, 3))
    steps.append(_step("(f) zero weights drop their term",
                       "Theorem 1 witness (weights in {0, 1}), " + f"{samples} samples",
                       check_simnet(wit_arch, samples, seed, bound, prec, weights=witness_weights(wit_arch))))
    zero_arch = ShallowArch(N=2, M=2, Z=1)
    w0 = weights_from_arrays(zero_arch, {"0,0": [[1, 2]], "0,1": [[3, 4]], "1,0": [[0]]})
    res0 = check_simnet(zero_arch, 3, seed, bound, prec, weights=w0)
    steps.append(Step("(g) log 0", "all output weights 0: h_y = 0 and the SimNet gives the exact marker log 0",
                      status(res0.passed and res0.h_zero == 3), f"{res0.enclosed}/3 exact, h_y = 0 in {res0.h_zero}"))
    wneg = weights_from_arrays(zero_arch, {"0,0": [[1, -2]], "0,1": [[3, 4]], "1,0": [[1]]})
    try:
        check_simnet_weights(wneg)
        refused = "accepted"
    except InvalidArgumentError as exc:
        refused = str(exc)
    steps.append(Step("(h) negative weights", "a negative weight has no log-space form and is refused",
                      status(refused != "accepted"), refused))
    return Report("SimNets: log-space ConvACs", REFERENCE,
                  {"samples": samples, "seed": seed, "bound": bound, "prec": prec}, steps,
                  "the log-space network (similarity, MEX, sum pooling) computes log h_y exactly, as enclosed by "
                  "rigorous balls, for shallow, deep and depth-L_c nets, shared or not")

"""SimNets: a ConvAC computed in log space, evaluated in rigorous ball arithmetic (python-flint ``arb``).

Cohen, Sharir & Shashua (COLT 2016), abstract: "log-space computation transforms our networks into SimNets".
SimNets are the architecture of Cohen & Shashua, *SimNets: A Generalization of Convolutional Networks*
(arXiv 1410.0781) and Cohen, Sharir & Shashua, *Deep SimNets* (CVPR 2016, arXiv 1506.03059), driven by two
operators: a **similarity** layer (generalizing the inner product) and the **MEX** operator, "a log-mean-exp
function that generalizes maximum and average". The MEX operator with parameter ``xi`` and offsets ``b_i``
over ``n`` terms is (Deep SimNets; the formula as we recall it from that paper: the stored text available to
us while writing this holds only the papers' abstracts, which name MEX "a log-mean-exp function")

.. math:: \\mathrm{MEX}_\\xi\\{x_i + b_i\\}_{i=1..n} = \\frac{1}{\\xi}
          \\log\\Big(\\frac{1}{n}\\sum_{i=1}^n \\exp(\\xi (x_i + b_i))\\Big).

**The definition implemented here** (the log-space image of the ConvAC of MATH.md section 1, over any mode
tree, hence for shallow, deep and depth-``L_c`` nets, shared or not):

* similarity layer: ``s(i, d) = log f_d(x_i)`` (the representation values must be positive);
* every weighted sum ``sum_alpha a_alpha v_alpha`` of the ConvAC (1x1 convolutions and the output layer)
  becomes ``MEX_1{log v_alpha + b_alpha}`` over the terms with ``a_alpha > 0``, with offsets
  ``b_alpha = log a_alpha + log n`` (``n`` = number of such terms; the ``log n`` undoes the mean), so that
  ``MEX = log sum_alpha a_alpha v_alpha`` exactly. **Zero weights drop their term** (``log 0 = -inf``); a sum
  with no term is ``log 0``, carried as the exact marker ``None`` (and ``None`` + anything = ``None``).
  Negative weights have no log-space form: they are refused;
* product pooling becomes **sum pooling** of the children's values (``log`` of a product).

Hence, for non-negative weights and positive representation values, the SimNet output ``y`` equals
``log h_y(X)`` (``None`` iff ``h_y(X) = 0``). Every operation is done on ``arb`` balls at a stated working
precision (``flint.ctx.workprec``; nothing global is left changed), so the returned ball CONTAINS the exact
real value of the SimNet, whatever rounding happened. :func:`ball_contains_log` decides exactly (with
rational endpoints, never with a float tolerance) whether a ball contains ``log q`` for an exact rational ``q``.

Examples
--------
>>> from verifier.nets.architectures import ShallowArch
>>> from verifier.nets.weights import weights_from_arrays
>>> from verifier.nets.evaluate import evaluate
>>> w = weights_from_arrays(ShallowArch(N=2, M=2, Z=1), {(0, 0): [[1, 2]], (0, 1): [[3, 0]], (1, 0): [[5]]})
>>> reps = [[1, 1], ["1/2", 4]]
>>> h = evaluate(w, reps)[0]
>>> ball = simnet_evaluate(w, reps)[0]
>>> h, ball_contains_log(ball, h)
(Fraction(45, 2), True)
"""

from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np

from ..errors import InvalidArgumentError, invalid
from ..exact.fields import to_exact
from ..render.tables import as_fraction
from .weights import check_weights

#: Default working precision (bits) of the ball arithmetic.
DEFAULT_PRECISION = 128
#: Accepted working precisions (bits).
PRECISION_RANGE = (16, 4096)


def _rational(q, name: str) -> Fraction:
    """An exact rational (int, Fraction, or text such as ``"3/4"``), else a package error naming ``name``."""
    return as_fraction(q, name)


def _check_ball(ball, name: str, none: bool = False) -> None:
    """``ball`` must be a ``flint.arb`` (or None where the exact ``log 0`` is allowed)."""
    if not (isinstance(ball, flint.arb) or (none and ball is None)):
        raise invalid(name, "a flint.arb ball" + (" or None" if none else ""), ball)


def check_precision(prec, name: str = "prec") -> int:
    """Validate a working precision in bits (an integer in 16..4096).

    Examples
    --------
    >>> check_precision(64)
    64
    >>> check_precision(3)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'prec' must be an integer number of bits in 16..4096, got 3.
    """
    lo, hi = PRECISION_RANGE
    if isinstance(prec, bool) or not isinstance(prec, int) or not lo <= prec <= hi:
        raise invalid(name, f"an integer number of bits in {lo}..{hi}", prec)
    return prec


def check_simnet_weights(weights, name: str = "weights") -> None:
    """Refuse weights a SimNet cannot represent: symbolic, negative, or of a net with receptive field > 1.

    Raises
    ------
    InvalidArgumentError
        Naming the first offending node ``'l,j'`` (0-based) and the entry.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> from verifier.nets.weights import weights_from_arrays
    >>> w = weights_from_arrays(ShallowArch(N=2, M=1, Z=1), {"0,0": [[2]], "0,1": [[-3]], "1,0": [[1]]})
    >>> check_simnet_weights(w)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'weights' must be non-negative for a SimNet (its MEX offsets are log a), got -3 at node 0,1.
    """
    if check_weights(weights, name).is_symbolic:
        raise invalid(name, "exact numeric weights", "symbolic weights")
    if getattr(weights.arch, "kernel", 1) != 1:
        raise invalid(name, "weights of a 1x1 ConvAC (receptive field 1) for a SimNet",
                      f"receptive field {weights.arch.kernel}")
    for v in weights.arch.tree.postorder():
        for x in weights[v].flat:
            if x < 0:
                raise InvalidArgumentError(f"Argument {name!r} must be non-negative for a SimNet (its MEX offsets "
                                           f"are log a), got {x} at node {v[0]},{v[1]}.")


def check_positive_reps(reps, N: int, M: int) -> np.ndarray:
    """Representation values as an exact ``N x M`` object array of POSITIVE numbers (``log f`` must exist).

    Examples
    --------
    >>> check_positive_reps([[1, "1/2"]], 1, 2).tolist()
    [[1, Fraction(1, 2)]]
    >>> check_positive_reps([[1, 0]], 1, 2)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'reps' must be positive representation values f_d(x_i) > 0 for a SimNet, got 0 at position 1, function 2.
    """
    arr = np.asarray(reps, dtype=object)
    if arr.shape != (N, M):
        raise InvalidArgumentError(f"Argument 'reps' must be an array of shape N x M = {N} x {M}, got shape "
                                   f"{'x'.join(map(str, arr.shape))}.")
    out = np.empty((N, M), dtype=object)
    for i in range(N):
        for d in range(M):
            x = to_exact(arr[i, d], "reps")
            if x <= 0:
                raise InvalidArgumentError(f"Argument 'reps' must be positive representation values f_d(x_i) > 0 "
                                           f"for a SimNet, got {x} at position {i + 1}, function {d + 1}.")
            out[i, d] = x
    return out


def _exact_arb(q) -> flint.arb:
    q = Fraction(q)
    return flint.arb(flint.fmpq(q.numerator, q.denominator))


def log_ball(q) -> flint.arb:
    """A ball containing ``log q`` for an exact rational ``q > 0``, at the current working precision.

    Examples
    --------
    >>> import flint
    >>> with flint.ctx.workprec(64):
    ...     print(log_ball(Fraction(1, 1)))
    0
    """
    q = _rational(q, "q")
    if q <= 0:
        raise invalid("q", "a positive rational", q)
    return _exact_arb(q).log()


def mex(values, weights) -> flint.arb | None:
    """``MEX_1{v_a + b_a}`` over the terms with ``weights[a] > 0``, offsets ``b_a = log weights[a] + log n``.

    ``values`` are balls or ``None`` (``log 0``); a term whose value is ``None`` or whose weight is 0 is
    dropped; ``None`` when no term is left. Equals ``log sum_a weights[a] exp(v_a)``.

    Examples
    --------
    >>> import flint
    >>> with flint.ctx.workprec(64):
    ...     m = mex([log_ball(2), log_ball(3), None], [Fraction(1, 2), 0, 7])
    >>> m.contains(0), mex([None], [1]) is None
    (True, True)
    """
    if not isinstance(values, (list, tuple)) or not isinstance(weights, (list, tuple)) or len(values) != len(weights):
        raise invalid("values, weights", "two lists of the same length (balls or None, exact weights)",
                      type(values).__name__ if not isinstance(values, (list, tuple)) else type(weights).__name__)
    for v in values:
        _check_ball(v, "values", none=True)
    weights = [_rational(a, "weights") for a in weights]
    terms = [(v, a) for v, a in zip(values, weights) if a != 0 and v is not None]
    if not terms:
        return None
    log_n = _exact_arb(len(terms)).log()
    total = flint.arb(0)
    for v, a in terms:
        total += (v + log_ball(a) + log_n).exp()
    return (total / len(terms)).log()


def simnet_evaluate(weights, reps, prec: int = DEFAULT_PRECISION) -> list:
    """The SimNet's outputs (one ball per output ``y``, or ``None`` for ``log 0``), in ball arithmetic.

    Parameters
    ----------
    weights : Weights
        Non-negative exact weights of a shallow, deep or depth-``L_c`` ConvAC.
    reps : array-like
        Positive representation values ``reps[i, d] = f_d(x_i)``, shape ``N x M`` (0-based).
    prec : int
        Working precision in bits (16..4096).

    Returns
    -------
    list
        ``flint.arb`` balls (containing ``log h_y(X)``) or ``None`` (when ``h_y(X) = 0``).

    Raises
    ------
    InvalidArgumentError
        For negative weights, non-positive representation values, or a bad precision.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> out = simnet_evaluate(witness_weights(DeepArch(N=2, M=2, widths=(2,))), [[1, 2], [3, 4]])
    >>> ball_contains_log(out[0], 11), ball_contains_log(out[0], 12)   # h = 1*3 + 2*4 = 11
    (True, False)
    """
    check_simnet_weights(weights)
    prec = check_precision(prec)
    arch = weights.arch
    reps = check_positive_reps(reps, arch.N, arch.M)
    tree = arch.tree
    with flint.ctx.workprec(prec):
        sims = [[log_ball(x) for x in row] for row in reps.tolist()]  # the similarity layer
        acts = {}
        for v in tree.postorder():
            w = weights[v].tolist()
            if tree.is_leaf(v):
                inputs = sims[tree.modes(v)[0]]
            else:
                kids = [acts.pop(c) for c in tree.children(v)]
                inputs = [None if any(k[a] is None for k in kids) else sum((k[a] for k in kids), flint.arb(0))
                          for a in range(len(kids[0]))]  # sum pooling
            acts[v] = [mex(inputs, row) for row in w]
        return acts[tree.root]


def ball_endpoints(ball: flint.arb) -> tuple[Fraction, Fraction]:
    """The exact rational ends ``(mid - rad, mid + rad)`` of a finite ball.

    Examples
    --------
    >>> ball_endpoints(flint.arb(3))
    (Fraction(3, 1), Fraction(3, 1))
    >>> lo, hi = ball_endpoints(flint.arb(1, 0.5))   # the radius is stored rounded up
    >>> lo <= Fraction(1, 2) and Fraction(3, 2) <= hi
    True
    """
    _check_ball(ball, "ball")
    if not ball.is_finite():
        raise invalid("ball", "a finite ball", str(ball))
    m, e = (int(t) for t in ball.mid().man_exp())
    rm, re = (int(t) for t in ball.rad().man_exp())
    mid = Fraction(m) * Fraction(2) ** e
    rad = Fraction(rm) * Fraction(2) ** re
    return mid - rad, mid + rad


def ball_radius(ball: flint.arb | None) -> Fraction:
    """The exact radius of a ball (0 for the exact marker ``None``).

    Examples
    --------
    >>> ball_radius(flint.arb(3)), ball_radius(None), 0 < ball_radius(log_ball(3)) < Fraction(1, 2**40)
    (Fraction(0, 1), Fraction(0, 1), True)
    """
    if ball is None:
        return Fraction(0)
    _check_ball(ball, "ball")
    lo, hi = ball_endpoints(ball)
    return (hi - lo) / 2


def ball_contains_log(ball: flint.arb | None, q, prec: int = DEFAULT_PRECISION, max_prec: int = 4096) -> bool | None:
    """Decide exactly whether ``log q`` lies in ``ball`` (``q`` an exact rational ``>= 0``).

    ``None`` (the exact ``log 0``) contains ``log q`` iff ``q = 0``. Otherwise ``log q`` is enclosed in arb
    balls ``L`` of increasing precision; with the rational ends of both balls: ``L`` inside ``ball`` proves
    containment (True), ``L`` disjoint from ``ball`` proves non-containment (False); when neither is
    decided up to ``max(max_prec, 8 prec)`` bits the answer is ``None`` (undecided; never counted as enclosed).

    Examples
    --------
    >>> import flint
    >>> with flint.ctx.workprec(64):
    ...     b = log_ball(5)
    >>> ball_contains_log(b, 5), ball_contains_log(b, 6), ball_contains_log(None, 0), ball_contains_log(b, 0)
    (True, False, True, False)
    """
    q = _rational(q, "q")
    if q < 0:
        raise invalid("q", "a non-negative rational", q)
    _check_ball(ball, "ball", none=True)
    if ball is None or q == 0:
        return ball is None and q == 0
    if not ball.is_finite():
        return None
    lo, hi = ball_endpoints(ball)
    p = prec + 64
    while p <= max(max_prec, 8 * prec):  # at least 64 bits past the working precision, whatever it is
        with flint.ctx.workprec(p):
            llo, lhi = ball_endpoints(log_ball(q))
        if lo <= llo and lhi <= hi:
            return True
        if lhi < lo or llo > hi:
            return False
        p *= 2
    return None

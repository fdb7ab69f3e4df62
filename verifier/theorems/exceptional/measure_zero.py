"""The measure-zero claim of Theorem 1 (COLT 2016), made visible: the exceptional set, checked.

**Claim.** For a deep ConvAC, ``rank [A] >= min(r_0, M)^{N/2}`` for all weights "apart from a set of
Lebesgue measure zero" (Theorem 1; MATH.md section 2, Lemma Z). For a small net the set is shown, not
taken on faith. The steps checked by :func:`check_measure_zero`:

(a) a maximal minor of ``[A]`` (size R = the upper bound valid for all weights) is a polynomial in the
    weights that is not identically zero (its value at a seeded integer point is a nonzero integer,
    cross-checked against the integer determinant);
(b) its total degree is ``R`` times the degree of an entry of ``A`` (``2N - 1`` deep, ``N + 1`` shallow;
    every entry is homogeneous);
(c) its factorization into irreducibles over ZZ multiplies back to it exactly;
(d) for widths ``(M, 1, .., 1)`` it equals the closed form of Lemmas K and R
    (:func:`~verifier.theorems.exceptional.polynomial.predicted_determinant`);
(e) the exact probability that uniform weights on ``{-k..k}`` hit the zero set is at most the
    Schwartz-Zippel bound ``deg / (2k + 1)``;
(f) the sampled rates (exact counts) stay within that bound,
(g) fall from the smallest to the largest k, and
(h) agree with the exact probability within 5 standard deviations (an exact rational test);
(i) every sampled verdict is re-derived from the dense certified rank, independently of the polynomial;
(j) adversarial search: hypothesis looks for weights with certified ``rank [A] < R`` (any weights; all
    weights nonzero; all filters independent) and finds them; each makes the polynomial vanish.

Examples
--------
>>> study = measure_zero_study(N=4, M=2, widths=(2, 1), bounds=(1, 16), samples=50, search=False)
>>> study.report.passed, [s.status for s in study.report.steps][:4]
(True, ['PASS', 'PASS', 'PASS', 'PASS'])
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...errors import check_int, invalid
from ...exact.engines import get_engine
from ...nets.architectures import DeepArch, ShallowArch
from ...render.reports import Report, Step, status
from .polynomial import (
    CertificatePolynomial,
    certificate_polynomial,
    predicted_determinant,
    weight_symbols,
    weight_vector,
    weights_from_vector,
)
from .sampling import dense_rank, exact_vanishing_probability, fraction_text, sample_rates, validate_bounds

#: The adversarial searches: a search space of weights and a condition checked on the weights directly
#: (not through the polynomial). Weights are positive integers up to a bound (they shrink fastest), in
#: the first search with one of them set to zero.
SEARCHES = ("one zero weight, independent filters at every position",
            "no zero weight, dependent filters at exactly one position",
            "no zero weight, independent filters at every position")


@dataclass(frozen=True)
class AdversarialExample:
    """Weights found by hypothesis with certified ``rank [A] < R``, and the factors vanishing there."""

    condition: str
    weights: object
    rank: int
    vanishing: tuple

    def describe(self) -> str:
        """One line: the condition, the rank and what vanishes."""
        what = "; ".join(f.meaning for f in self.vanishing) or "NO factor vanishes"
        return f"[{self.condition}] rank {self.rank}: {what}"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"condition": self.condition, "rank": self.rank, "weights": self.weights.to_dict(),
                "vanishing": [f.text for f in self.vanishing]}


def _dependent_positions(weights, engine) -> int:
    """Number of leaves whose filter matrix has rank below ``min(shape)`` (exact rank over Q)."""
    eng = get_engine(engine)
    tree = weights.arch.tree
    ints = weights.integral()
    return sum(eng.rank_over_q(ints[v]) < min(ints[v].shape) for v in tree.postorder() if tree.is_leaf(v))


def _condition(label: str, weights, engine) -> bool:
    return _dependent_positions(weights, engine) == (1 if label == SEARCHES[1] else 0)


def _search_space(arch, label: str, bound: int):
    from hypothesis import strategies as st

    from ...strategies import weights as weight_strategy

    positive = weight_strategy(arch, bound=bound, positive=True)
    if label != SEARCHES[0]:
        return positive
    n = len(weight_symbols(arch))

    def zero_one(pair):
        w, i = pair
        vec = list(weight_vector(w))
        vec[i] = 0
        return weights_from_vector(arch, vec)

    return st.tuples(positive, st.integers(0, n - 1)).map(zero_one)


def adversarial_search(cert, bound: int = 3, max_examples: int = 200, engine=None) -> tuple:
    """Ask hypothesis for weights with certified ``rank [A] < cert.size``, in each of :data:`SEARCHES`.

    The rank is the dense certified rank (:func:`~verifier.theorems.exceptional.sampling.dense_rank`), independent of
    the polynomial; the conditions (dependent filters) are checked on the weights directly, by exact
    ranks. Weights are integers in ``[1, bound]`` (a narrow range, where the exceptional set is hit
    often), in the first search with one weight set to 0; hypothesis shrinks each find to a simple
    example.

    Returns
    -------
    (list of AdversarialExample, list of str)
        The examples found, and the searches that found nothing in ``max_examples`` tries.

    Examples
    --------
    >>> from verifier.theorems.exceptional.polynomial import certificate_polynomial
    >>> cert = certificate_polynomial(DeepArch(N=2, M=2, widths=(2,)))
    >>> found, missed = adversarial_search(cert)
    >>> for e in found:  # doctest: +ELLIPSIS
    ...     print(e.describe())
    [one zero weight, independent filters at every position] rank 1: weight a^{1,1,1}_1 = 0
    [no zero weight, dependent filters at exactly one position] rank 1: the 2 filters a^{0,1,*} at position 1 are ...
    >>> missed
    ['no zero weight, independent filters at every position']
    """
    if not isinstance(cert, CertificatePolynomial):
        raise invalid("cert", "a CertificatePolynomial (certificate_polynomial)", cert)
    bound, max_examples = check_int(bound, "bound", 1, 10**6), check_int(max_examples, "max_examples", 1, 10**5)
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    from ...strategies import contained_search

    quiet = settings(database=None, derandomize=True, max_examples=max_examples, deadline=None,
                     suppress_health_check=list(HealthCheck))
    found, missed = [], []
    with contained_search() as check:  # no .hypothesis/ folder left behind, Ctrl-C never swallowed
        for label in SEARCHES:
            try:
                w = find(_search_space(cert.arch, label, bound),
                         lambda w, label=label: check() or (_condition(label, w, engine)
                                                            and dense_rank(cert, w, engine) < cert.size),
                         settings=quiet)
            except NoSuchExample:
                missed.append(label)
                continue
            found.append(AdversarialExample(label, w, dense_rank(cert, w, engine),
                                            tuple(cert.vanishing_factors(weight_vector(w)))))
    return found, missed


@dataclass(frozen=True)
class MeasureZeroStudy:
    """Everything :func:`measure_zero_study` computed: the certificate, the table, the examples, the report."""

    cert: object
    rows: list
    examples: list
    report: Report


def _five_sigma(row) -> bool:
    """``(d - n p)^2 <= 25 n p (1 - p)``, exactly (True when p is unknown is not claimed: caller skips)."""
    n, p = row.samples, row.exact
    return (row.deficient - n * p) ** 2 <= 25 * n * p * (1 - p)


def measure_zero_study(N: int = 4, M: int = 2, widths=(2, 1), Z: int | None = None, shared: bool = False,
                       bounds=(1, 2, 4, 8, 16, 32), samples: int = 2000, seed: int = 0, partition="odd-even",
                       search: bool = True, engine=None, progress=None) -> MeasureZeroStudy:
    """Compute the certificate polynomial, sample the rates, search adversarially, and check it all.

    Parameters
    ----------
    N, M, widths, shared
        The deep architecture (or, with ``Z`` given, the shallow one ``ShallowArch(N, M, Z)``).
    bounds, samples, seed
        As in :func:`~verifier.theorems.exceptional.sampling.sample_rates` (every sample is cross-checked densely).
    partition : str
        Matricization (default the paper's ``odd-even``).
    search : bool
        Run the adversarial search (step (j)); otherwise it is SKIP.
    engine : str, optional
        Rank engine.
    progress : callable, optional
        ``progress(done, total)`` during sampling.

    Returns
    -------
    MeasureZeroStudy
    """
    seed = check_int(seed, "seed", 0)
    if not isinstance(search, bool):
        raise invalid("search", "True or False", search)
    arch = (ShallowArch(N=N, M=M, Z=Z, shared=shared) if Z is not None
            else DeepArch(N=N, M=M, widths=widths, shared=shared))
    bounds = validate_bounds(bounds)
    cert = certificate_polynomial(arch, partition, seed=seed, engine=engine)
    R, deg = cert.size, cert.degree
    steps = []
    point = cert.value(weight_vector(_point(cert)))
    steps.append(Step("(a) certificate polynomial",
                      f"a {R} x {R} minor of [A] is a nonzero polynomial in the {len(cert.symbols)} weights; R = "
                      f"{cert.upper_bound.value}, the upper bound for all weights",
                      status(cert.nonzero and cert.maximal and point == cert.point_value),
                      f"{'the whole matrix' if cert.full else 'rows/cols ' + str(cert.to_dict()['minor_rows'])}; "
                      f"value at random_weights(seed={cert.point_seed}, bound={cert.point_bound}) is a "
                      f"{len(str(abs(cert.point_value)))}-digit integer, equal to the integer minor; upper bound: "
                      f"{cert.upper_bound.method}", {"minor_size": R, "nonzero": cert.nonzero}))
    entry = 2 * arch.N - 1 if arch.net == "deep" else arch.N + 1
    steps.append(Step("(b) degree", f"total degree = R * (degree of an entry of A) = {R} * {entry}",
                      status(deg == R * entry), f"degree {deg}", {"degree": deg}))
    product = cert.polynomial.ring(cert.constant)
    irreducible = True
    for f in cert.factors:
        poly = _factor_poly(cert, f)
        product *= poly ** f.multiplicity
        pairs = poly.factor_list()[1]
        irreducible = irreducible and len(pairs) == 1 and pairs[0][1] == 1
    steps.append(Step("(c) factorization",
                      f"polynomial = {cert.constant} * product of {len(cert.factors)} irreducible factors^multiplicity",
                      status(product == cert.polynomial and irreducible),
                      "; ".join(f"({f.text})^{f.multiplicity}" for f in cert.factors),
                      {"factors": [f.to_dict() for f in cert.factors]}))
    predicted = predicted_determinant(arch) if cert.full and cert.partition.spec == "odd-even" else None
    if predicted is None:
        steps.append(Step("(d) closed form", "det [A] = s^R prod_j (det F_{2j-1} prod a^{1,j} det F_{2j})^{R/M}",
                          "SKIP", "only for deep nets with widths (M, 1, .., 1) and the odd-even [A]"))
    else:
        steps.append(Step("(d) closed form",
                          "det [A] = s^R prod_j (det F_{2j-1} prod_alpha a^{1,j,1}_alpha det F_{2j})^{R/M} "
                          "(Lemmas K, R)", status(predicted == cert.polynomial),
                          "the computed determinant equals the closed form exactly"))
    rows = []
    try:
        rows = sample_rates(cert, bounds, samples, seed=seed, progress=progress, cross_check=samples, engine=engine)
        cross = Step("(i) independent verdicts", "every sample's verdict equals the dense certified rank's",
                     "PASS", f"{sum(r.cross_checked for r in rows)} samples re-derived from certified ranks")
    except AssertionError as exc:  # a disagreement between the polynomial and the dense rank
        cross = Step("(i) independent verdicts", "every sample's verdict equals the dense certified rank's",
                     "FAIL", str(exc))
    exact = [(k, exact_vanishing_probability(cert, k)) for k in bounds]
    known = [(k, p) for k, p in exact if p is not None]
    steps.append(Step("(e) Schwartz-Zippel", f"P[minor = 0] <= {deg}/(2k+1) for uniform weights on {{-k..k}}",
                      status(all(p <= Fraction(deg, 2 * k + 1) for k, p in known)) if known else "SKIP",
                      "; ".join(f"k={k}: ~{float(p):.4f} <= {fraction_text(Fraction(deg, 2 * k + 1))}"
                                for k, p in known) + " (exact rationals in the data)" if known else "not computed",
                      {str(k): fraction_text(p) for k, p in known}))
    if rows:
        table = "; ".join(f"k={r.bound}: {r.deficient}/{r.samples} vs {fraction_text(r.sz_bound)}" for r in rows)
        steps.append(Step("(f) empirical rate within bound", "deficient/samples <= deg/(2k+1) for every k",
                          status(all(r.within_bound for r in rows)), table, {"rows": [r.to_dict() for r in rows]}))
        steps.append(Step("(g) rate falls", f"rate at k={rows[-1].bound} < rate at k={rows[0].bound}",
                          status(len(rows) > 1 and rows[-1].rate < rows[0].rate),
                          f"{fraction_text(rows[0].rate)} -> {fraction_text(rows[-1].rate)}; monotone "
                          f"non-increasing: {all(a.rate >= b.rate for a, b in zip(rows, rows[1:]))}"))
        with_p = [r for r in rows if r.exact is not None]
        steps.append(Step("(h) matches the exact probability",
                          "|deficient - n p| <= 5 sqrt(n p (1-p)) (checked squared, in exact rationals)",
                          status(all(_five_sigma(r) for r in with_p)) if with_p else "SKIP",
                          "; ".join(f"k={r.bound}: {r.deficient} vs n p ~ {float(r.samples * r.exact):.1f}"
                                    for r in with_p) or "exact probability not computed"))
    steps.append(cross)
    examples, missed = adversarial_search(cert, engine=engine) if search else ([], [])
    if not search:
        steps.append(Step("(j) adversarial search", "hypothesis finds rank-deficient weights", "SKIP", "not run"))
    else:
        ok = bool(examples) and all(e.vanishing for e in examples)
        detail = " | ".join(e.describe() for e in examples) or "nothing found"
        if missed:
            detail += " | nothing found with: " + "; ".join(missed)
        steps.append(Step("(j) adversarial search",
                          "hypothesis finds weights with rank [A] < R, and each makes the polynomial vanish",
                          status(ok), detail, {"examples": [e.to_dict() for e in examples], "missed": missed}))
    conclusion = (f"rank [A] < {R} {'exactly' if cert.full else 'only'} where one of {len(cert.factors)} irreducible "
                  f"factors vanishes ({'; '.join(sorted({_kind(f) for f in cert.factors}))}): a proper algebraic "
                  f"set, hence Lebesgue-null; uniform weights on {{-k..k}} hit it with probability <= {deg}/(2k+1)")
    params = {**arch.to_dict(), "partition": cert.partition.spec, "bounds": list(bounds), "samples": samples,
              "seed": seed}
    report = Report("Measure zero (Theorem 1)", "Cohen, Sharir & Shashua, COLT 2016, Theorem 1 and Lemma Z",
                    params, steps, conclusion)
    return MeasureZeroStudy(cert, rows, examples, report)


def _kind(f) -> str:
    if f.meaning.startswith("weight "):
        return "a weight is zero"
    if "filters" in f.meaning:
        return "the filters at a position are dependent"
    return f.meaning


def _point(cert):
    from ...nets.weights import random_weights

    return random_weights(cert.arch, cert.point_seed, cert.point_bound)


def _factor_poly(cert, f):
    """The factor as an element of the certificate's polynomial ring (rebuilt from its terms)."""
    n = len(cert.symbols)
    return cert.polynomial.ring.from_dict({tuple(dict(mono).get(i, 0) for i in range(n)): c for c, mono in f.terms})


def check_measure_zero(**kwargs) -> Report:
    """The report of :func:`measure_zero_study` (for ``verifier prove``).

    Examples
    --------
    >>> check_measure_zero(bounds=(1, 32), samples=40, search=False).passed
    True
    """
    return measure_zero_study(**kwargs).report

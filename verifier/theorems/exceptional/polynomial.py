"""The exceptional set of Theorem 1, symbolically: a certificate polynomial and its irreducible factors.

Cohen, Sharir & Shashua (COLT 2016), proof of Theorem 1, and MATH.md section 2 (Lemma Z). Every entry
of the coefficient tensor ``A^y`` is a polynomial in the network weights, hence so is every minor of a
matricization ``[A]_{I,J}``. If some ``R x R`` minor is not the zero polynomial, then ``rank [A] >= R``
for all weights off its zero set, which is Lebesgue-null; with weights uniform on a finite set ``S``,
Schwartz-Zippel bounds ``P[minor = 0] <= deg / |S|``.

For a small net this module computes such a minor exactly, with sympy, as a polynomial over ZZ in the
weights named as in the paper (1-based: ``a^{l,j,gamma}_alpha``, see
:func:`~verifier.nets.weights.symbolic_weights`), and factors it into irreducibles. The minor is chosen at a
seeded integer point: its columns and rows are the pivots, modulo a prime, of ``[A]`` at that point,
so it is nonzero there (a minor nonzero mod p is a nonzero integer). It is *maximal* when its size
reaches the structural upper bound (the minimal cut, :func:`~verifier.rank.matricization.structural_upper_bounds`)
that holds for ALL weights; then its size is the generic rank. When the minor is the whole (square)
matricization, ``rank [A] < R`` holds exactly when some factor vanishes.

Conventions: positions, nodes and outputs are 0-based in code; weight names are the paper's (1-based).
The weight vector of an architecture lists its distinct weights in the tree's post-order, rows then
columns (the order :func:`~verifier.nets.weights.random_weights` draws them in).

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> c = certificate_polynomial(DeepArch(N=4, M=2, widths=(2, 1)))
>>> c.size, c.degree, c.nonzero, len(c.factors)
(4, 28, True, 9)
>>> print(c.factors[0].text, c.factors[0].multiplicity)
a^{2,1,1}_1 4
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ...errors import InvalidArgumentError, count_text, invalid, show
from ...exact.certify import Bound
from ...exact.engines import get_engine
from ...exact.fields import DEFAULT_PRIME
from ...exact.tensors import Partition, matricize, parse_partition
from ...nets.architectures import DeepArch
from ...nets.coefficients import check_output_index, coefficient_tensor
from ...nets.weights import DEFAULT_BOUND, check_arch, check_weights, random_weights, symbolic_weights
from ...rank.matricization import structural_upper_bounds

#: Largest N, M and minor size R for which the symbolic route runs (sympy determinants and factoring
#: grow fast: N=4, M=2, widths 2,1 takes ~0.3 s; widths 2,2 ~10 s).
SYMBOLIC_MAX_N = 4
SYMBOLIC_MAX_M = 4
SYMBOLIC_MAX_RANK = 4
#: Most terms the expanded minor may have before simplification (``k! * t^k`` for a ``k x k`` minor whose
#: entries have ``t`` monomials): beyond it sympy's determinant and factorization do not finish in minutes.
SYMBOLIC_MAX_TERMS = 10**5


def check_symbolic_size(arch, partition: Partition | None = None) -> None:
    """Refuse architectures too large for the symbolic route, naming the argument to change.

    Limits: ``N <= 4``, ``M <= 4``, and the structural upper bound on ``rank [A]_{I,J}`` (the size
    of a maximal minor) at most 4.

    Raises
    ------
    InvalidArgumentError
        Naming ``N``, ``M``, ``widths`` (deep) or ``Z`` (shallow).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> check_symbolic_size(DeepArch(N=8, M=2, widths=(2, 1, 1)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'N' must be at most 4 for the symbolic route (...), got 8.
    >>> try:
    ...     check_symbolic_size(DeepArch(N=4, M=3, widths=(3, 1)))
    ... except InvalidArgumentError as exc:
    ...     print(str(exc)[:59], '...', str(exc)[-20:])
    Argument 'widths' must give a maximal minor of size at most ... got (3, 1) (size 9).
    """
    check_arch(arch)
    route = "for the symbolic route (sympy determinant and factorization)"
    if arch.N > SYMBOLIC_MAX_N:
        raise InvalidArgumentError(f"Argument 'N' must be at most {SYMBOLIC_MAX_N} {route}, got {arch.N}.")
    if arch.M > SYMBOLIC_MAX_M:
        raise InvalidArgumentError(f"Argument 'M' must be at most {SYMBOLIC_MAX_M} {route}, got {arch.M}.")
    partition = partition if partition is not None else parse_partition("odd-even", arch.N)
    size = min(min(b.value for b in structural_upper_bounds(arch, partition)), *partition.shape(arch.M))
    if size > SYMBOLIC_MAX_RANK:
        name, value = ("widths", arch.widths) if arch.net == "deep" else ("Z", arch.Z)
        raise InvalidArgumentError(
            f"Argument {name!r} must give a maximal minor of size at most {SYMBOLIC_MAX_RANK} for the symbolic "
            f"route (upper bound on rank [A] for partition {partition.spec}), got {value} (size {size}).")
    terms = math.factorial(size) * entry_terms(arch) ** size
    if terms > SYMBOLIC_MAX_TERMS:
        name, value = ("widths", arch.widths) if arch.net == "deep" else ("Z", arch.Z)
        raise InvalidArgumentError(
            f"Argument {name!r} must give a minor of at most {SYMBOLIC_MAX_TERMS} expanded terms for the symbolic "
            f"route, got {show(value, 30)} ({count_text(terms)} terms); use smaller widths or --form pair-diagonal.")


def entry_terms(arch) -> int:
    """Monomials in one entry of the coefficient tensor, as a polynomial in the weights: 1 at a leaf, and at
    a node pooling its children with ``c`` input channels, ``c`` times the product of its children's counts.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch, ShallowArch
    >>> entry_terms(DeepArch(N=4, M=2, widths=(2, 1))), entry_terms(ShallowArch(N=4, M=2, Z=5))
    (4, 5)
    """
    check_arch(arch)
    tree = arch.tree
    terms = {}
    for v in tree.postorder():
        kids = tree.children(v)
        terms[v] = 1 if not kids else arch.node_dim(v) * math.prod(terms[c] for c in kids)
    return terms[tree.root]


def weight_symbols(arch) -> tuple:
    """The distinct weight symbols of ``arch`` in draw order (post-order, rows then columns).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> [str(s) for s in weight_symbols(DeepArch(N=2, M=1, widths=(1,), shared=True))]
    ['a^{0,1}_1', 'a^{1,1,1}_1']
    """
    sym = symbolic_weights(arch)
    seen: dict = {}
    for v in arch.tree.postorder():
        for x in sym[v].flat:
            seen.setdefault(x, None)
    return tuple(seen)


def weight_vector(weights) -> tuple:
    """The values of ``weights`` in the order of :func:`weight_symbols` (shared weights once).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> weight_vector(witness_weights(DeepArch(N=2, M=2, widths=(1,))))
    (1, 0, 1, 0, 1)
    """
    check_weights(weights)
    arch = weights.arch
    tree = arch.tree
    out = []
    done = set()
    for v in tree.postorder():
        level = tree.depth(v)
        if arch.shared and level in done:
            continue
        done.add(level)
        out.extend(weights[v].flat)
    return tuple(out)


def weights_from_vector(arch, vector):
    """The inverse of :func:`weight_vector`: weights from their values in draw order.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> a = DeepArch(N=2, M=2, widths=(1,), shared=True)
    >>> w = weights_from_vector(a, (1, 2, 3))
    >>> w[(0, 1)].tolist(), w[(1, 0)].tolist(), weight_vector(w)
    ([[1, 2]], [[3]], (1, 2, 3))
    """
    check_arch(arch)
    if not isinstance(vector, (list, tuple)):
        raise invalid("vector", "a list of exact weight values", vector)
    from ...nets.weights import weights_from_arrays

    tree = arch.tree
    values = list(vector)
    at: dict = {}
    pos = 0
    mapping = {}
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        level = tree.depth(v)
        if not (arch.shared and level in at):
            at[level] = pos
            pos += rows * cols
        start = at[level] if arch.shared else pos - rows * cols
        mapping[v] = [values[start + g * cols: start + (g + 1) * cols] for g in range(rows)]
    if pos != len(values):
        raise invalid("vector", f"{pos} weights for this architecture", f"{len(values)} values")
    return weights_from_arrays(arch, mapping)


@dataclass(frozen=True)
class Factor:
    """One irreducible factor ``f`` (over ZZ) of a certificate polynomial, with its multiplicity.

    ``text`` renders ``f`` in the paper's weight names; ``meaning`` says what ``f = 0`` means for the
    network (a vanishing weight, linearly dependent filters at a position, ...). ``terms`` holds
    ``(coefficient, ((variable index, exponent), ..))`` for exact evaluation at integer points.
    """

    text: str
    multiplicity: int
    degree: int
    meaning: str
    variables: tuple
    terms: tuple = field(repr=False)

    def value(self, vector):
        """The exact value of ``f`` at a weight vector (ints or Fractions, :func:`weight_vector` order).

        Examples
        --------
        >>> f = Factor("x*y - 2", 1, 2, "", (0, 1), ((1, ((0, 1), (1, 1))), (-2, ())))
        >>> f.value((3, 5))
        13
        """
        total = 0
        for coeff, mono in self.terms:
            t = coeff
            for i, e in mono:
                t *= vector[i] ** e
            total += t
        return total

    def to_dict(self) -> dict:
        """``{'factor': text, 'multiplicity': m}`` (the JSON form of the issue)."""
        return {"factor": self.text, "multiplicity": self.multiplicity}


@dataclass(frozen=True)
class CertificatePolynomial:
    """A nonvanishing minor of ``[A^y]_{I,J}`` as a polynomial in the weights, and its factorization.

    Attributes
    ----------
    arch, partition, output
        What was matricized (``output`` 0-based).
    rows, cols : tuple of int
        0-based row and column indices of the minor in ``[A]``.
    upper_bound : Bound
        The structural upper bound on ``rank [A]`` valid for all weights.
    point_seed, point_bound : int
        The seeded point ``random_weights(arch, point_seed, point_bound)`` where the minor is nonzero.
    point_value : int
        The minor's exact value at that point (computed from the integer matrix).
    constant : int
        The content of the polynomial (``poly = constant * prod f^m``).
    factors : tuple of Factor
        Irreducible factors, highest tree level first.
    polynomial : sympy PolyElement
        The expanded polynomial over ``ZZ[weights]``.
    """

    arch: object
    partition: Partition
    output: int
    rows: tuple
    cols: tuple
    upper_bound: Bound
    point_seed: int
    point_bound: int
    point_value: int
    constant: int
    factors: tuple
    polynomial: object = field(repr=False, compare=False)
    symbols: tuple = field(repr=False, compare=False)

    @property
    def size(self) -> int:
        """R, the number of rows (and columns) of the minor."""
        return len(self.rows)

    @property
    def degree(self) -> int:
        """Total degree of the polynomial (``-1`` for the zero polynomial, which never happens here)."""
        return max((sum(m) for m in self.polynomial.monoms()), default=-1) if self.polynomial else -1

    @property
    def nonzero(self) -> bool:
        """Whether the polynomial is not identically zero (it is nonzero at the seeded point)."""
        return bool(self.polynomial) and self.point_value != 0

    @property
    def maximal(self) -> bool:
        """Whether the minor's size equals the upper bound valid for all weights (so it is generic)."""
        return self.size == self.upper_bound.value

    @property
    def full(self) -> bool:
        """Whether the minor is the whole (square) matricization: then ``rank < R`` iff it vanishes."""
        n_rows, n_cols = self.partition.shape(self.arch.M)
        return self.size == n_rows == n_cols

    def value(self, vector):
        """The polynomial's exact value at a weight vector, from the factorization.

        Examples
        --------
        >>> from verifier.nets.architectures import DeepArch
        >>> c = certificate_polynomial(DeepArch(N=2, M=1, widths=(1,)))
        >>> c.value((2, 3, 5))
        30
        """
        total = self.constant
        for f in self.factors:
            total *= f.value(vector) ** f.multiplicity
        return total

    def vanishing_factors(self, vector) -> list:
        """The factors that vanish at a weight vector (exactly).

        Examples
        --------
        >>> from verifier.nets.architectures import DeepArch
        >>> c = certificate_polynomial(DeepArch(N=2, M=1, widths=(1,)))
        >>> [f.meaning for f in c.vanishing_factors((2, 0, 5))]
        ['weight a^{0,2,1}_1 = 0']
        """
        return [f for f in self.factors if f.value(vector) == 0]

    def to_dict(self) -> dict:
        """JSON-ready form: ``degree``, ``nonzero``, ``factors`` (the issue's keys) and provenance."""
        return {"degree": self.degree, "nonzero": self.nonzero, "factors": [f.to_dict() for f in self.factors],
                "constant": self.constant, "distinct_factors": len(self.factors), "minor_size": self.size,
                "maximal": self.maximal, "full": self.full, "upper_bound": self.upper_bound.to_dict(),
                "minor_rows": [i + 1 for i in self.rows], "minor_cols": [i + 1 for i in self.cols],
                "partition": self.partition.spec, "output": self.output + 1, "architecture": self.arch.to_dict(),
                "point": {"seed": self.point_seed, "bound": self.point_bound, "value": str(self.point_value)},
                "meanings": [f.meaning for f in self.factors], "n_weights": len(self.symbols)}

    def __str__(self) -> str:
        a = self.arch
        size = f"widths={','.join(map(str, a.widths))}" if a.net == "deep" else f"Z={a.Z}"
        head = (f"{a.net} ConvAC N={a.N} M={a.M} {size} {'shared' if a.shared else 'unshared'}, "
                f"partition {self.partition.spec}, output {self.output + 1}")
        which = "the whole matrix" if self.full else (f"rows {[i + 1 for i in self.rows]}, "
                                                      f"cols {[i + 1 for i in self.cols]} (1-based)")
        lines = [head,
                 f"certificate: {self.size} x {self.size} minor of [A] ({which}); upper bound "
                 f"{self.upper_bound.value} for all weights ({'maximal' if self.maximal else 'NOT maximal'})",
                 f"not identically zero: {self.nonzero} (a {len(str(abs(self.point_value)))}-digit value at "
                 f"random_weights(seed={self.point_seed}, bound={self.point_bound})); total degree {self.degree} "
                 f"in {len(self.symbols)} weights",
                 f"{len(self.factors)} distinct irreducible factor(s)"
                 + (f", constant {self.constant}" if self.constant != 1 else "") + ":"]
        for f in self.factors:
            lines.append(f"  ({f.text})^{f.multiplicity}    [{f.meaning}]")
        return "\n".join(lines)


def _ring(symbols):
    from sympy.polys.domains import ZZ

    return ZZ[tuple(symbols)]


def _choose_minor(arch, partition, output, seed, bound, engine):
    """Rows/cols of a minor nonzero at a seeded point; tries a few seeds until it reaches ``upper``."""
    eng = get_engine(engine)
    upper = min(min(b.value for b in structural_upper_bounds(arch, partition)), *partition.shape(arch.M))
    best = None
    for s in range(seed, seed + 4):
        a = matricize(coefficient_tensor(random_weights(arch, s, bound), output), partition)
        cols = list(eng.pivots_mod_p(a, DEFAULT_PRIME))
        rows = list(eng.pivots_mod_p(np.ascontiguousarray(a[:, cols].T), DEFAULT_PRIME)) if cols else []
        if best is None or len(cols) > len(best[1]):
            best = (s, cols, rows, a)
        if len(cols) >= upper:
            break
    s, cols, rows, a = best
    return s, tuple(rows), tuple(cols), a[np.ix_(rows, cols)] if cols else np.zeros((0, 0), dtype=object)


def _meaning_table(arch, dom) -> dict:
    """``+-`` every maximal minor (size >= 2) of every node matrix -> what its vanishing means."""
    from itertools import combinations

    from sympy import Matrix

    sym = symbolic_weights(arch)
    out = {}
    for v in arch.tree.postorder():
        rows, cols = arch.node_shape(v)
        k = min(rows, cols)
        if k < 2:
            continue
        level, j = v
        if level == 0:
            name = (("a^{*}" if arch.net == "shallow" else "a^{0,*}") if arch.shared
                    else (f"a^{{*,{j + 1}}}" if arch.net == "shallow" else f"a^{{0,{j + 1},*}}"))
            what = f"the {rows} {'shared ' if arch.shared else ''}filters {name}" + (
                "" if arch.shared else f" at position {j + 1}")
        else:
            what = f"the rows of the weight matrix at node ({level},{j + 1})"
        a = Matrix(sym[v].tolist())
        for rs in combinations(range(rows), k):
            for cs in combinations(range(cols), k):
                det = dom.from_sympy(a.extract(list(rs), list(cs)).det(method="berkowitz").expand())
                if rows == cols:
                    text = f"{what} are linearly dependent"
                else:
                    text = (f"{what}: the {k} x {k} minor of rows {[r + 1 for r in rs]}, columns "
                            f"{[c + 1 for c in cs]} vanishes")
                out[det] = out[-det] = text
    return out


def certificate_polynomial(arch, partition="odd-even", output: int = 0, seed: int = 0,
                           bound: int = DEFAULT_BOUND, engine=None) -> CertificatePolynomial:
    """Compute, factor and explain a maximal nonvanishing minor of ``[A^y]_{I,J}`` (small nets only).

    Parameters
    ----------
    arch : DeepArch or ShallowArch
        At most the sizes of :func:`check_symbolic_size`.
    partition : str or Partition
        Default ``'odd-even'``: the paper's ``[A]``.
    output : int
        0-based output ``y``.
    seed, bound : int
        The minor is chosen at ``random_weights(arch, seed, bound)`` (up to 3 further seeds are tried
        if the first point falls short of the upper bound).
    engine : str, optional
        Rank engine for the pivots mod p.

    Returns
    -------
    CertificatePolynomial

    Raises
    ------
    InvalidArgumentError
        For an architecture too large for the symbolic route (naming the argument), or a bad output.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> c = certificate_polynomial(ShallowArch(N=2, M=2, Z=1))
    >>> c.size, c.maximal, [f.text for f in c.factors]
    (1, True, ['a^{out,1}_1', 'a^{1,1}_1', 'a^{1,2}_1'])
    """
    check_arch(arch)
    from sympy.polys.matrices import DomainMatrix

    part = partition if isinstance(partition, Partition) else parse_partition(partition, arch.N)
    if part.N != arch.N:
        raise invalid("partition", f"a partition of N = {arch.N} modes", f"one of {part.N} modes")
    output = check_output_index(output, arch)
    check_symbolic_size(arch, part)
    upper = min(structural_upper_bounds(arch, part), key=lambda b: b.value)
    if min(part.shape(arch.M)) < upper.value:
        upper = Bound(min(part.shape(arch.M)), "matrix shape")
    s, rows, cols, sub = _choose_minor(arch, part, output, seed, bound, engine)
    from flint import fmpz_mat

    n = len(rows)
    point_value = int(fmpz_mat(n, n, [int(x) for x in sub.ravel()]).det()) if n else 1
    symbols = weight_symbols(arch)
    dom = _ring(symbols)
    if n:
        sym_a = matricize(coefficient_tensor(symbolic_weights(arch), output), part)[np.ix_(rows, cols)]
        mat = DomainMatrix([[dom.from_sympy(x.expand()) for x in r] for r in sym_a.tolist()], (n, n), dom)
        poly = mat.det()
    else:
        poly = dom.one
    levels = {}
    sym = symbolic_weights(arch)
    for v in arch.tree.postorder():
        for x in sym[v].flat:
            levels[x] = arch.tree.depth(v)
    meanings = _meaning_table(arch, dom)
    content, pairs = poly.factor_list() if poly else (0, [])
    factors = []
    for f, m in pairs:
        monoms = f.terms()
        variables = tuple(i for i in range(len(symbols)) if any(e[i] for e, _ in monoms))
        terms = tuple((int(c), tuple((i, e[i]) for i in variables if e[i])) for e, c in monoms)
        degree = max(sum(e) for e, _ in monoms)
        text = str(dom.to_sympy(f))
        if len(variables) == 1 and len(terms) == 1 and degree == 1:
            meaning = f"weight {text.lstrip('-')} = 0"
        else:
            meaning = meanings.get(f, f"an irreducible polynomial of degree {degree} vanishes")
        factors.append(Factor(text, int(m), degree, meaning, variables, terms))
    factors.sort(key=lambda f: (-max(levels[symbols[i]] for i in f.variables), -f.multiplicity, f.text))
    return CertificatePolynomial(arch, part, output, rows, cols, upper, s, bound, point_value, int(content),
                                 tuple(factors), poly, symbols)


def predicted_determinant(arch, output: int = 0):
    """The closed form of ``det [A^y]`` for a deep net with widths ``(M, 1, .., 1)`` (paper's ``[A]``).

    With ``r_0 = M`` and ``r_l = 1`` above, ``A = s * phi^{1,1} (x) .. (x) phi^{1,N/2}`` where ``s`` is the
    product of the single weights of the nodes at levels ``>= 2`` (including the output), and
    ``[phi^{1,j}] = F_{2j-1}^T diag(a^{1,j,1}) F_{2j}`` (``F_i``: the ``M x M`` matrix of the filters at
    position ``i``). By Lemma K and ``det(P (.) Q) = det(P)^q det(Q)^p`` (``P``: p x p, ``Q``: q x q),
    with ``R = M^{N/2}``:

    .. math:: \\det [A] = s^R \\prod_j \\big(\\det F_{2j-1} \\prod_\\alpha a^{1,j,1}_\\alpha
              \\det F_{2j}\\big)^{R/M}.

    Returns ``None`` when the widths are not ``(M, 1, .., 1)`` or the net is not deep. The result is an
    element of the polynomial ring over the weights of :func:`weight_symbols` (compare it with
    :attr:`CertificatePolynomial.polynomial`).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> a = DeepArch(N=4, M=2, widths=(2, 1))
    >>> predicted_determinant(a) == certificate_polynomial(a).polynomial
    True
    """
    from sympy import Matrix

    if (not isinstance(arch, DeepArch) or arch.tree.name != "binary"
            or arch.widths != (arch.M,) + (1,) * (arch.L - 1)):
        return None
    dom = _ring(weight_symbols(arch))
    sym = symbolic_weights(arch)
    tree = arch.tree
    big_r = arch.M ** (arch.N // 2)

    def det(node):
        return dom.from_sympy(Matrix(sym[node].tolist()).det(method="berkowitz").expand())

    out = dom.one
    for v in tree.postorder():
        level = tree.depth(v)
        if level >= 2:
            row = 0 if level < arch.L else output
            out *= dom.from_sympy(sym[v][row, 0]) ** big_r
        elif level == 1:
            row = 0 if arch.L > 1 else output
            block = det(tree.children(v)[0]) * det(tree.children(v)[1])
            for x in sym[v][row]:
                block *= dom.from_sympy(x)
            out *= block ** (big_r // arch.M)
    return out

"""Hypothesis strategies for ConvACs: architectures, exact weights, partitions, representations.

Public strategies for property tests, ours and our users' (``from verifier import strategies``).
Every strategy draws EXACT values (``int`` or :class:`fractions.Fraction`, never floats) and every
size is bounded by an argument, so that tests built on them stay fast:

* :func:`deep_architectures`, :func:`shallow_architectures`, :func:`architectures`: validated
  :class:`~verifier.nets.architectures.DeepArch` / :class:`~verifier.nets.architectures.ShallowArch` objects, shared or not,
  with ``M^N <= max_entries``;
* :func:`weights`: exact weights for a given architecture (integers in ``[-bound, bound]``, optionally
  Fractions, zeros allowed unless ``zeros=False``; shared architectures repeat one matrix per level);
* :func:`partitions`: bipartitions ``(I, J)`` of the modes ``0..N-1`` (0-based, as in
  :class:`~verifier.exact.tensors.Partition`);
* :func:`representations`: ``N x M`` arrays ``reps[i, d] = f_d(x_i)`` of exact numbers;
* :func:`tt_architectures`, :func:`tt_core_weights`: tensor trains (:mod:`verifier.nets.tt`) and their cores;
* :func:`exact_tensors` and :func:`matrices_with_rank`: exact tensors, and integer matrices whose rank
  is known by construction (independently of every rank engine).

Strategies shrink towards small sizes, zero weights and the first listed choices. Examples below use
:func:`hypothesis.find` (deterministic with ``derandomize=True``), since ``.example()`` is random.

Examples
--------
>>> from hypothesis import find
>>> find(deep_architectures(max_N=4), lambda a: a.N == 4 and a.shared, settings=FIND_SETTINGS)
DeepArch(N=4, M=1, widths=(1, 1), Y=1, shared=True)
"""

from __future__ import annotations

import numbers
import signal
import tempfile
import threading
from contextlib import contextmanager

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from .errors import invalid
from .exact.tensors import parse_partition
from .nets.architectures import DeepArch, ShallowArch, share_class
from .nets.weights import weights_from_arrays

#: Default largest number of tensor entries ``M^N`` an architecture strategy produces.
DEFAULT_MAX_ENTRIES = 256

#: Settings for a deterministic :func:`hypothesis.find` (examples, scripts): derandomized, no example
#: database, an explicit example budget (independent of the loaded profile), no deadline.
FIND_SETTINGS = settings(database=None, derandomize=True, max_examples=1000, deadline=None,
                         suppress_health_check=list(HealthCheck))


@contextmanager
def contained_search():
    """Context for the hypothesis searches the package itself runs (not tests): they leave no trace and lose
    no Ctrl-C.

    Hypothesis keeps files (its example database, a cache of the constants of local modules) under
    ``.hypothesis/`` in the current directory; here they go to a temporary directory removed afterwards.
    Ctrl-C is recorded instead of raised wherever hypothesis happens to be (a KeyboardInterrupt raised in
    a finalizer is printed as "Exception ignored" and lost); the ``check`` yielded raises it, and the
    search's test function calls it first; it is raised again when the context ends.

    Examples
    --------
    >>> from hypothesis import find, strategies as st
    >>> with contained_search() as check:
    ...     find(st.integers(), lambda n: check() or n > 3, settings=FIND_SETTINGS)
    4
    """
    from hypothesis import configuration

    interrupted = []
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if main else None
    if main and previous is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))

    def check() -> None:
        if interrupted:
            raise KeyboardInterrupt

    home = vars(configuration).get("__hypothesis_home_directory")  # restored afterwards (None: the default)
    try:
        with tempfile.TemporaryDirectory(prefix="verifier-hypothesis-") as tmp:
            configuration.set_hypothesis_home_dir(tmp)
            try:
                yield check
            finally:
                configuration.set_hypothesis_home_dir(home)
    finally:
        if main and previous is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, previous)
    check()


def _count(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise invalid(name, what, value)
    return int(value)


def _shared_flags(shared) -> st.SearchStrategy:
    if shared is None:
        return st.booleans()
    if not isinstance(shared, bool):
        raise invalid("shared", "True, False or None (both)", shared)
    return st.just(shared)


def exact_numbers(bound: int = 10, fractions: bool = False, max_denominator: int = 6,
                  zeros: bool = True, positive: bool = False) -> st.SearchStrategy:
    """Exact rationals in ``[-bound, bound]``: ``int`` (default) or ``Fraction``.

    Parameters
    ----------
    bound : int
        Values lie in ``[-bound, bound]``.
    fractions : bool
        Draw Fractions with denominators up to ``max_denominator`` (integral ones come back as ``int``).
    max_denominator : int
        Largest denominator when ``fractions`` is set.
    zeros : bool
        Allow 0 (default). ``zeros=False`` excludes it.
    positive : bool
        Only values in ``(0, bound]`` (shrinks fastest; overrides ``zeros``).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(exact_numbers(5, fractions=True), lambda x: x > 1 and x != int(x),
    ...      settings=FIND_SETTINGS)
    Fraction(3, 2)
    >>> exact_numbers(0)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'bound' must be a positive integer, got 0.
    """
    bound = _count(bound, "bound")
    if positive and not fractions:
        return st.integers(1, bound)
    if positive:
        zeros = False
    if fractions:
        max_denominator = _count(max_denominator, "max_denominator")
        base = st.fractions(-bound, bound, max_denominator=max_denominator).map(
            lambda f: int(f) if f.denominator == 1 else f)
        return base.filter(lambda x: x > 0) if positive else base if zeros else base.filter(lambda x: x != 0)
    if zeros:
        return st.integers(-bound, bound)
    return st.one_of(st.integers(1, bound), st.integers(-bound, -1))


def deep_architectures(max_N: int = 8, max_M: int = 3, max_width: int = 3, max_Y: int = 1,
                       shared: bool | None = None, max_entries: int = DEFAULT_MAX_ENTRIES,
                       ) -> st.SearchStrategy:
    """Deep ConvAC architectures (balanced binary tree, ``N = 2^L``) of bounded size.

    Parameters
    ----------
    max_N : int
        Largest N (powers of 2 from 2 up to it are drawn).
    max_M, max_width, max_Y : int
        Largest M, width ``r_l`` and number of outputs Y.
    shared : bool or None
        Weight sharing: fixed, or drawn (``None``, default).
    max_entries : int
        Only ``(N, M)`` with ``M^N <= max_entries`` are drawn (dense tensors stay small).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(deep_architectures(max_N=8, max_M=2), lambda a: a.N == 8,
    ...      settings=FIND_SETTINGS)
    DeepArch(N=8, M=1, widths=(1, 1, 1), Y=1, shared=False)
    """
    max_N, max_M = _count(max_N, "max_N", 2), _count(max_M, "max_M")
    max_width, max_Y = _count(max_width, "max_width"), _count(max_Y, "max_Y")
    max_entries = _count(max_entries, "max_entries")
    sizes = [(2**L, M) for L in range(1, max_N.bit_length()) for M in range(1, max_M + 1)
             if M ** (2**L) <= max_entries]
    if not sizes:
        raise invalid("max_entries", f"at least M^N = 1 for N = 2 (max_N = {max_N})", max_entries)

    @st.composite
    def build(draw):
        N, M = draw(st.sampled_from(sizes))
        widths = tuple(draw(st.lists(st.integers(1, max_width), min_size=N.bit_length() - 1,
                                     max_size=N.bit_length() - 1)))
        return DeepArch(N=N, M=M, widths=widths, Y=draw(st.integers(1, max_Y)), shared=draw(_shared_flags(shared)))

    return build()


def geometry_architectures(max_N: int = 9, max_M: int = 3, max_width: int = 3, shared: bool | None = None,
                           max_entries: int = 512) -> st.SearchStrategy:
    """Deep ConvACs over other pooling geometries: random mode trees (any arity, unbalanced, shuffled leaves),
    windows and binary trees, with ``M^N <= max_entries`` and widths ``1..max_width``.

    Examples
    --------
    >>> from hypothesis import find
    >>> a = find(geometry_architectures(), lambda a: a.tree.name == "window:3", settings=FIND_SETTINGS)
    >>> a.N, a.tree.name
    (9, 'window:3')
    """
    import random as _random

    from .nets.geometry import random_tree

    max_N, max_M = _count(max_N, "max_N", 2), _count(max_M, "max_M")
    max_width, max_entries = _count(max_width, "max_width"), _count(max_entries, "max_entries")

    @st.composite
    def build(draw):
        kind = draw(st.sampled_from(["tree", "window", "binary"]))
        sizes = {"tree": range(2, max_N + 1), "window": [w ** 2 for w in (2, 3) if w ** 2 <= max_N],
                 "binary": [n for n in (2, 4, 8) if n <= max_N]}[kind]
        M = draw(st.integers(1, max_M))
        sizes = [n for n in sizes if M ** n <= max_entries]
        if not sizes:
            M, sizes = 1, [2]
            kind = "binary"
        N = draw(st.sampled_from(sizes))
        if kind == "tree":
            tree = random_tree(N, _random.Random(draw(st.integers(0, 2**32 - 1))))
        elif kind == "window":
            tree = f"window:{int(round(N ** 0.5))}" if N > 2 else None
        else:
            tree = None
        height = (tree.height if kind == "tree" else 2 if kind == "window" and N > 2 else N.bit_length() - 1)
        widths = tuple(draw(st.lists(st.integers(1, max_width), min_size=height, max_size=height)))
        return DeepArch(N=N, M=M, widths=widths, shared=draw(_shared_flags(shared)), tree=tree)

    return build()


def shallow_architectures(max_N: int = 4, max_M: int = 3, max_Z: int = 4, max_Y: int = 1,
                          shared: bool | None = None, max_entries: int = DEFAULT_MAX_ENTRIES,
                          ) -> st.SearchStrategy:
    """Shallow ConvAC architectures (CP form) with ``1 <= N <= max_N`` and ``M^N <= max_entries``.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(shallow_architectures(), lambda a: a.Z >= 3, settings=FIND_SETTINGS)
    ShallowArch(N=1, M=1, Z=3, Y=1, shared=False)
    """
    max_N, max_M, max_Z = _count(max_N, "max_N"), _count(max_M, "max_M"), _count(max_Z, "max_Z")
    max_Y, max_entries = _count(max_Y, "max_Y"), _count(max_entries, "max_entries")
    sizes = [(N, M) for N in range(1, max_N + 1) for M in range(1, max_M + 1) if M**N <= max_entries]

    @st.composite
    def build(draw):
        N, M = draw(st.sampled_from(sizes))
        return ShallowArch(N=N, M=M, Z=draw(st.integers(1, max_Z)), Y=draw(st.integers(1, max_Y)),
                           shared=draw(_shared_flags(shared)))

    return build()


def architectures(max_N: int = 4, max_M: int = 3, max_width: int = 3, max_Z: int = 4, max_Y: int = 1,
                  shared: bool | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> st.SearchStrategy:
    """Deep or shallow architectures (deep first, so examples shrink towards deep nets).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(architectures(), lambda a: a.net == "shallow", settings=FIND_SETTINGS)
    ShallowArch(N=1, M=1, Z=1, Y=1, shared=False)
    """
    deep = deep_architectures(max(max_N, 2), max_M, max_width, max_Y, shared, max_entries)
    return st.one_of(deep, shallow_architectures(max_N, max_M, max_Z, max_Y, shared, max_entries))


def weights(arch, bound: int = 10, fractions: bool = False, zeros: bool = True,
            max_denominator: int = 6, positive: bool = False) -> st.SearchStrategy:
    """Exact weights for ``arch``: one matrix of shape ``arch.node_shape(v)`` per tree node.

    Nodes are drawn in the tree's post-order, like :func:`~verifier.nets.weights.random_weights`; with
    ``arch.shared`` one matrix is drawn per level and repeated at every node of that level.

    Parameters
    ----------
    arch : DeepArch or ShallowArch
    bound, fractions, zeros, max_denominator, positive
        As in :func:`exact_numbers`.

    Returns
    -------
    SearchStrategy of Weights
        ``kind == 'explicit'``.

    Examples
    --------
    >>> from hypothesis import find
    >>> a = DeepArch(N=2, M=2, widths=(1,))
    >>> w = find(weights(a, bound=3), lambda w: w[(0, 1)][0, 1] == 3,
    ...          settings=FIND_SETTINGS)
    >>> w[(0, 0)].tolist(), w[(0, 1)].tolist(), w[(1, 0)].tolist()
    ([[0, 0]], [[0, 3]], [[0]])
    """
    numbers_ = exact_numbers(bound, fractions, max_denominator, zeros, positive)
    tree = arch.tree
    slots = []  # (node, rows, cols, offset into the flat draw); shared levels reuse one offset
    offsets: dict = {}
    total = 0
    for v in tree.postorder():
        rows, cols = arch.node_shape(v)
        level = share_class(arch, v)
        if arch.shared and level in offsets:
            slots.append((v, rows, cols, offsets[level]))
            continue
        offsets[level] = total
        slots.append((v, rows, cols, total))
        total += rows * cols

    def build(flat):
        return weights_from_arrays(arch, {v: [flat[at + g * cols: at + (g + 1) * cols] for g in range(rows)]
                                          for v, rows, cols, at in slots})

    return st.lists(numbers_, min_size=total, max_size=total).map(build)


def partitions(N: int, proper: bool = False) -> st.SearchStrategy:
    """Bipartitions ``(I, J)`` of the modes ``0..N-1`` (I indexes rows), as a ``Partition``.

    The spec of a drawn partition is ``rows:i,j,..`` with 1-based modes (the command-line form).

    Parameters
    ----------
    N : int
        Tensor order.
    proper : bool
        Require ``I`` and ``J`` both nonempty (needs ``N >= 2``).

    Examples
    --------
    >>> from hypothesis import find
    >>> p = find(partitions(4, proper=True), lambda p: len(p.rows) == 2,
    ...          settings=FIND_SETTINGS)
    >>> p.rows, p.cols, p.spec
    ((0, 1), (2, 3), 'rows:1,2')
    """
    N = _count(N, "N")
    if proper and N < 2:
        raise invalid("N", "at least 2 for a proper partition", N)
    low, high = (1, N - 1) if proper else (0, N)
    return st.sets(st.integers(0, N - 1), min_size=low, max_size=high).map(
        lambda rows: parse_partition("rows:" + ",".join(str(m + 1) for m in sorted(rows)), N))


def representations(N: int, M: int, bound: int = 10, fractions: bool = False) -> st.SearchStrategy:
    """Representation values ``reps[i, d] = f_d(x_i)``: an ``N x M`` object array of exact numbers.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(representations(2, 3), lambda r: r.shape == (2, 3),
    ...      settings=FIND_SETTINGS).tolist()
    [[0, 0, 0], [0, 0, 0]]
    """
    N, M = _count(N, "N"), _count(M, "M")
    return st.lists(exact_numbers(bound, fractions), min_size=N * M, max_size=N * M).map(
        lambda flat: _object_array(flat, (N, M)))


def exact_tensors(order: int, M: int, bound: int = 10, fractions: bool = False) -> st.SearchStrategy:
    """Exact tensors of shape ``(M,)*order`` (object arrays).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(exact_tensors(2, 2), lambda t: t.sum() == 1,
    ...      settings=FIND_SETTINGS).tolist()
    [[0, 0], [0, 1]]
    """
    order, M = _count(order, "order"), _count(M, "M")
    return st.lists(exact_numbers(bound, fractions), min_size=M**order, max_size=M**order).map(
        lambda flat: _object_array(flat, (M,) * order))


def matrices_with_rank(max_rows: int = 6, max_cols: int = 6, bound: int = 5) -> st.SearchStrategy:
    """Integer matrices whose rank is known by construction: pairs ``(A, k)`` with ``rank A = k``.

    ``A`` is ``P [[I_k, Y], [X, X Y]] Q`` for integer ``X``, ``Y`` with entries in ``[-bound, bound]``
    and permutation matrices ``P``, ``Q``: its rank is at most ``k`` (it is ``[I; X] [I, Y]``) and at
    least ``k`` (an identity minor), over Q and modulo every prime. Empty shapes (0 rows or 0 columns)
    are drawn too.

    Examples
    --------
    >>> from hypothesis import find
    >>> a, k = find(matrices_with_rank(3, 3), lambda ak: ak[1] == 2,
    ...             settings=FIND_SETTINGS)
    >>> a.tolist(), k
    ([[1, 0], [0, 1]], 2)
    """
    max_rows, max_cols = _count(max_rows, "max_rows", 0), _count(max_cols, "max_cols", 0)
    bound = _count(bound, "bound")

    @st.composite
    def build(draw):
        n, m = draw(st.integers(0, max_rows)), draw(st.integers(0, max_cols))
        k = draw(st.integers(0, min(n, m)))
        entry = st.integers(-bound, bound)
        x = [draw(st.lists(entry, min_size=k, max_size=k)) for _ in range(n - k)]
        y = [draw(st.lists(entry, min_size=m - k, max_size=m - k)) for _ in range(k)]
        left = [[int(i == j) for j in range(k)] for i in range(k)] + x          # n x k
        right = [[int(i == j) for j in range(k)] + y[i] for i in range(k)]      # k x m
        rows = [[sum(left[i][t] * right[t][j] for t in range(k)) for j in range(m)] for i in range(n)]
        p = draw(st.permutations(range(n)))
        q = draw(st.permutations(range(m)))
        out = np.empty((n, m), dtype=object)
        for i in range(n):
            for j in range(m):
                out[i, j] = rows[p[i]][q[j]]
        return out, k

    return build()


def tt_architectures(max_N: int = 6, max_M: int = 3, max_bond: int = 3, shared: bool | None = None,
                     max_entries: int = DEFAULT_MAX_ENTRIES, uniform: bool = False) -> st.SearchStrategy:
    """Tensor-train architectures (:class:`~verifier.nets.tt.TTArch`): ``2 <= N <= max_N``, ``M^N <= max_entries``,
    bonds in ``1..max_bond`` (one per bond, or all equal with ``uniform=True`` or when shared).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(tt_architectures(), lambda a: a.N == 3 and not a.shared and a.bonds[1] == 2, settings=FIND_SETTINGS)
    TTArch(N=3, M=1, widths=(1, 2), Y=1, shared=False)
    """
    from .nets.tt import TTArch

    max_N, max_M, max_bond = _count(max_N, "max_N", 2), _count(max_M, "max_M"), _count(max_bond, "max_bond")
    max_entries = _count(max_entries, "max_entries")
    sizes = [(N, M) for N in range(2, max_N + 1) for M in range(1, max_M + 1) if M**N <= max_entries]
    if not sizes:
        raise invalid("max_entries", "at least 1 (M = 1, N = 2), with max_N >= 2", max_entries)

    @st.composite
    def build(draw):
        N, M = draw(st.sampled_from(sizes))
        sh = draw(_shared_flags(shared)) if M > 1 else False  # a shared TT needs M >= 2 (TTArch)
        if uniform or sh:
            bonds = (draw(st.integers(1, max_bond)),)
        else:
            bonds = tuple(draw(st.lists(st.integers(1, max_bond), min_size=N - 1, max_size=N - 1)))
        return TTArch(N=N, M=M, bonds=bonds, shared=sh)

    return build()


def tt_core_weights(arch, bound: int = 10, fractions: bool = False, zeros: bool = True,
                    max_denominator: int = 6) -> st.SearchStrategy:
    """Exact cores for a :class:`~verifier.nets.tt.TTArch` (shared: one inner core repeated), as caterpillar
    :class:`~verifier.nets.weights.Weights` (:func:`~verifier.nets.tt.tt_weights`).

    Examples
    --------
    >>> from hypothesis import find
    >>> from verifier.nets.tt import TTArch, tt_cores
    >>> w = find(tt_core_weights(TTArch(N=2, M=1, bonds=1), bound=3), lambda w: tt_cores(w)[1][0, 0, 0] == 2,
    ...          settings=FIND_SETTINGS)
    >>> [c.tolist() for c in tt_cores(w)]
    [[[[0]]], [[[2]]]]
    """
    from .nets.tt import tt_weights

    numbers_ = exact_numbers(bound, fractions, max_denominator, zeros)
    shapes = [arch.core_shape(i) for i in range(arch.N)]
    inner = arch.shared and arch.N > 2
    drawn = [shapes[0], shapes[1], shapes[-1]] if inner else shapes
    total = sum(a * b * c for a, b, c in drawn)

    def build(flat):
        cores, at = [], 0
        for shape in drawn:
            n = shape[0] * shape[1] * shape[2]
            cores.append(_object_array(flat[at:at + n], shape))
            at += n
        if inner:
            cores = [cores[0]] + [cores[1].copy() for _ in range(arch.N - 2)] + [cores[2]]
        return tt_weights(arch, cores)

    return st.lists(numbers_, min_size=total, max_size=total).map(build)


def _object_array(flat: list, shape: tuple) -> np.ndarray:
    out = np.empty(len(flat), dtype=object)
    for i, x in enumerate(flat):
        out[i] = x
    return out.reshape(shape)


__all__ = ["FIND_SETTINGS", "exact_numbers", "deep_architectures", "geometry_architectures", "shallow_architectures", "architectures", "weights",
           "partitions", "representations", "exact_tensors", "matrices_with_rank", "DEFAULT_MAX_ENTRIES",
           "tt_architectures", "tt_core_weights"]

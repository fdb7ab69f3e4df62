"""Pooling geometries beyond the balanced binary tree: windows, 2-D images, any mode tree.

Cohen & Shashua, *Inductive Bias of Deep Convolutional Networks through Pooling Geometry* (ICLR 2017):
the pooling geometry decides which correlations (matricizations) a deep net models cheaply. Every
geometry here is a :class:`~verifier.nets.trees.ModeTree`, so coefficient tensors, evaluation, weights
and certified ranks work unchanged.

Geometries (the ``--geometry`` values of the command line)
----------------------------------------------------------
* ``binary``: the COLT paper's size-2 windows over ``N = 2^L`` positions (the default).
* ``window:W``: windows of W consecutive positions at every level, ``N = W^L``.
* ``image:HxW``: an H x W image, ``H = W = 2^L``, pooled by 2x2 windows at every level. Positions are
  numbered row-major, 1-based (position ``r W + c + 1`` is row ``r``, column ``c``, 0-based), as the
  ``rows:`` partitions and the paper's figures use; the children of a pooling node are its top-left,
  top-right, bottom-left and bottom-right blocks, so the tree order of the blocks is the Z-order.
* any tree, as nested lists of 1-based modes (``[[1, 2], [3, [4, 5]]]``): any arity >= 2, unbalanced,
  any N; each mode 1..N exactly once.

Node labels follow :mod:`verifier.nets.trees`: ``(height, index among the nodes of that height in
tree order)``; leaves ``(0, i)`` carry mode ``i`` (0-based).

Examples
--------
>>> t = image_tree(4)
>>> t.nested()[0]                        # the top-left 2x2 block of the 4x4 image
(1, 2, 5, 6)
>>> window_tree(3, 2).children((2, 0))
((1, 0), (1, 1), (1, 2))
>>> tree_from_nested([[1, 2], [3, [4, 5]]]).height
3
"""

from __future__ import annotations

import numbers

import networkx as nx

from ..errors import InvalidArgumentError, invalid
from ..exact.tensors import Partition, parse_partition
from .trees import ModeTree, balanced_binary_tree

#: Largest number of modes (leaves) of a geometry built from a spec, a tree file or nested lists.
MAX_MODES = 4096
#: Deepest nesting of a tree given as nested lists (a path of 64 pooling nodes).
MAX_NESTING = 64

GEOMETRY_HELP = ("binary (default), window:W (N = W^L), image:HxW (H = W = 2^L, 2x2 pooling, row-major "
                 "positions), or tree:FILE (JSON {\"tree\": [[1, 2], [3, [4, 5]]], \"widths\": [..]})")


def _short(value, limit: int = 60):
    """The value itself when short (the message shows its repr), else a prefix of it."""
    text = value if isinstance(value, str) else repr(value)
    return value if len(text) <= limit else text[:limit] + "..."


def tree_from_nested(spec, name: str = "tree", arg: str = "tree", max_modes: int = MAX_MODES) -> ModeTree:
    """A mode tree from nested lists of 1-based modes, validated before anything is built.

    Parameters
    ----------
    spec : list
        A list whose entries are modes (integers ``1..N``) or lists of the same kind; every list has at
        least 2 entries (a pooling node pools at least two inputs) and every mode ``1..N`` appears once.
    name : str
        The geometry's name for reports.
    arg : str
        The argument name used in error messages (``'tree'``, ``'--geometry'``, ..).
    max_modes : int
        Largest N accepted (counted before building anything).

    Raises
    ------
    InvalidArgumentError
        For anything else: a non-list, an entry that is not a positive integer, a list with fewer than
        2 entries, a repeated or missing mode, nesting deeper than :data:`MAX_NESTING`, more than
        ``max_modes`` modes.

    Examples
    --------
    >>> t = tree_from_nested([[1, 3], [2, 4]])
    >>> t.children((1, 0)), t.modes((1, 1))
    (((0, 0), (0, 2)), (1, 3))
    >>> tree_from_nested([[1, 2], [2, 3]])
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'tree' must list every mode 1..N exactly once, got mode 2 twice.
    """
    if not isinstance(spec, (list, tuple)):
        raise invalid(arg, "a nested list of modes such as [[1, 2], [3, [4, 5]]]", _short(spec))
    # Validate iteratively (no recursion), counting as we go, before building the graph.
    seen: set = set()
    n_lists = 0
    stack = [(spec, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InvalidArgumentError(f"Argument {arg!r} must nest at most {MAX_NESTING} levels deep, got deeper.")
        n_lists += 1
        if len(node) < 2:
            raise invalid(arg, "lists of at least 2 entries (a pooling node pools at least two inputs)",
                          _short(node))
        for x in node:
            if isinstance(x, (list, tuple)):
                stack.append((x, depth + 1))
            elif isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 1:
                raise invalid(arg, "entries that are modes (positive integers) or lists", _short(x))
            elif int(x) in seen:
                raise InvalidArgumentError(f"Argument {arg!r} must list every mode 1..N exactly once, "
                                           f"got mode {int(x)} twice.")
            else:
                seen.add(int(x))
            if len(seen) > max_modes or n_lists > max_modes:
                raise invalid(arg, f"a tree with at most {max_modes} modes", f"more than {max_modes}")
    n = len(seen)
    if max(seen) != n:
        missing = min(set(range(1, n + 1)) - seen)
        raise InvalidArgumentError(f"Argument {arg!r} must list every mode 1..N exactly once (N = {n} "
                                   f"modes given), got no mode {missing} (largest {_short(max(seen), 20)}).")
    return _build(spec, name)


def _build(spec, name: str) -> ModeTree:
    """Build the graph of a validated nested spec (iterative post-order)."""
    g = nx.DiGraph()
    count: dict = {}
    built = []  # stack of child labels
    todo = [(spec, False)]
    while todo:
        node, expanded = todo.pop()
        if not isinstance(node, (list, tuple)):
            label = (0, int(node) - 1)
            g.add_node(label, modes=(int(node) - 1,), height=0)
            built.append(label)
            continue
        if not expanded:
            todo.append((node, True))
            todo.extend((x, False) for x in reversed(node))
            continue
        kids = tuple(built[len(built) - len(node):])
        del built[len(built) - len(node):]
        height = 1 + max(g.nodes[k]["height"] for k in kids)
        label = (height, count.get(height, 0))
        count[height] = label[1] + 1
        modes = tuple(m for k in kids for m in g.nodes[k]["modes"])
        g.add_node(label, children=kids, modes=modes, height=height)
        g.add_edges_from((label, k) for k in kids)
        built.append(label)
    return ModeTree(g, built[0], name)


def tree_from_networkx(graph: nx.DiGraph, name: str = "tree", arg: str = "tree") -> ModeTree:
    """A mode tree from a networkx arborescence whose leaves are the 1-based modes ``1..N``.

    Edges point from parent to child; the children of a node are taken in the order of
    ``graph.successors`` (insertion order).

    Examples
    --------
    >>> g = nx.DiGraph([("root", "a"), ("root", 3), ("a", 1), ("a", 2)])
    >>> tree_from_networkx(g).nested()
    ((1, 2), 3)
    """
    if isinstance(graph, nx.DiGraph) and graph.number_of_nodes() > 2 * MAX_MODES:
        raise invalid(arg, f"a tree with at most {MAX_MODES} modes", f"{graph.number_of_nodes()} nodes")
    if not isinstance(graph, nx.DiGraph) or graph.number_of_nodes() == 0 or not nx.is_arborescence(graph):
        raise invalid(arg, "a networkx DiGraph that is a rooted tree (edges from parent to child)",
                      type(graph).__name__)
    root = next(v for v, d in graph.in_degree() if d == 0)
    nested: dict = {}
    for v in nx.dfs_postorder_nodes(graph, root):
        kids = list(graph.successors(v))
        nested[v] = [nested.pop(k) for k in kids] if kids else v
    return tree_from_nested(nested[root], name, arg)


def window_tree(window: int, levels: int) -> ModeTree:
    """Pooling windows of ``window`` consecutive positions at every level: ``N = window^levels``.

    Examples
    --------
    >>> window_tree(4, 2).modes((1, 1))
    (4, 5, 6, 7)
    """
    for name, value, low in (("window", window, 2), ("levels", levels, 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise invalid(name, f"an integer >= {low}", _short(value))
    if levels > MAX_MODES or window ** levels > MAX_MODES:
        raise invalid("window", f"window^levels <= {MAX_MODES}", f"{window}^{levels}")
    n = window ** levels
    spec: list = list(range(1, n + 1))
    for _ in range(levels):
        spec = [spec[k:k + window] for k in range(0, len(spec), window)]
    return _build(spec[0], f"window:{window}")


def image_tree(side: int) -> ModeTree:
    """2x2 pooling of a ``side x side`` image (``side = 2^L``), positions row-major and 1-based.

    Examples
    --------
    >>> image_tree(2).nested()
    (1, 2, 3, 4)
    """
    if (isinstance(side, bool) or not isinstance(side, numbers.Integral) or side < 2 or side & (side - 1)
            or side * side > MAX_MODES):
        raise invalid("side", f"a power of 2 >= 2 with side^2 <= {MAX_MODES}", _short(side))

    def block(r, c, size):
        if size == 1:
            return r * side + c + 1
        h = size // 2
        return [block(r, c, h), block(r, c + h, h), block(r + h, c, h), block(r + h, c + h, h)]

    return _build(block(0, 0, side), f"image:{side}x{side}")


def _int(text: str):
    return int(text) if text.isdigit() and len(text) <= 6 else None


def geometry_tree(spec, N: int, arg: str = "geometry") -> ModeTree:
    """The mode tree of a named geometry for N positions (``binary``, ``window:W``, ``image:HxW``).

    Trees from files (``tree:FILE``) are read by the command line and built with :func:`tree_from_nested`.

    Raises
    ------
    InvalidArgumentError
        For an unknown spec, or one that does not fit N (e.g. ``window:3`` with N = 8).

    Examples
    --------
    >>> geometry_tree("window:3", 9).name
    'window:3'
    >>> geometry_tree("image:4x4", 8)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'geometry' must be 'image:HxW' with H = W = 2^L >= 2 and N = H * W = 8, got 'image:4x4'.
    """
    expected = "'binary', 'window:W' or 'image:HxW'"
    if isinstance(N, bool) or not isinstance(N, numbers.Integral) or N < 1:
        raise invalid("N", "a positive integer", _short(N))
    if not isinstance(spec, str):
        raise invalid(arg, expected, _short(spec))
    s = spec.strip()
    if s == "binary":
        if isinstance(N, bool) or not isinstance(N, int) or N < 2 or N & (N - 1):
            raise invalid(arg, f"a geometry that fits N = {N} ('binary' needs N = 2^L >= 2)", spec)
        return balanced_binary_tree(N)
    if s.startswith("window:"):
        w = _int(s[7:])
        if w is None or w < 2:
            raise invalid(arg, "'window:W' with an integer window W >= 2", _short(spec))
        levels, n = 0, 1
        while n < N:
            n *= w
            levels += 1
        if n != N or levels < 1 or N > MAX_MODES:
            raise invalid(arg, f"'window:W' with N = {N} a power W^L (L >= 1) of W, N <= {MAX_MODES}", spec)
        return window_tree(w, levels)
    if s.startswith("image:"):
        parts = s[6:].split("x")
        h, w = (_int(parts[0]), _int(parts[1])) if len(parts) == 2 else (None, None)
        if h is None or h != w or h < 2 or h & (h - 1) or h * w != N or N > MAX_MODES:
            raise invalid(arg, f"'image:HxW' with H = W = 2^L >= 2 and N = H * W = {N}", _short(spec))
        return image_tree(h)
    raise invalid(arg, expected + " (or tree:FILE on the command line)", _short(spec))


def as_mode_tree(tree, N: int, arg: str = "tree") -> ModeTree:
    """Normalize a geometry given to an architecture: a ModeTree, a spec string, a networkx tree or nested lists.

    Examples
    --------
    >>> as_mode_tree([[1, 2], [3, 4]], 4) == balanced_binary_tree(4)
    True
    """
    if isinstance(tree, ModeTree):
        return tree
    if isinstance(tree, str):
        return geometry_tree(tree, N, arg)
    if isinstance(tree, nx.DiGraph):
        return tree_from_networkx(tree, arg=arg)
    return tree_from_nested(tree, arg=arg)


def leaves_under_level_one(tree: ModeTree, top: int = 1) -> bool:
    """Whether every node below height ``top`` has its parent exactly one level up (true for every
    uniform geometry; the witnesses of Theorems 1 and 2 need it).

    Examples
    --------
    >>> leaves_under_level_one(tree_from_nested([[1, 2], [3, [4, 5]]]))
    False
    """
    if not isinstance(tree, ModeTree):
        raise invalid("tree", "a ModeTree", tree)
    for v in tree.postorder():
        h = tree.depth(v)
        if v != tree.root and h < top and tree.depth(tree.parent(v)) != h + 1:
            return False
    return True


#: Partition names every geometry accepts, and those of images (2-D positions, row-major).
IMAGE_PARTITIONS = ("left-right", "top-bottom", "checkerboard", "column-interleaved")


def image_side(tree: ModeTree) -> int | None:
    """The side H of an ``image:HxH`` geometry, else ``None``."""
    if not isinstance(tree, ModeTree):
        raise invalid("tree", "a ModeTree", tree)
    if tree.name.startswith("image:"):
        return int(tree.name[6:].split("x")[0])
    return None


def named_partition(spec, tree: ModeTree, arg: str = "partition"):
    """A partition spec for a geometry: the image names, or any spec of :func:`~verifier.exact.tensors.parse_partition`.

    For ``image:HxH`` (positions row-major, 1-based; rows 0-based below): ``left-right`` (rows: the
    left H/2 columns), ``top-bottom`` (the top H/2 rows), ``checkerboard`` (``row + column`` even) and
    ``column-interleaved`` (columns 0, 2, 4, ..).

    Examples
    --------
    >>> named_partition("checkerboard", image_tree(4)).rows
    (0, 2, 5, 7, 8, 10, 13, 15)
    >>> named_partition("left-right", window_tree(2, 2))
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'partition' must be a partition of this geometry ('left-right' needs an image geometry), got 'left-right'.
    """
    if not isinstance(tree, ModeTree):
        raise invalid("tree", "a ModeTree", type(tree).__name__)
    if isinstance(spec, str) and spec.strip() in IMAGE_PARTITIONS:
        side = image_side(tree)
        s = spec.strip()
        if side is None:
            raise invalid(arg, f"a partition of this geometry ({s!r} needs an image geometry)", spec)
        half = side // 2
        test = {"left-right": lambda r, c: c < half, "top-bottom": lambda r, c: r < half,
                "checkerboard": lambda r, c: (r + c) % 2 == 0, "column-interleaved": lambda r, c: c % 2 == 0}[s]
        rows = tuple(r * side + c for r in range(side) for c in range(side) if test(r, c))
        return Partition(side * side, rows, s)
    return parse_partition(spec, tree.n_modes)


def random_tree(n_modes: int, rng, shuffle: bool = True, max_arity: int = 3) -> ModeTree:
    """A random mode tree over ``n_modes`` modes (seeded by ``rng``, a :class:`random.Random`): runs of 2 to
    ``max_arity`` consecutive nodes are pooled until one is left (any arity, unbalanced); the leaf order
    is shuffled unless ``shuffle=False``.

    Examples
    --------
    >>> import random
    >>> random_tree(5, random.Random(0)).n_modes
    5
    """
    if isinstance(n_modes, bool) or not isinstance(n_modes, numbers.Integral) or not 2 <= n_modes <= MAX_MODES:
        raise invalid("n_modes", f"an integer in 2..{MAX_MODES}", _short(n_modes))
    if isinstance(max_arity, bool) or not isinstance(max_arity, numbers.Integral) or max_arity < 2:
        raise invalid("max_arity", "an integer >= 2", _short(max_arity))
    items: list = list(range(1, n_modes + 1))
    if shuffle:
        rng.shuffle(items)
    while len(items) > 1:
        k = min(len(items), rng.randint(2, max_arity))
        at = rng.randrange(len(items) - k + 1)
        items[at:at + k] = [items[at:at + k]]
    return tree_from_nested(items[0], "tree")

"""Coefficient tensors from network weights: the CP and Hierarchical Tucker forms, exact or mod p.

Cohen, Sharir & Shashua (COLT 2016), eqs. (4) and (5): the shallow net's tensor is the CP form
``A^y = sum_z a^y_z a^{z,1} (x) .. (x) a^{z,N}`` and the deep net's is the Hierarchical Tucker recursion

.. math:: \\phi^{l,j,\\gamma} = \\sum_\\alpha a^{l,j,\\gamma}_\\alpha\\,
          \\phi^{l-1,2j-1,\\alpha} \\otimes \\phi^{l-1,2j,\\alpha}.

Both are one recursion over the architecture's mode tree (a star for CP, the balanced binary tree for
HT): a leaf's tensors are the rows of its weight matrix; an internal node multiplies its children's
tensors channel by channel (outer product over their modes) and mixes channels with its matrix.

Tensors come back with shape ``(M,)*N``, modes 0-based in the natural order. Exact tensors are object
arrays (``int``, ``Fraction`` or sympy expressions); with ``modulus=p`` the recursion runs on int64
residues (``p < 2^31`` so every product of two residues fits in int64), never through Python numbers.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import witness_weights
>>> t = coefficient_tensor(witness_weights(DeepArch(N=2, M=2, widths=(1,))))
>>> t.tolist()
[[1, 0], [0, 0]]
"""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import InvalidArgumentError, SizeLimitError, count_text, invalid
from ..exact.fields import check_prime
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, EXACT_ENTRY_LIMIT, check_budget
from .weights import check_arch, check_weights


def dense_bytes(arch, modulus: int | None) -> int:
    """Bytes the dense construction of one output's tensor needs at its peak (an estimate made
    before allocating: three int64 arrays of M^N entries mod p, or ~100 bytes an exact entry).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> dense_bytes(DeepArch(N=4, M=2, widths=(2, 1)), modulus=101)
    384
    """
    check_arch(arch)
    entries = arch.M ** arch.N
    return entries * (24 if modulus is not None else 100)


def check_output_index(output, arch) -> int:
    """``output``: a 0-based output index ``y`` in ``0..Y-1`` (an ``int``, not a bool).

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> check_output_index(-1, DeepArch(N=4, M=2, widths=(2, 1)))
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'output' must be an output index in 0..0, got -1.
    """
    check_arch(arch)
    if isinstance(output, bool) or not isinstance(output, numbers.Integral) or not 0 <= output < arch.Y:
        raise invalid("output", f"an output index in 0..{arch.Y - 1}", output)
    return int(output)


def physical_memory() -> int | None:
    """Bytes of memory of this machine, or None when the system does not say."""
    import os

    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return None


def check_budget_value(memory_budget) -> int:
    """``memory_budget``: a non-negative integer number of bytes, at most this machine's memory (or the default
    budget): a larger budget would let an allocation fail in the middle of the work instead of being refused
    before it.

    Examples
    --------
    >>> check_budget_value(2**80)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'memory_budget' must be at most this machine's memory, ... bytes, got 1208925819614629174706176.
    """
    if isinstance(memory_budget, bool) or not isinstance(memory_budget, numbers.Integral) or memory_budget < 0:
        raise invalid("memory_budget", "a non-negative integer number of bytes", memory_budget)
    ram = physical_memory()
    if ram is not None and memory_budget > max(ram, DEFAULT_MEMORY_BUDGET):
        raise invalid("memory_budget", f"at most this machine's memory, {ram} bytes", memory_budget)
    return int(memory_budget)


def coefficient_tensor(weights, output: int = 0, modulus: int | None = None,
                       memory_budget: int = DEFAULT_MEMORY_BUDGET) -> np.ndarray:
    """The coefficient tensor ``A^y`` of a ConvAC, built from its CP / HT form.

    Parameters
    ----------
    weights : Weights
        Exact, symbolic or integer weights (``modulus`` needs integer weights: call
        :meth:`~verifier.nets.weights.Weights.integral` first, which keeps every rank).
    output : int
        0-based output index ``y`` (the paper's ``y + 1``).
    modulus : int, optional
        A prime below ``2^31``: build the tensor of residues mod p (int64).
    memory_budget : int
        Bytes; larger constructions are refused before allocation.

    Returns
    -------
    numpy.ndarray
        Shape ``(M,)*N``.

    Raises
    ------
    SizeLimitError
        When the dense tensor does not fit (exact: more than ``EXACT_ENTRY_LIMIT`` entries).

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> from verifier.nets.weights import weights_from_arrays
    >>> a = ShallowArch(N=2, M=2, Z=1)
    >>> w = weights_from_arrays(a, {(0, 0): [[1, 2]], (0, 1): [[3, 4]], (1, 0): [[5]]})
    >>> coefficient_tensor(w).tolist()
    [[15, 20], [30, 40]]
    >>> coefficient_tensor(w, modulus=7).tolist()
    [[1, 6], [2, 5]]
    """
    arch = check_weights(weights).arch
    if getattr(arch, "kernel", 1) != 1:
        raise invalid("weights", "weights of a 1x1 ConvAC (receptive field K > 1: verifier.nets.receptive.grid_tensor)",
                      f"receptive field {arch.kernel}")
    check_output_index(output, arch)
    check_budget_value(memory_budget)
    if modulus is not None:
        modulus = check_prime(modulus, "modulus", 2**31)
    return _coefficient_tensor(weights, output, modulus, memory_budget)


def _coefficient_tensor(weights, output: int, modulus: int | None, memory_budget: int) -> np.ndarray:
    """:func:`coefficient_tensor` on validated values (the size checks of the construction itself stay)."""
    arch = weights.arch
    entries = arch.M ** arch.N
    size = f"a dense tensor of M^N = {arch.M}^{arch.N} = {count_text(entries)} entries"
    if modulus is None:
        if entries > EXACT_ENTRY_LIMIT:
            raise SizeLimitError(
                f"{size} is over the limit of {EXACT_ENTRY_LIMIT} entries for exact (object) arrays; "
                "build it modulo a prime, or use the network's structure."
            )
    else:
        if not weights.is_integral:
            raise invalid("weights", "integer weights for a construction mod p (use Weights.integral())",
                          f"{weights.kind} weights with non-integer entries")
    check_budget(dense_bytes(arch, modulus), memory_budget, size,
                 "use the network's structure (Lemmas K and R) or a smaller N", name="N, M")
    tree = arch.tree
    flat = subtree_tensor(weights, tree.root, weights[tree.root][output], modulus)
    order = tree.modes(tree.root)
    tensor = flat.reshape((arch.M,) * arch.N)
    if order != tuple(range(arch.N)):
        tensor = tensor.transpose(np.argsort(order))
    return tensor


def subtree_tensor(weights, node, row, modulus: int | None = None) -> np.ndarray:
    """The tensor of one channel of a mode-tree node, flattened in the node's mode order.

    ``row`` is a weight vector over the node's input channels (a row of its matrix, or any vector):
    the result is ``sum_alpha row[alpha] * (outer product over children of their channel alpha)``, or
    ``row . reps`` at a leaf. No size check: callers check the budget.

    Examples
    --------
    >>> from verifier.nets.architectures import DeepArch
    >>> from verifier.nets.weights import witness_weights
    >>> w = witness_weights(DeepArch(N=4, M=2, widths=(2, 1)))
    >>> subtree_tensor(w, (1, 0), w[(1, 0)][0]).tolist()
    [1, 0, 0, 1]
    """
    check_weights(weights)
    if not isinstance(node, tuple) or node not in weights.arrays:
        raise invalid("node", "a node of the weights' mode tree", node)
    tree = weights.arch.tree
    row = np.asarray(row, dtype=object).reshape(1, -1)
    if modulus is not None:
        row = np.array([[x % modulus for x in row[0].tolist()]], dtype=np.int64)
    if tree.is_leaf(node):
        if modulus is None:
            return row.dot(np.asarray(weights[node], dtype=object))[0]
        leaf = np.array([[x % modulus for x in r] for r in weights[node].tolist()], dtype=np.int64)
        return np.array([sum(int(a) * int(b) for a, b in zip(row[0], col)) % modulus for col in leaf.T],
                        dtype=np.int64)
    node_tensors = {}
    for v in tree.postorder(node):
        w = row if v == node else weights[v]
        if modulus is not None and v != node:
            w = np.array([[x % modulus for x in r] for r in w.tolist()], dtype=np.int64)
        if tree.is_leaf(v):
            node_tensors[v] = w
            continue
        kids = [node_tensors.pop(c) for c in tree.children(v)]
        node_tensors[v] = _pool_and_mix(kids, w, modulus)
    return node_tensors[node][0]


def _pool_and_mix(kids: list, w: np.ndarray, modulus: int | None) -> np.ndarray:
    """``out[g] = sum_alpha w[g, alpha] * (kids[0][alpha] (x) kids[1][alpha] (x) ..)``, flattened."""
    n_out, n_in = w.shape
    if any(k.shape[0] != n_in for k in kids):  # pragma: no cover - guaranteed by node_shape
        raise InvalidArgumentError("Argument 'weights' has inconsistent channel counts.")
    size = 1
    for k in kids:
        size *= k.shape[1]
    dtype = np.int64 if modulus is not None else object
    acc = np.zeros((n_out, size), dtype=dtype)
    for alpha in range(n_in):
        prod = kids[0][alpha]
        for k in kids[1:]:
            prod = np.multiply.outer(prod, k[alpha]).reshape(-1)
            if modulus is not None:
                prod %= modulus
        for g in range(n_out):
            c = w[g, alpha]
            if modulus is None and c == 0:
                continue
            if modulus is not None:
                if c == 0:
                    continue
                acc[g] += prod * c
                acc[g] %= modulus
            else:
                acc[g] = acc[g] + prod * c
    return acc


def contract(tensor: np.ndarray, reps: np.ndarray):
    """``sum_d A[d_1..d_N] prod_i reps[i, d_i]``: the score the tensor assigns to representations.

    Examples
    --------
    >>> import numpy as np
    >>> contract(np.array([[1, 2], [3, 4]], dtype=object), np.array([[1, 0], [0, 1]], dtype=object))
    2
    """
    if not isinstance(tensor, np.ndarray) or not isinstance(reps, np.ndarray) or reps.ndim != 2 \
            or reps.shape[0] != tensor.ndim or any(d != reps.shape[1] for d in tensor.shape):
        raise invalid("tensor, reps", "a numpy tensor of order N with every mode of size M and an N x M numpy array",
                      f"{type(tensor).__name__} {getattr(tensor, 'shape', '')}, {type(reps).__name__} "
                      f"{getattr(reps, 'shape', '')}")
    out = tensor
    for i in range(tensor.ndim):
        out = np.tensordot(reps[i], out, axes=([0], [0]))
    return out.item() if isinstance(out, np.ndarray) else out

"""Deep ConvACs whose convolutions have a receptive field of K > 1 positions, and their grid tensors.

Cohen, Sharir & Shashua (COLT 2016) use 1x1 convolutions (each conv reads one position) and leave larger
receptive fields open; Sharir & Shashua, *On the Expressive Power of Overlapping Architectures of Deep
Learning* (ICLR 2018, arXiv 1703.02065) study them as **overlapping** ConvACs: a convolution whose
receptive field is larger than its stride, so that neighbouring windows overlap ("when the stride of the
convolution is smaller than its filter size", their abstract). Ranks are taken of the **grid tensor** of the
network (the scores on a grid of template inputs; grid tensors come from Cohen & Shashua, ICML 2016, arXiv
1603.00162), since with overlaps the score is no longer multilinear in one representation vector per
position. The stored text available to us holds only the abstract of Sharir & Shashua; their layers are 2-D
(R x R windows, stride S); the 1-D layer below, and its boundary rule, are our choice.

**The definition implemented here** (our 1-D instance of their overlapping ConvAC; 0-based indices):

* the deep net of MATH.md section 1 (``N = 2^L`` positions, widths ``r_0..r_{L-1}``, ``r_{-1} = M``, size-2
  product pooling, dense output layer), except that **every** hidden conv layer ``l = 0..L-1`` has a
  receptive field of ``K`` consecutive positions with stride 1 (the pooling after it keeps stride 2):

  .. math:: \\mathrm{conv}_l(j, \\gamma) = \\sum_{k=0}^{K-1} \\langle a^{l,j,\\gamma}_k, x_l(j + k) \\rangle,
            \\qquad x_{l+1}(j)_\\gamma = \\mathrm{conv}_l(2j, \\gamma)\\, \\mathrm{conv}_l(2j+1, \\gamma),

  with ``x_0(i) = (f_1(x_i), .., f_M(x_i))`` and ``n_l = N / 2^l`` positions at level ``l``;
* **boundary rule: zero padding on the right**: a tap ``k`` with ``j + k >= n_l`` reads zeros (its weights
  exist but multiply 0), so the windows are ``j..j+K-1`` clipped to the sequence; no wrap-around (a
  circular rule would join the two ends across the low/high cut);
* weights: node ``(l, j)`` of the balanced binary tree holds an ``r_l x K*c`` matrix (``c = r_{l-1}``, or M at
  level 0) whose row ``gamma`` is the taps ``a^{l,j,gamma}_0, .., a^{l,j,gamma}_{K-1}`` concatenated; the
  root holds the ``Y x r_{L-1}`` output layer. Shared: one matrix per level. ``K = 1`` is exactly the
  COLT deep net (:class:`~verifier.nets.architectures.DeepArch`), and a ``K``-net whose taps ``k >= 1``
  are zero computes the same function as the 1x1 net, so larger K never loses expressiveness;
* the **grid tensor** ``A^y(d_1..d_N) = h_y(e_{d_1}, .., e_{d_N})`` (one-hot representation values, i.e.
  ``f_d(x_i) = 1[x_i = d]``; the paper's templates are the M one-hot points). For ``K = 1`` it equals the
  coefficient tensor.

:func:`grid_tensor` builds it with numpy broadcasting, exactly (object arrays) or modulo a prime (int64):
every activation is an array over only the modes it depends on, so no ``M^N`` Python-level evaluations.

Examples
--------
>>> from verifier.nets.weights import random_weights
>>> a = KernelArch(N=4, M=2, widths=(2, 1), kernel=2)
>>> a.node_shape((0, 0)), a.node_shape((1, 1)), a.node_shape((2, 0)), a.n_weights
((2, 4), (1, 4), (1, 1), 41)
>>> w = random_weights(a, seed=0, bound=9)
>>> import numpy as np
>>> t = grid_tensor(w)
>>> t[1, 0, 1, 1] == kernel_evaluate(w, np.eye(2, dtype=int)[[1, 0, 1, 1]])[0]
True
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ..errors import SizeLimitError, count_text, invalid
from ..exact.fields import to_exact
from ..exact.tensors import DEFAULT_MEMORY_BUDGET, EXACT_ENTRY_LIMIT, check_budget
from .architectures import _LayeredArch
from .coefficients import check_budget_value, check_output_index
from .trees import balanced_binary_tree
from .weights import check_weights


def check_kernel(kernel, N: int, name: str = "kernel") -> int:
    """Validate a receptive field: an integer in ``1..N``.

    Examples
    --------
    >>> check_kernel(3, 8)
    3
    >>> check_kernel(0, 8, "--kernel")
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument '--kernel' must be an integer receptive field in 1..N = 1..8, got 0.
    """
    if isinstance(kernel, bool) or not isinstance(kernel, numbers.Integral) or not 1 <= kernel <= N:
        raise invalid(name, f"an integer receptive field in 1..N = 1..{N}", kernel)
    return int(kernel)


@dataclass(frozen=True)
class KernelArch(_LayeredArch):
    """Deep ConvAC with receptive field ``kernel`` (stride 1, zero padding on the right) in every conv layer.

    Parameters
    ----------
    N, M, widths, Y, shared
        As for :class:`~verifier.nets.architectures.DeepArch`.
    kernel : int
        K, the receptive field of every hidden conv layer, ``1..N`` (keyword only).

    Examples
    --------
    >>> KernelArch(N=8, M=2, widths=(2, 2, 2), kernel=3)
    KernelArch(N=8, M=2, widths=(2, 2, 2), Y=1, shared=False, kernel=3)
    >>> KernelArch(N=8, M=2, widths=(2, 2, 2), kernel=9)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'kernel' must be an integer receptive field in 1..N = 1..8, got 9.
    """

    kernel: int = field(default=1, kw_only=True)

    net = "deep"

    def __post_init__(self):
        self._validate(lambda n: n.bit_length() - 1, "log2(N) = {L} entries for N = {N}")
        object.__setattr__(self, "kernel", check_kernel(self.kernel, self.N))
        object.__setattr__(self, "tree", balanced_binary_tree(self.N))

    @property
    def L(self) -> int:
        """Number of hidden layers, ``log2 N``."""
        return self.N.bit_length() - 1

    def node_shape(self, node) -> tuple[int, int]:
        """``(r_l, K * r_{l-1})`` at conv node ``(l, j)`` (``r_{-1} = M``), ``(Y, r_{L-1})`` at the root."""
        level = self.tree.depth(node)
        if level == self.L:
            return (self.Y, self.width(level - 1))
        return (self.width(level), self.kernel * self.width(level - 1))

    def edge_dim(self, node):  # pragma: no cover - the HT tree cut does not apply to overlapping nets
        raise invalid("arch", "a 1x1 ConvAC for a cut of the HT tree", f"receptive field {self.kernel}")

    @property
    def n_weights(self) -> int:
        """Declared weights: ``sum_l copies_l * K * r_{l-1} * r_l + Y * r_{L-1}`` (``copies_l = N/2^l``, or 1
        when shared; taps that only ever read the zero padding are counted, as a conv layer declares them).

        Examples
        --------
        >>> KernelArch(N=8, M=2, widths=(2, 2, 2), kernel=1).n_weights   # the 1x1 deep net
        58
        >>> KernelArch(N=8, M=2, widths=(2, 2, 2), kernel=2, shared=True).n_weights
        26
        """
        total = 0
        for level in range(self.L):
            copies = 1 if self.shared else self.N >> level
            total += copies * self.kernel * self.width(level - 1) * self.width(level)
        return total + self.Y * self.width(self.L - 1)

    def to_dict(self) -> dict:
        """JSON-ready description (``net`` is ``deep``; ``kernel`` is the receptive field)."""
        return {"net": "deep", "N": self.N, "M": self.M, "widths": list(self.widths), "Y": self.Y,
                "shared": self.shared, "kernel": self.kernel}


def _check_kernel_weights(weights) -> KernelArch:
    arch = check_weights(weights).arch
    if not isinstance(arch, KernelArch):
        raise invalid("weights", "weights of a KernelArch", f"weights of a {type(arch).__name__}")
    if weights.is_symbolic:
        raise invalid("weights", "exact numeric weights", "symbolic weights")
    return arch


def kernel_evaluate(weights, reps) -> np.ndarray:
    """Scores ``h_y(X)`` of a receptive-field-K net by running it forward, position by position (exact).

    Parameters
    ----------
    weights : Weights
        Exact weights of a :class:`KernelArch`.
    reps : array-like
        ``reps[i, d] = f_d(x_i)``, shape ``N x M``.

    Returns
    -------
    numpy.ndarray
        Object array of length Y.

    Examples
    --------
    >>> from verifier.nets.weights import weights_from_arrays
    >>> a = KernelArch(N=2, M=1, widths=(1,), kernel=2)
    >>> w = weights_from_arrays(a, {"0,0": [[1, 10]], "0,1": [[1, 10]], "1,0": [[1]]})
    >>> kernel_evaluate(w, [[2], [3]]).tolist()   # (2 + 10*3) * (3 + 10*0): the last window is padded
    [96]
    """
    arch = _check_kernel_weights(weights)
    arr = np.asarray(reps, dtype=object)
    if arr.shape != (arch.N, arch.M):
        raise invalid("reps", f"an array of shape N x M = {arch.N} x {arch.M}", "x".join(map(str, arr.shape)))
    x = [[to_exact(v, "reps") for v in row] for row in arr.tolist()]
    K = arch.kernel
    for level in range(arch.L):
        n = len(x)
        conv = []
        for j in range(n):
            w = weights[(level, j)]
            window = [v for k in range(K) for v in (x[j + k] if j + k < n else [0] * len(x[0]))]
            conv.append([sum(a * v for a, v in zip(row, window)) for row in w.tolist()])
        x = [[a * b for a, b in zip(conv[2 * j], conv[2 * j + 1])] for j in range(n // 2)]
    out = np.empty(arch.Y, dtype=object)
    for y, row in enumerate(weights[(arch.L, 0)].tolist()):
        out[y] = sum(a * v for a, v in zip(row, x[0]))
    return out


def grid_bytes(arch: KernelArch, modulus: int | None) -> int:
    """Bytes the grid construction needs at its peak (estimated, conservatively, before allocating):
    ``4 * (max width + 1) * M^N`` entries (one level's convolutions and pooled products alive together, each
    over at most all N inputs), 8 bytes each mod p, ~100 bytes each exact.

    Examples
    --------
    >>> grid_bytes(KernelArch(N=4, M=2, widths=(2, 1), kernel=2), modulus=101)
    1536
    """
    if not isinstance(arch, KernelArch):
        raise invalid("arch", "a KernelArch", arch)
    per = 8 if modulus is not None else 100
    return 4 * (max(arch.widths) + 1) * arch.M ** arch.N * per


def _onehot(M: int, N: int, i: int, dtype) -> np.ndarray:
    """``e_{d_i}`` as an array of shape ``(M, 1.., M at axis 1 + i, ..1)``: channel ``c`` is ``[d_i = c]``."""
    shape = [M] + [1] * N
    shape[1 + i] = M
    out = np.zeros(shape, dtype=dtype)
    for c in range(M):
        idx = [c] + [0] * N
        idx[1 + i] = c
        out[tuple(idx)] = 1
    return out


def grid_tensor(weights, output: int = 0, modulus: int | None = None,
                memory_budget: int = DEFAULT_MEMORY_BUDGET) -> np.ndarray:
    """The grid tensor ``A^y(d_1..d_N) = h_y(e_{d_1}, .., e_{d_N})`` of a receptive-field-K net.

    Every activation ``x_l(j)`` / ``conv_l(j)`` is an array ``(channels, *dims)`` with ``dims[i] = M`` for
    the input positions it depends on and 1 elsewhere; convolutions and pooling are numpy broadcasts, so
    the work is a few array operations per node, not ``M^N`` evaluations.

    Parameters
    ----------
    weights : Weights
        Exact weights of a :class:`KernelArch` (integers for ``modulus``: call ``weights.integral()``,
        which keeps every rank).
    output : int
        0-based output ``y``.
    modulus : int, optional
        A prime below ``2^31``: residues mod p in int64 (every product of two residues fits).
    memory_budget : int
        Bytes; larger constructions are refused before allocating.

    Returns
    -------
    numpy.ndarray
        Shape ``(M,)*N``, modes 0-based in order.

    Raises
    ------
    SizeLimitError
        Over the budget, or (exact) over ``EXACT_ENTRY_LIMIT`` entries.

    Examples
    --------
    >>> from verifier.nets.weights import weights_from_arrays
    >>> a = KernelArch(N=2, M=2, widths=(1,), kernel=2)
    >>> w = weights_from_arrays(a, {"0,0": [[1, 2, 3, 4]], "0,1": [[5, 6, 7, 8]], "1,0": [[1]]})
    >>> grid_tensor(w).tolist()   # (a_{d1} + b_{d2}) * c_{d2}: conv(0) = 1|2 + 3|4, conv(1) = 5|6
    [[20, 30], [25, 36]]
    >>> grid_tensor(w, modulus=7).tolist()
    [[6, 2], [4, 1]]
    """
    arch = _check_kernel_weights(weights)
    output = check_output_index(output, arch)
    entries = arch.M ** arch.N
    size = f"the grid tensor of M^N = {arch.M}^{arch.N} = {count_text(entries)} entries"
    if modulus is None and entries > EXACT_ENTRY_LIMIT:
        raise SizeLimitError(f"{size} is over the limit of {EXACT_ENTRY_LIMIT} entries for exact (object) arrays; "
                             "build it modulo a prime.")
    if modulus is not None:
        if not weights.is_integral:
            raise invalid("weights", "integer weights for a construction mod p (use Weights.integral())",
                          f"{weights.kind} weights with non-integer entries")
        if isinstance(modulus, bool) or not isinstance(modulus, int) or not 2 <= modulus < 2**31:
            raise invalid("modulus", "a prime below 2^31", modulus)
    memory_budget = check_budget_value(memory_budget)
    check_budget(grid_bytes(arch, modulus), memory_budget, size, "use a smaller N or M", name="N, M")
    dtype = np.int64 if modulus is not None else object

    def reduce(a):
        return a % modulus if modulus is not None else a

    def matrix(v):
        w = weights[v]
        if modulus is None:
            return w
        return np.array([[x % modulus for x in row] for row in w.tolist()], dtype=np.int64)

    def combine(w, inputs):
        """``out[g] = sum_a w[g, a] * inputs[a]`` over the stacked channels of ``inputs`` (broadcast)."""
        out = None
        for g in range(w.shape[0]):
            acc = np.zeros((1,) * (arch.N), dtype=dtype)
            for a, x in enumerate(inputs):
                c = w[g, a]
                if c != 0:
                    acc = reduce(acc + x * c)
            out = [acc] if out is None else out + [acc]
        return out

    x = [[xi for xi in _onehot(arch.M, arch.N, i, dtype)] for i in range(arch.N)]
    K = arch.kernel
    for level in range(arch.L):
        n = len(x)
        conv = []
        for j in range(n):
            stacked = [c for k in range(K) if j + k < n for c in x[j + k]]
            w = matrix((level, j))
            live = min(K, n - j) * len(x[0])
            conv.append(combine(w[:, :live], stacked))
        x = [[reduce(a * b) for a, b in zip(conv[2 * j], conv[2 * j + 1])] for j in range(n // 2)]
    root = matrix((arch.L, 0))[output:output + 1]
    out = combine(root, x[0])[0]
    return np.ascontiguousarray(np.broadcast_to(out, (arch.M,) * arch.N))

"""Dense tensors, matricization and size limits.

A tensor of order N with dimension M per mode is a numpy array of shape ``(M,)*N``: ``dtype=object``
holding exact numbers (``int``, ``Fraction``) or sympy expressions, or ``dtype=int64`` holding residues
modulo a prime (the modulus travels with the array in the caller).

Matricization convention (MATH.md section 2)
--------------------------------------------
``[A]_{I,J}``: the modes in ``I`` (increasing) index the rows, the modes in ``J = [N] \\ I`` (increasing)
index the columns, the first listed mode most significant (C order). Modes are 0-based in code;
partition specs on the command line are 1-based, as in the paper. The paper's ``[A]`` is
``I = {1, 3, .., N-1}`` (1-based odd modes), i.e. the 0-based even axes as rows: spec ``odd-even``.

Examples
--------
>>> import numpy as np
>>> t = np.arange(16).reshape(2, 2, 2, 2)
>>> matricize(t, parse_partition("odd-even", 4))
array([[ 0,  1,  4,  5],
       [ 2,  3,  6,  7],
       [ 8,  9, 12, 13],
       [10, 11, 14, 15]])
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidArgumentError, check_size, invalid

#: Largest number of entries of a dense tensor held as exact Python numbers (object arrays).
EXACT_ENTRY_LIMIT = 2**21
#: Default memory budget in bytes for dense modular (int64) work; configurable per call.
DEFAULT_MEMORY_BUDGET = 8 * 2**30


@dataclass(frozen=True)
class Partition:
    """A bipartition ``(I, J)`` of the modes ``0..N-1``; ``I`` indexes rows.

    Parameters
    ----------
    N : int
        Tensor order.
    rows : tuple of int
        0-based modes of ``I``, increasing.
    name : str
        The spec it was parsed from (for reports).

    Examples
    --------
    >>> p = parse_partition("rows:1,2", 4)
    >>> p.rows, p.cols, p.spec
    ((0, 1), (2, 3), 'rows:1,2')
    """

    N: int
    rows: tuple
    spec: str

    def __post_init__(self):
        n = self.N
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise invalid("N", "a positive integer (the tensor order)", n)
        object.__setattr__(self, "N", int(n))
        try:
            rows = tuple(self.rows)
        except TypeError:
            raise invalid("rows", f"a sequence of distinct 0-based modes in 0..{n - 1}", self.rows) from None
        if len(rows) > n or any(isinstance(m, bool) or not isinstance(m, numbers.Integral) or not 0 <= m < n
                                for m in rows) or len(set(rows)) != len(rows):
            raise invalid("rows", f"a sequence of distinct 0-based modes in 0..{n - 1}", self.rows)
        object.__setattr__(self, "rows", tuple(sorted(int(m) for m in rows)))
        if not isinstance(self.spec, str):
            raise invalid("spec", "a string naming the partition", self.spec)

    @property
    def cols(self) -> tuple:
        """0-based modes of ``J``, increasing."""
        rows = set(self.rows)
        return tuple(i for i in range(self.N) if i not in rows)

    def shape(self, M: int) -> tuple[int, int]:
        """``(M^|I|, M^|J|)`` as exact integers."""
        return (M ** len(self.rows), M ** len(self.cols))


def parse_partition(spec: str, N: int) -> Partition:
    """Parse a partition spec: ``odd-even``, ``low-high``, ``blocks:B`` or ``rows:i,j,..`` (1-based modes).

    Parameters
    ----------
    spec : str
        ``odd-even``: rows are the paper's odd modes 1, 3, .., N-1. ``low-high``: rows are modes
        1..floor(N/2). ``blocks:B``: the modes are cut into N/B blocks of B consecutive modes and the odd
        blocks (1-based: modes 1..B, 2B+1..3B, ..) are the rows (Theorem 2's block matricization; B must
        divide N and N/B must be even; ``blocks:1`` is ``odd-even``). ``rows:i,j,..``: the listed 1-based
        modes (distinct, in 1..N) are the rows.
    N : int
        Tensor order.

    Raises
    ------
    InvalidArgumentError
        For an unknown spec, a mode outside 1..N, a repeated mode, or a block size B that does not
        divide N into an even number of blocks.

    Examples
    --------
    >>> parse_partition("odd-even", 6).rows
    (0, 2, 4)
    >>> parse_partition("blocks:2", 8).rows
    (0, 1, 4, 5)
    >>> parse_partition("blocks:3", 8)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'partition' must be 'blocks:B' with B dividing N = 8 into an even number of blocks, got 'blocks:3'.
    >>> parse_partition("rows:1,9", 8)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'partition' must be 'odd-even', 'low-high', 'blocks:B' or 'rows:i,j,..' with distinct modes in 1..8, got 'rows:1,9'.
    """
    if isinstance(N, bool) or not isinstance(N, numbers.Integral) or N < 1:
        raise invalid("N", "a positive integer (the tensor order)", N)
    N = int(N)
    expected = f"'odd-even', 'low-high', 'blocks:B' or 'rows:i,j,..' with distinct modes in 1..{N}"
    if not isinstance(spec, str):
        raise invalid("partition", expected, spec)
    if len(spec) > 20 * N + 100:  # longer than any valid list of distinct modes: refuse before parsing
        raise invalid("partition", expected, spec)
    s = spec.strip()
    if s == "odd-even":
        return Partition(N, tuple(range(0, N, 2)), s)
    if s == "low-high":
        return Partition(N, tuple(range(N // 2)), s)
    if s.startswith("blocks:"):
        b = int(s[7:]) if s[7:].isdigit() and len(s) < 30 else 0
        if b < 1 or N % b or (N // b) % 2:
            raise invalid("partition", f"'blocks:B' with B dividing N = {N} into an even number of blocks", spec)
        return Partition(N, tuple(i for i in range(N) if (i // b) % 2 == 0), s)
    if s.startswith("rows:"):
        items = s[5:].split(",") if s[5:].strip() else []  # 'rows:' alone: I is empty
        if not all(p.strip().isdigit() for p in items):  # no empty items, signs or other text
            raise invalid("partition", expected, spec)
        modes = [int(p) for p in items]
        if len(set(modes)) != len(modes) or any(m < 1 or m > N for m in modes):
            raise invalid("partition", expected, spec)
        return Partition(N, tuple(sorted(m - 1 for m in modes)), s)
    raise invalid("partition", expected, spec)


def check_partition(partition, N: int) -> Partition:
    """``partition`` must be a :class:`Partition` of ``N`` modes (specs are parsed by :func:`parse_partition`).

    Examples
    --------
    >>> check_partition(parse_partition("odd-even", 4), 4).rows
    (0, 2)
    >>> check_partition("odd-even", 4)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'partition' must be a Partition (from parse_partition), got 'odd-even'.
    >>> check_partition(parse_partition("odd-even", 6), 4)
    Traceback (most recent call last):
    ...
    verifier.errors.InvalidArgumentError: Argument 'partition' must be a partition of N = 4 modes, got one of 6 modes.
    """
    if not isinstance(partition, Partition):
        raise invalid("partition", "a Partition (from parse_partition)", partition)
    if partition.N != N:
        raise InvalidArgumentError(f"Argument 'partition' must be a partition of N = {N} modes, got one of "
                                   f"{partition.N} modes.")
    return partition


def matricize(tensor: np.ndarray, partition: Partition) -> np.ndarray:
    """The matricization ``[A]_{I,J}`` (rows: modes ``I``; C order within rows and columns).

    Parameters
    ----------
    tensor : numpy.ndarray
        Shape ``(M,)*N``.
    partition : Partition
        With ``partition.N == tensor.ndim``.

    Returns
    -------
    numpy.ndarray
        Shape ``(M^|I|, M^|J|)``, same dtype.

    Examples
    --------
    >>> import numpy as np
    >>> matricize(np.arange(8).reshape(2, 2, 2), parse_partition("rows:2", 3)).tolist()
    [[0, 1, 4, 5], [2, 3, 6, 7]]
    """
    if not isinstance(tensor, np.ndarray):
        raise invalid("tensor", "a numpy array of shape (M,)*N", type(tensor).__name__)
    if not isinstance(partition, Partition):
        raise invalid("partition", "a Partition (parse_partition)", partition)
    if tensor.ndim != partition.N:
        raise InvalidArgumentError(
            f"Argument 'partition' must split the tensor's {tensor.ndim} modes, got one of {partition.N} modes."
        )
    rows, cols = partition.rows, partition.cols
    n_rows = int(np.prod([tensor.shape[i] for i in rows], dtype=object)) if rows else 1
    n_cols = int(np.prod([tensor.shape[i] for i in cols], dtype=object)) if cols else 1
    return tensor.transpose(rows + cols).reshape(n_rows, n_cols)


def check_budget(n_bytes: int, budget: int, what: str, alternative: str = "", name: str = "memory_budget") -> None:
    """Refuse, before allocating, work that needs more than ``budget`` bytes (:func:`~verifier.errors.check_size`).

    Examples
    --------
    >>> check_budget(10, 100, "x")
    >>> check_budget(3**20 * 8, 2**20, "a dense 3^20 tensor", "use the witness's structure")
    Traceback (most recent call last):
    ...
    verifier.errors.SizeLimitError: Argument 'memory_budget': a dense 3^20 tensor needs 27894275208 bytes (26 GiB), over the memory budget of 1048576 bytes (0.000977 GiB); use the witness's structure.
    """
    check_size(name, n_bytes, budget, what, "bytes", alternative, "the memory budget")

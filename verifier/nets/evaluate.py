"""Forward evaluation of ConvACs: the network itself, layer by layer, in exact arithmetic.

Cohen, Sharir & Shashua (COLT 2016), Section 3 and Figures 1-2. For representation values
``reps[i, d] = f_d(x_i)`` (an N x M array of exact numbers, 0-based), the deep net computes
``conv_0(j, alpha) = <a^{0,j,alpha}, reps[j]>``, multiplies the channels of sibling positions
(size-2 product pooling), applies the next 1x1 convolution, and so on up the mode tree; the output
layer gives ``h_y``. The shallow net convolves every position and multiplies all of them (global
product pooling). Claims 1-2 of the paper say the result equals the tensor contraction
``sum_d A^y[d] prod_i reps[i, d_i]``; the tests check it exactly and symbolically.

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import witness_weights
>>> import numpy as np
>>> w = witness_weights(DeepArch(N=2, M=2, widths=(2,)))
>>> evaluate(w, np.array([[1, 2], [3, 4]], dtype=object)).tolist()
[11]
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from ..exact.fields import to_exact
from .weights import check_weights


def _as_reps(reps, N: int, M: int) -> np.ndarray:
    try:
        arr = np.asarray(reps, dtype=object)
    except (ValueError, TypeError):
        raise InvalidArgumentError(f"Argument 'reps' must be an array of shape N x M = {N} x {M}, got a ragged "
                                   f"{type(reps).__name__}.") from None
    if arr.shape != (N, M):
        raise InvalidArgumentError(f"Argument 'reps' must be an array of shape N x M = {N} x {M}, got shape "
                                   f"{'x'.join(map(str, arr.shape))}.")
    out = np.empty((N, M), dtype=object)
    for i in range(N):
        for d in range(M):
            x = arr[i, d]
            out[i, d] = x if hasattr(x, "free_symbols") else to_exact(x, "reps")
    return out


def evaluate(weights, reps) -> np.ndarray:
    """Scores ``h_y(X)`` for every output ``y`` by running the network forward.

    Parameters
    ----------
    weights : Weights
        Exact or symbolic weights.
    reps : array-like
        ``reps[i, d] = f_d(x_i)``, shape ``N x M``; exact numbers or sympy expressions.

    Returns
    -------
    numpy.ndarray
        Object array of length Y.

    Examples
    --------
    >>> from verifier.nets.architectures import ShallowArch
    >>> from verifier.nets.weights import weights_from_arrays
    >>> a = ShallowArch(N=2, M=2, Z=1)
    >>> w = weights_from_arrays(a, {(0, 0): [[1, 2]], (0, 1): [[3, 4]], (1, 0): [[5]]})
    >>> evaluate(w, [[1, 0], [0, 1]]).tolist()
    [20]
    """
    arch = check_weights(weights).arch
    if getattr(arch, "kernel", 1) != 1:
        raise InvalidArgumentError(f"Argument 'weights' must be weights of a 1x1 ConvAC (receptive field K > 1: "
                                   f"verifier.nets.receptive.kernel_evaluate), got receptive field {arch.kernel}.")
    reps = _as_reps(reps, arch.N, arch.M)
    tree = arch.tree
    acts = {}
    for v in tree.postorder():
        w = weights[v]
        if tree.is_leaf(v):
            acts[v] = w.dot(reps[tree.modes(v)[0]])
            continue
        pooled = None
        for c in tree.children(v):
            a = acts.pop(c)
            pooled = a if pooled is None else pooled * a
        acts[v] = w.dot(pooled)
    return acts[tree.root]

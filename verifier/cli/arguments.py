"""The flags and values the subcommands share: numbers and lists, the architecture, the weights, the
partition, the seed and the output, each checked with a message naming the flag.
"""

from __future__ import annotations

import argparse
import json

from ..errors import InvalidArgumentError
from ..nets.architectures import DeepArch, ShallowArch
from ..nets.weights import DEFAULT_BOUND, random_weights, weights_from_arrays, witness_weights


def positive_int(name: str):
    """argparse type: a positive integer, with a message naming the flag.

    Examples
    --------
    >>> positive_int("--N")("8")
    8
    >>> positive_int("--N")("x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive integer, got 'x'
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
        return value
    parse.__name__ = name
    return parse


def int_list(name: str):
    """argparse type: comma-separated positive integers (``2,2,1``).

    Examples
    --------
    >>> int_list("--widths")("2,1")
    (2, 1)
    """
    def parse(text: str) -> tuple:
        try:
            values = tuple(int(p) for p in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be comma-separated positive integers such as 2,2,1, got {text!r}") from None
        if any(v < 1 for v in values):
            raise argparse.ArgumentTypeError(
                f"must be comma-separated positive integers such as 2,2,1, got {text!r}")
        return values
    parse.__name__ = name
    return parse


def add_arch_arguments(p, widths_required=False, depth=False) -> None:
    """The architecture flags shared by subcommands (``--net --N --M --widths/--Z --Y --shared``).

    With ``depth=True`` also ``--net depth --Lc L_c``: the depth-L_c net of Theorem 2 (``--widths`` then
    has L_c entries)."""
    nets = ("deep", "shallow", "depth") if depth else ("deep", "shallow")
    p.add_argument("--net", choices=nets, required=True, help="network kind")
    p.add_argument("--N", type=positive_int("--N"), required=True, help="number of positions")
    p.add_argument("--M", type=positive_int("--M"), required=True, help="number of representation functions")
    p.add_argument("--widths", type=int_list("--widths"), help="deep: r_0,..,r_{L-1}")
    p.add_argument("--Z", type=positive_int("--Z"), help="shallow: number of channels")
    p.add_argument("--Y", type=positive_int("--Y"), default=1, help="number of outputs (default 1)")
    p.add_argument("--shared", action="store_true", help="share weights across positions")
    if depth:
        p.add_argument("--Lc", type=positive_int("--Lc"),
                       help="depth: hidden layers L_c in 1..log2(N)-1 (size-2 pooling, then global pooling)")


def arch_from_args(args):
    """Build and validate the architecture named by the flags."""
    if args.net == "depth":
        from ..nets.architectures import DepthArch, check_depth

        if args.widths is None or getattr(args, "Lc", None) is None:
            missing = "--widths" if args.widths is None else "--Lc"
            raise InvalidArgumentError(f"Argument {missing!r} must be given for --net depth, got nothing.")
        if args.Z is not None:
            raise InvalidArgumentError(f"Argument '--Z' must not be given for --net depth, got {args.Z}.")
        if args.N >= 2 and not args.N & (args.N - 1):
            check_depth(args.Lc, args.N, "--Lc")
        return DepthArch(N=args.N, M=args.M, widths=args.widths, L_c=args.Lc, Y=args.Y, shared=args.shared)
    if getattr(args, "Lc", None) is not None:
        raise InvalidArgumentError(f"Argument '--Lc' must not be given for --net {args.net}, got {args.Lc}.")
    if args.net == "deep":
        if args.widths is None:
            raise InvalidArgumentError("Argument '--widths' must be given for --net deep, got nothing.")
        if args.Z is not None:
            raise InvalidArgumentError(f"Argument '--Z' must not be given for --net deep, got {args.Z}.")
        return DeepArch(N=args.N, M=args.M, widths=args.widths, Y=args.Y, shared=args.shared)
    if args.Z is None:
        raise InvalidArgumentError("Argument '--Z' must be given for --net shallow, got nothing.")
    if args.widths is not None:
        raise InvalidArgumentError(f"Argument '--widths' must not be given for --net shallow, got "
                                   f"{','.join(map(str, args.widths))}.")
    return ShallowArch(N=args.N, M=args.M, Z=args.Z, Y=args.Y, shared=args.shared)


def read_weights_file(arch, path: str):
    """Explicit weights from a JSON file ``{"l,j": [[entry, ..], ..], ..}`` (entries: integers or strings
    such as ``"3/4"``), the format ``verifier weights`` writes."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise InvalidArgumentError(f"Argument '--weights-file' must be a readable JSON file, got {path!r} "
                                   f"({exc.strerror}).") from None
    except json.JSONDecodeError as exc:
        raise InvalidArgumentError(f"Argument '--weights-file' must be a JSON file, got {path!r} "
                                   f"(line {exc.lineno}: {exc.msg}).") from None
    if isinstance(data, dict) and "weights" in data:
        recorded = data.get("architecture")
        if recorded is not None and recorded != arch.to_dict():
            raise InvalidArgumentError(f"Argument '--weights-file' must hold weights of the architecture given on "
                                       f"the command line {arch.to_dict()}, got weights of {recorded} in {path!r}.")
        data = data["weights"]
    if not isinstance(data, dict):
        raise InvalidArgumentError(f"Argument '--weights-file' must hold a JSON object of node matrices, got "
                                   f"{type(data).__name__} in {path!r}.")
    return weights_from_arrays(arch, data)


def add_kernel_argument(p) -> None:
    """``--kernel K``: the receptive field of every conv layer of a deep net (default 1, the COLT net)."""
    p.add_argument("--kernel", type=positive_int("--kernel"), default=1,
                   help="deep: every conv layer reads K consecutive positions (stride 1, zero padding on the "
                        "right); ranks of the grid tensor. Default 1 (1x1 convolutions)")


def kernel_arch_from_args(arch, args):
    """The receptive-field-K net for ``--kernel K > 1`` (deep nets only), validated before anything is built."""
    from ..nets.receptive import KernelArch, check_kernel

    if arch.net != "deep":
        raise InvalidArgumentError(f"Argument '--kernel' must be 1 for --net {arch.net} (receptive fields are "
                                   f"implemented for deep nets), got {args.kernel}.")
    kernel = check_kernel(args.kernel, arch.N, "--kernel")
    if getattr(args, "weights", "random") == "witness" and not getattr(args, "weights_file", None):
        raise InvalidArgumentError(f"Argument '--weights' must be 'random' with --kernel {kernel} (the witness is "
                                   "defined for 1x1 nets), got 'witness'.")
    return KernelArch(N=arch.N, M=arch.M, widths=arch.widths, Y=arch.Y, shared=arch.shared, kernel=kernel)


def weights_from_args(arch, args):
    """Random (``--seed``, ``--bound``), witness, or explicit (``--weights-file``) weights."""
    if getattr(args, "weights_file", None):
        return read_weights_file(arch, args.weights_file)
    if args.weights == "witness":
        if arch.net != "deep":
            raise InvalidArgumentError(f"Argument '--weights' must be 'random' for --net {arch.net} "
                                       "(the witness is defined for deep nets), got 'witness'.")
        return witness_weights(arch)
    return random_weights(arch, args.seed, args.bound)


def add_weights_arguments(p) -> None:
    """``--weights {random,witness} --seed --bound --weights-file``."""
    p.add_argument("--weights", choices=("random", "witness"), default="random")
    p.add_argument("--seed", type=int, default=0, help="seed of the random weights (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"), default=DEFAULT_BOUND,
                   help="random weights are uniform on [-bound, bound] (default 10^6)")
    p.add_argument("--weights-file", help="your own exact weights: a JSON file as written by 'verifier weights'")


PARTITION_HELP = ("odd-even (default), low-high, blocks:B (odd blocks of B modes as rows), "
                  "or rows:i,j,.. (1-based modes)")


def add_partition_argument(p) -> None:
    """``--partition SPEC``, parsed later by :func:`verifier.exact.tensors.parse_partition`."""
    p.add_argument("--partition", default="odd-even", help=PARTITION_HELP)


def check_seed(args) -> None:
    """``--seed`` must be non-negative."""
    if args.seed < 0:
        raise InvalidArgumentError(f"Argument '--seed' must be a non-negative integer, got {args.seed}.")


def check_output(arch, args) -> None:
    """``--output`` (1-based) must name one of the architecture's ``Y`` outputs."""
    if args.output > arch.Y:
        raise InvalidArgumentError(f"Argument '--output' must be in 1..{arch.Y} (--Y), got {args.output}.")


def emit(result, as_json: bool) -> None:
    """Print a result object: ``result.to_dict()`` as one sorted JSON line, or ``str(result)``."""
    print(json.dumps(result.to_dict(), sort_keys=True) if as_json else result)

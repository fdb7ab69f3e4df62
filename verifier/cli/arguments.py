"""The flags and values the subcommands share: numbers and lists, the architecture, the weights, the
partition, the seed and the output, each checked with a message naming the flag.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile

from ..errors import InvalidArgumentError, SizeLimitError, show
from ..nets.architectures import DeepArch, ShallowArch
from ..nets.coefficients import physical_memory
from ..nets.geometry import GEOMETRY_HELP, geometry_tree, tree_from_nested
from ..nets.weights import DEFAULT_BOUND, random_weights, weights_from_arrays, witness_weights
from ..render.reports import json_text
from .files import output_kind, read_regular

#: Longest integer accepted on the command line, in digits (sizes far below it are refused later by size).
MAX_DIGITS = 100
#: Most entries of a comma-separated list on the command line.
MAX_LIST = 64
#: Largest weights file read, in bytes (far above any architecture whose weights can be built).
MAX_WEIGHTS_FILE = 64 * 2**20


def _integer(text: str, expected: str, minimum: int) -> int:
    t = text.strip()
    body = t[1:] if t[:1] in "+-" else t
    if not body.isdigit() or len(body) > MAX_DIGITS or not body.isascii():
        raise argparse.ArgumentTypeError(f"must be {expected}, got {show(text)}")
    value = int(t)
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be {expected}, got {show(text)}")
    return value


def positive_int(name: str):
    """argparse type: a positive integer (at most :data:`MAX_DIGITS` digits), with a message naming the flag.

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
        return _integer(text, "a positive integer", 1)
    parse.__name__ = name
    return parse


def bounded_int(name: str, maximum: int):
    """argparse type: an integer in ``1..maximum``.

    Examples
    --------
    >>> bounded_int("--time-limit", 86400)("10000000000")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be an integer in 1..86400, got '10000000000'
    """
    def parse(text: str) -> int:
        value = _integer(text, f"an integer in 1..{maximum}", 1)
        if value > maximum:
            raise argparse.ArgumentTypeError(f"must be an integer in 1..{maximum}, got {show(text)}")
        return value
    parse.__name__ = name
    return parse


def integer(name: str):
    """argparse type: an integer of at most :data:`MAX_DIGITS` digits (its range is checked by the command,
    e.g. :func:`check_seed`).

    Examples
    --------
    >>> integer("--seed")("-3")
    -3
    """
    def parse(text: str) -> int:
        return _integer(text, "an integer", -(10**MAX_DIGITS))
    parse.__name__ = name
    return parse


def int_list(name: str):
    """argparse type: comma-separated positive integers (``2,2,1``), at most :data:`MAX_LIST` of them.

    Examples
    --------
    >>> int_list("--widths")("2,1")
    (2, 1)
    >>> int_list("--widths")("2,,1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be comma-separated positive integers such as 2,2,1 (at most 64), got '2,,1'
    """
    expected = f"comma-separated positive integers such as 2,2,1 (at most {MAX_LIST})"

    def parse(text: str) -> tuple:
        items = text.split(",")
        if len(items) > MAX_LIST:
            raise argparse.ArgumentTypeError(f"must be {expected}, got {show(text)}")
        try:
            return tuple(_integer(p, expected, 1) for p in items)
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(f"must be {expected}, got {show(text)}") from None
    parse.__name__ = name
    return parse


def path_argument(name: str):
    """argparse type: a non-empty file or directory path (an empty string is refused, not read as absent).

    Examples
    --------
    >>> path_argument("--out")("")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a non-empty path, got ''
    """
    def parse(text: str) -> str:
        if not text or "\0" in text:
            raise argparse.ArgumentTypeError(f"must be a non-empty path, got {show(text)}")
        return text
    parse.__name__ = name
    return parse


def memory_budget(name: str):
    """argparse type: a positive number of bytes, at most this machine's memory (a budget above it would let
    an allocation fail in the middle of the work instead of being refused before it)."""
    def parse(text: str) -> int:
        value = _integer(text, "a positive integer number of bytes", 1)
        ram = physical_memory()
        if ram is not None and value > ram:
            raise argparse.ArgumentTypeError(
                f"must be at most this machine's memory, {ram} bytes ({ram / 2**30:.1f} GiB), got {show(text)}")
        return value
    parse.__name__ = name
    return parse


def add_arch_arguments(p, widths_required=False, depth=False, tt=False) -> None:
    """The architecture flags shared by subcommands (``--net --N --M --widths/--Z --Y --shared``).

    With ``depth=True`` also ``--net depth --Lc L_c``: the depth-L_c net of Theorem 2 (``--widths`` then
    has L_c entries). With ``tt=True`` also ``--net tt --bonds R``: a tensor train (:mod:`verifier.nets.tt`)."""
    nets = ("deep", "shallow", "depth") if depth else ("deep", "shallow")
    nets += ("tt",) if tt else ()
    p.add_argument("--net", choices=nets, required=True, help="network kind")
    p.add_argument("--N", type=positive_int("--N"), required=True, help="number of positions")
    p.add_argument("--M", type=positive_int("--M"), required=True, help="number of representation functions")
    p.add_argument("--widths", type=int_list("--widths"), help="deep: r_0,..,r_{L-1}")
    p.add_argument("--Z", type=positive_int("--Z"), help="shallow: number of channels")
    p.add_argument("--Y", type=positive_int("--Y"), default=1, help="number of outputs (default 1)")
    p.add_argument("--shared", action="store_true", help="share weights across positions")
    p.add_argument("--geometry", default="binary", help="deep: pooling geometry: " + GEOMETRY_HELP)
    if depth:
        p.add_argument("--Lc", type=positive_int("--Lc"),
                       help="depth: hidden layers L_c in 1..log2(N)-1 (size-2 pooling, then global pooling)")
    if tt:
        p.add_argument("--bonds", type=int_list("--bonds"),
                       help="tt: bond dimensions (TT-ranks) r_1..r_{N-1}, or one value for all")


#: Largest tree file read (bytes), checked before reading.
MAX_TREE_FILE_BYTES = 2**20


def read_tree_file(path: str, arg: str = "--geometry"):
    """A tree file ``{"tree": [[1, 2], [3, [4, 5]]], "widths": [r_0, .., r_{L-1}]}`` -> (ModeTree, widths or None).

    ``widths`` (optional; else ``--widths``) has one entry per level: a node at height ``l`` takes
    ``r_{l-1}`` inputs (``M`` at the leaves), the root maps ``r_{L-1}`` channels to the outputs.
    """
    name = f"{arg} tree:{path if len(path) <= 60 else path[:60] + '...'}"
    if not path:
        raise InvalidArgumentError(f"Argument {arg!r} must name a readable JSON file after 'tree:', got 'tree:'.")
    raw = read_regular(arg, path, MAX_TREE_FILE_BYTES, "a readable JSON file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, integers over Python's digit limit
        where = (f"line {exc.lineno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError)
                 else "not UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)[:80])
        raise InvalidArgumentError(f"Argument {name!r} must be a JSON file, got invalid JSON ({where}).") from None
    except RecursionError:
        raise InvalidArgumentError(f"Argument {name!r} must be a JSON file nested at most a few dozen levels "
                                   "deep, got deeper nesting.") from None
    if not isinstance(data, dict) or "tree" not in data or set(data) - {"tree", "widths"}:
        got = sorted(data)[:5] if isinstance(data, dict) else type(data).__name__
        raise InvalidArgumentError(f"Argument {name!r} must hold a JSON object with keys 'tree' and optionally "
                                   f"'widths', got {got}.")
    tree = tree_from_nested(data["tree"], arg=name)
    widths = data.get("widths")
    if widths is not None:
        if (not isinstance(widths, list) or not widths
                or any(isinstance(w, bool) or not isinstance(w, int) or w < 1 for w in widths)):
            raise InvalidArgumentError(f"Argument {name!r} must give 'widths' as a list of positive integers, "
                                       f"got {str(widths)[:60]!r}.")
        widths = tuple(widths)
    return tree, widths


def _geometry(args):
    """(tree or None for the default, widths) from ``--geometry`` and ``--widths``."""
    spec = getattr(args, "geometry", None)
    if spec is None or spec == "binary":
        return None, args.widths
    if args.net != "deep":
        raise InvalidArgumentError(f"Argument '--geometry' must be 'binary' for --net {args.net} (geometries are "
                                   f"for deep nets), got {spec[:60]!r}.")
    if not spec.strip():
        raise InvalidArgumentError(f"Argument '--geometry' must be binary, window:W, image:HxW or tree:FILE, "
                                   f"got {show(spec)}.")
    if spec.startswith("tree:"):
        tree, widths = read_tree_file(spec[5:])
        if widths is not None and args.widths is not None and tuple(args.widths) != widths:
            raise InvalidArgumentError(f"Argument '--widths' must agree with the widths of the tree file "
                                       f"{list(widths)}, got {','.join(map(str, args.widths))}.")
        widths = widths if widths is not None else args.widths
        if tree.n_modes != args.N:
            raise InvalidArgumentError(f"Argument '--N' must be the number of modes of the tree file "
                                       f"({tree.n_modes}), got {args.N}.")
        return tree, widths
    return geometry_tree(spec, args.N, "--geometry"), args.widths


def arch_from_args(args):
    """Build and validate the architecture named by the flags."""
    if args.net == "tt":
        from .tt_arguments import tt_arch_from_args

        return tt_arch_from_args(args)
    if getattr(args, "bonds", None) is not None:
        raise InvalidArgumentError(f"Argument '--bonds' must be given only with --net tt (a tensor train's bonds), "
                                   f"got {','.join(map(str, args.bonds))[:40]!r} with --net {args.net}.")
    tree, widths = _geometry(args)
    if tree is not None:
        if widths is None:
            raise InvalidArgumentError("Argument '--widths' must be given for --net deep, got nothing.")
        if args.Z is not None:
            raise InvalidArgumentError(f"Argument '--Z' must not be given for --net deep, got {args.Z}.")
        if getattr(args, "Lc", None) is not None:
            raise InvalidArgumentError(f"Argument '--Lc' must not be given for --net deep, got {args.Lc}.")
        return DeepArch(N=args.N, M=args.M, widths=widths, Y=args.Y, shared=args.shared, tree=tree)
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
    such as ``"3/4"``), the format ``verifier weights`` writes. Files that are not UTF-8 JSON, larger than
    :data:`MAX_WEIGHTS_FILE`, nested too deeply or holding numbers too long to read are refused in one line."""
    flag = "--weights-file"
    raw = read_regular(flag, path, MAX_WEIGHTS_FILE, "a readable JSON file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidArgumentError(f"Argument {flag!r} must be a UTF-8 JSON file, got {show(path)} "
                                   f"(byte {exc.start} is not UTF-8).") from None
    except json.JSONDecodeError as exc:
        raise InvalidArgumentError(f"Argument {flag!r} must be a JSON file, got {show(path)} "
                                   f"(line {exc.lineno}: {exc.msg}).") from None
    except RecursionError:
        raise InvalidArgumentError(f"Argument {flag!r} must be a JSON file of node matrices, got {show(path)} "
                                   "(nested too deeply).") from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise InvalidArgumentError(f"Argument {flag!r} must hold numbers of at most 4300 digits, got "
                                   f"{show(path)} ({str(exc)[:80]}).") from None
    if arch.net == "tt" and isinstance(data, dict) and "cores" in data:
        from .tt_arguments import tt_weights_from_data

        if data.get("architecture") is not None and data["architecture"] != arch.to_dict():
            raise InvalidArgumentError(f"Argument {flag!r} must hold weights of the architecture given on "
                                       f"the command line {arch.to_dict()}, got weights of "
                                       f"{show(data['architecture'], 80)} in {show(path)}.")
        return tt_weights_from_data(arch, data)
    if isinstance(data, dict) and "weights" in data:
        recorded = data.get("architecture")
        if recorded is not None and recorded != arch.to_dict():
            raise InvalidArgumentError(f"Argument {flag!r} must hold weights of the architecture given on "
                                       f"the command line {arch.to_dict()}, got weights of {show(recorded, 80)} "
                                       f"in {show(path)}.")
        data = data["weights"]
    if not isinstance(data, dict):
        raise InvalidArgumentError(f"Argument {flag!r} must hold a JSON object of node matrices, got "
                                   f"{type(data).__name__} in {show(path)}.")
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
    if arch.tree.name != "binary":  # the grid tensor of receptive fields is defined on the paper's binary tree
        raise InvalidArgumentError(f"Argument '--geometry' must be 'binary' with --kernel {kernel} (receptive "
                                   f"fields are implemented on the binary tree), got {show(args.geometry)}.")
    if getattr(args, "weights", "random") == "witness" and not getattr(args, "weights_file", None):
        raise InvalidArgumentError(f"Argument '--weights' must be 'random' with --kernel {kernel} (the witness is "
                                   "defined for 1x1 nets), got 'witness'.")
    return KernelArch(N=arch.N, M=arch.M, widths=arch.widths, Y=arch.Y, shared=arch.shared, kernel=kernel)


def weights_from_args(arch, args):
    """Random (``--seed``, ``--bound``), witness, or explicit (``--weights-file``) weights.

    A flag that the chosen weights would ignore is refused rather than silently dropped: ``--weights``,
    ``--seed`` or ``--bound`` with ``--weights-file``, and ``--seed`` or ``--bound`` with the witness.
    """
    if arch.net == "tt":
        from .tt_arguments import tt_weights_from_args

        return tt_weights_from_args(arch, args)
    if args.weights_file is not None:
        refuse_given(args, ("--weights", "--seed", "--bound"), "--weights-file", "the file holds the weights")
        return read_weights_file(arch, args.weights_file)
    if args.weights == "witness":
        if arch.net != "deep":
            raise InvalidArgumentError(f"Argument '--weights' must be 'random' for --net {arch.net} "
                                       "(the witness is defined for deep nets), got 'witness'.")
        refuse_given(args, ("--seed", "--bound"), "--weights witness", "the witness is not random")
        return witness_weights(arch)
    seed = 0 if args.seed is None else args.seed
    bound = DEFAULT_BOUND if args.bound is None else args.bound
    return random_weights(arch, seed, bound)


def refuse_given(args, flags, other: str, why: str) -> None:
    """Refuse the first of ``flags`` given together with ``other`` (one line naming it and why)."""
    given = [f for f in flags if getattr(args, f[2:].replace("-", "_")) is not None]
    if given:
        raise InvalidArgumentError(f"Argument {given[0]!r} must not be given with {other} ({why}), got "
                                   f"{show(getattr(args, given[0][2:].replace('-', '_')))}.")


def add_weights_arguments(p) -> None:
    """``--weights {random,witness} --seed --bound --weights-file`` (defaults: random, seed 0, bound 10^6)."""
    p.add_argument("--weights", choices=("random", "witness"), help="random (default) or the Theorem 1 witness")
    p.add_argument("--seed", type=integer("--seed"), help="seed of the random weights (default 0)")
    p.add_argument("--bound", type=positive_int("--bound"),
                   help="random weights are uniform on [-bound, bound] (default 10^6)")
    p.add_argument("--weights-file", type=path_argument("--weights-file"),
                   help="your own exact weights: a JSON file as written by 'verifier weights'")


PARTITION_HELP = ("odd-even (default), low-high, blocks:B (odd blocks of B modes as rows), "
                  "or rows:i,j,.. (1-based modes)")


def add_partition_argument(p) -> None:
    """``--partition SPEC``, parsed later by :func:`verifier.exact.tensors.parse_partition`."""
    p.add_argument("--partition", default="odd-even", help=PARTITION_HELP)


def add_form_argument(p, minor_help: str) -> None:
    """``--form {auto,minor,pair-diagonal}`` of the exceptional-set commands."""
    p.add_argument("--form", choices=("auto", "minor", "pair-diagonal"), default="auto",
                   help=f"minor: {minor_help} (small nets); pair-diagonal: Lemma D's union of zero sets (deep nets, "
                        "any N); auto (default): minor when it fits, else pair-diagonal")


def exceptional_form(arch, args) -> str:
    """``--form`` resolved: ``auto`` is ``minor`` where the symbolic route takes the net, else ``pair-diagonal``
    (deep nets only; for other nets the symbolic route's refusal stands)."""
    if args.form != "auto":
        return args.form
    from ..exact.tensors import parse_partition
    from ..theorems.exceptional.polynomial import check_symbolic_size

    try:
        check_symbolic_size(arch, parse_partition(args.partition, arch.N))
        return "minor"
    except InvalidArgumentError:
        if arch.net != "deep":
            raise
        return "pair-diagonal"


#: What to do when the symbolic route is too slow.
SYMBOLIC_ADVICE = "use smaller widths (or Z), a larger --time-limit, or --form pair-diagonal for deep nets"


def add_time_limit_argument(p) -> None:
    """``--time-limit SECONDS`` of the symbolic route (default 60)."""
    from .limits import MAX_TIME_LIMIT

    p.add_argument("--time-limit", type=bounded_int("--time-limit", MAX_TIME_LIMIT), default=60,
                   help=f"seconds the symbolic route (sympy) may take before it is refused, 1..{MAX_TIME_LIMIT} "
                        "(default 60; it runs in a child process, killed at the limit)")


def check_seed(args) -> None:
    """``--seed`` must be non-negative (absent means the default)."""
    if args.seed is not None and args.seed < 0:
        raise InvalidArgumentError(f"Argument '--seed' must be a non-negative integer, got {args.seed}.")


def check_output(arch, args) -> None:
    """``--output`` (1-based) must name one of the architecture's ``Y`` outputs."""
    if args.output > arch.Y:
        raise InvalidArgumentError(f"Argument '--output' must be in 1..{arch.Y} (--Y), got {show(args.output)}.")


def rendered(result, as_json: bool) -> str:
    """What :func:`emit` prints: ``result.to_dict()`` as one sorted JSON line, or ``str(result)``."""
    return json_text(result.to_dict(), sort_keys=True) if as_json else str(result)


def emit(result, as_json: bool) -> None:
    """Print a result object: ``result.to_dict()`` as one sorted JSON line, or ``str(result)``."""
    print(rendered(result, as_json))


def write_output(flag: str, path: str, text: "str | bytes") -> None:
    """Write ``text`` (UTF-8 text, or bytes such as a PNG) to ``path`` atomically: a temporary file in the same
    directory, renamed over the target when complete, so that an error or Ctrl-C never leaves a partial file.
    ``/dev/stdout``, ``/dev/stderr`` (written to this process's own streams) and ``/dev/null`` are the only
    targets that are not regular files (:func:`verifier.cli.files.output_kind`); a FIFO, a device or a directory
    is refused, never opened. Failures are one-line errors naming ``flag``.
    """
    def refuse(reason: str):
        return InvalidArgumentError(f"Argument {flag!r} must be a writable file path, got {show(path)} ({reason}).")

    kind = output_kind(flag, path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if kind != "file":
        if kind != "null":
            import sys

            stream = sys.stdout if kind == "stdout" else sys.stderr
            stream.flush()
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(data)
            else:  # a text-only stream (tests redirect stdout to StringIO)
                stream.write(data.decode("utf-8", errors="replace"))
            stream.flush()
        return
    try:
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise refuse(exc.strerror or str(exc)) from None
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # as an ordinary open() would create it (mkstemp makes it private)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise refuse(exc.strerror or str(exc)) from None
    finally:  # also on KeyboardInterrupt: no partial file is left behind
        if os.path.exists(tmp):
            os.unlink(tmp)


def check_writable(flag: str, path: str) -> None:
    """Refuse, before any work, an output path that cannot be written: a directory, a FIFO or a device other
    than ``/dev/stdout``, ``/dev/stderr`` and ``/dev/null``, or a missing or read-only folder."""
    if output_kind(flag, path) != "file":
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise InvalidArgumentError(f"Argument {flag!r} must be a writable file path, got {show(path)} "
                                   "(its folder does not exist or is not writable).")


def make_directory(flag: str, path: str) -> str:
    """Create the output directory ``path`` (and its parents) or refuse it in one line naming ``flag``."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise InvalidArgumentError(f"Argument {flag!r} must be a directory, got {show(path)} (an existing file).")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise InvalidArgumentError(f"Argument {flag!r} must be a directory that can be created, got {show(path)} "
                                   f"({exc.strerror or exc}).") from None
    if not os.access(path, os.W_OK):
        raise InvalidArgumentError(f"Argument {flag!r} must be a writable directory, got {show(path)}.")
    return path


class staged_directory:
    """Context: an output directory built in a temporary sibling (``.NAME.partial-XXXX``) and moved into place
    when the work is done, so that an error or Ctrl-C leaves nothing behind. A target that does not exist or is
    empty is replaced by a rename; into an existing non-empty directory each file is moved (atomically) and
    files already there are kept or overwritten, as a direct write would. Refusals name ``flag``.

    Examples
    --------
    >>> import os, tempfile
    >>> root = tempfile.mkdtemp()
    >>> with staged_directory("--out", os.path.join(root, "reports")) as tmp:
    ...     write_output("--out", os.path.join(tmp, "a.txt"), "x")
    >>> os.listdir(root), os.listdir(os.path.join(root, "reports"))
    (['reports'], ['a.txt'])
    """

    def __init__(self, flag: str, path: str):
        self.flag, self.path = flag, path

    def __enter__(self) -> str:
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise InvalidArgumentError(f"Argument {self.flag!r} must be a directory, got {show(self.path)} "
                                       "(an existing file).")
        parent = os.path.dirname(os.path.abspath(self.path))
        make_directory(self.flag, parent)
        try:
            self.tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(os.path.abspath(self.path))[:40]}.partial-",
                                        dir=parent)
        except OSError as exc:
            raise InvalidArgumentError(f"Argument {self.flag!r} must be a directory that can be created, got "
                                       f"{show(self.path)} ({exc.strerror or exc}).") from None
        return self.tmp

    def __exit__(self, kind, exc, tb):
        import shutil

        try:
            if kind is None:
                self._move()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def _move(self) -> None:
        try:
            if not os.path.isdir(self.path) or not os.listdir(self.path):
                os.replace(self.tmp, self.path)  # rename(2) replaces an empty directory
                return
            for name in sorted(os.listdir(self.tmp)):
                os.replace(os.path.join(self.tmp, name), os.path.join(self.path, name))
        except OSError as exc:
            raise InvalidArgumentError(f"Argument {self.flag!r} must be a writable directory, got {show(self.path)} "
                                       f"({exc.strerror or exc}).") from None

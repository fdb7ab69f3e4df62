"""The command-line side of tensor-train nets (``--net tt --bonds ..``): the architecture, its weights
(random, witness, or a weights file of cores or of caterpillar node matrices) and its certified ranks.

Every value is checked here with a message naming the flag (exit 2), before anything is built.
"""

from __future__ import annotations

import json

from ..errors import InvalidArgumentError, show
from ..nets.tt import TTArch, tt_random_weights, tt_weights, tt_witness_weights
from ..nets.weights import DEFAULT_BOUND, weights_from_arrays

#: ``--route`` values for ``--net tt`` and the TT route each names (``compressed`` is the runs route, ``reduced``
#: the spans route: runs of full span reduce [A] to the bond network, as full-rank filters do for the core).
TT_ROUTE_NAMES = {"auto": "auto", "structure": "structure", "dense": "dense", "compressed": "runs", "reduced": "spans"}


def tt_arch_from_args(args) -> TTArch:
    """``--net tt --N --M --bonds [--shared]``; the deep/shallow flags are refused.

    Examples
    --------
    >>> import argparse
    >>> ns = argparse.Namespace(net="tt", N=4, M=2, bonds=(3,), widths=None, Z=None, Y=1, shared=False,
    ...                         geometry="binary", Lc=None)
    >>> tt_arch_from_args(ns).bonds
    (3, 3, 3)
    """
    for flag, value in (("--widths", args.widths), ("--Z", args.Z), ("--Lc", getattr(args, "Lc", None))):
        if value is not None:
            raise InvalidArgumentError(f"Argument {flag!r} must not be given for --net tt (use --bonds), got "
                                       f"{show(value)}.")
    if (getattr(args, "geometry", "binary") or "binary") != "binary":
        raise InvalidArgumentError(f"Argument '--geometry' must not be given for --net tt (the TT is a chain), "
                                   f"got {show(args.geometry)}.")
    if args.Y != 1:
        raise InvalidArgumentError(f"Argument '--Y' must be 1 for --net tt (the last core has one output), got {args.Y}.")
    bonds = getattr(args, "bonds", None)
    if bonds is None:
        raise InvalidArgumentError("Argument '--bonds' must be given for --net tt, got nothing.")
    if args.N < 2:
        raise InvalidArgumentError(f"Argument '--N' must be at least 2 for --net tt, got {args.N}.")
    if len(bonds) not in (1, args.N - 1):
        raise InvalidArgumentError(f"Argument '--bonds' must have 1 or N-1 = {args.N - 1} entries for N = {args.N}, "
                                   f"got {len(bonds)}: {show(','.join(map(str, bonds)))}.")
    try:
        return TTArch(N=args.N, M=args.M, bonds=bonds, shared=args.shared)
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(str(exc).replace("Argument 'bonds'", "Argument '--bonds'")
                                   .replace("Argument 'N'", "Argument '--N'")
                                   .replace("Argument 'M'", "Argument '--M'")) from None


def tt_weights_from_args(arch: TTArch, args):
    """Random (``--seed``, ``--bound``), witness, or ``--weights-file`` weights of a TT."""
    from .arguments import read_weights_file, refuse_given

    if args.weights_file is not None:
        refuse_given(args, ("--weights", "--seed", "--bound"), "--weights-file", "the file holds the weights")
        return read_weights_file(arch, args.weights_file)
    if args.weights == "witness":
        refuse_given(args, ("--seed", "--bound"), "--weights witness", "the witness is not random")
        if arch.shared and arch.N > 2:
            raise InvalidArgumentError("Argument '--weights' must be 'random' with --shared (the TT witness "
                                       "alternates two cores, so its inner cores are not equal), got 'witness'.")
        if arch.N % 2:
            raise InvalidArgumentError(f"Argument '--weights' must be 'random' for a TT with odd N (the witness "
                                       f"pairs the sites), got 'witness' with N = {arch.N}.")
        return tt_witness_weights(arch)
    seed = 0 if args.seed is None else args.seed
    bound = DEFAULT_BOUND if args.bound is None else args.bound
    return tt_random_weights(arch, seed, bound)


def tt_weights_from_data(arch: TTArch, data):
    """Weights from a parsed weights file: ``{"cores": [..]}`` (each core ``M x r_left x r_right``) or the node
    matrices of the caterpillar (``{"l,j": rows}``, the ``verifier weights`` node format)."""
    if isinstance(data, dict) and "cores" in data:
        extra = sorted(set(data) - {"cores", "architecture", "kind", "seed", "bound"})
        if extra:
            raise InvalidArgumentError(f"Argument '--weights-file' must hold 'cores' (and optionally "
                                       f"'architecture', 'kind', 'seed', 'bound'), got also {show(extra[:3])}.")
        try:
            return tt_weights(arch, data["cores"])
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"Argument '--weights-file': {str(exc)[:250]}") from None
    if not isinstance(data, dict):
        raise InvalidArgumentError(f"Argument '--weights-file' must hold a JSON object ('cores' or node matrices), "
                                   f"got {type(data).__name__}.")
    return weights_from_arrays(arch, data)


def cores_json(arch: TTArch, weights) -> str:
    """``verifier weights --net tt``: the cores as JSON (the ``--weights-file`` format)."""
    from ..nets.tt import tt_cores

    head = {"architecture": arch.to_dict(), "kind": weights.kind, "seed": weights.seed, "bound": weights.bound}
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    cores = [f"    {json.dumps([[[str(x) for x in row] for row in m] for m in c.tolist()])}"
             for c in tt_cores(weights)]
    return "{\n" + "\n".join(lines) + '\n  "cores": [\n' + ",\n".join(cores) + "\n  ]\n}"


def tt_compute(arch: TTArch, args):
    """``verifier rank --net tt``: the certified rank report (route names of :data:`TT_ROUTE_NAMES`)."""
    from ..exact.tensors import parse_partition
    from ..rank.tt import tt_rank

    if getattr(args, "kernel", 1) != 1:
        raise InvalidArgumentError(f"Argument '--kernel' must be 1 for --net tt (receptive fields are implemented "
                                   f"for deep nets), got {args.kernel}.")
    if args.route not in TT_ROUTE_NAMES:
        raise InvalidArgumentError(f"Argument '--route' must be one of {', '.join(TT_ROUTE_NAMES)} for --net tt, "
                                   f"got {args.route!r}.")
    partition = parse_partition(args.partition, arch.N)
    if args.weights != "witness" and TT_ROUTE_NAMES[args.route] not in ("structure", "spans"):
        from ..rank.tt import check_tt_size

        check_tt_size(arch, partition, args.memory_budget, TT_ROUTE_NAMES[args.route] != "dense")  # before drawing
    weights = tt_weights_from_args(arch, args)
    try:
        report = tt_rank(weights, partition, output=args.output - 1, engine=args.engine,
                         memory_budget=args.memory_budget, route=TT_ROUTE_NAMES[args.route])
    except InvalidArgumentError as exc:  # name the flag, not the library argument
        raise InvalidArgumentError(str(exc).replace("Argument 'route'", "Argument '--route'")) from None
    return weights, report


def tt_certificate_text(weights, report) -> str:
    """The certificate JSON of a TT rank report (the checker is unchanged: see :func:`verifier.rank.tt.tt_certificate`)."""
    from ..errors import VerifierError
    from ..rank.tt import tt_certificate

    try:
        return json.dumps(tt_certificate(weights, report), indent=1)
    except VerifierError as exc:
        raise InvalidArgumentError(f"Argument '--certificate' cannot be written for this rank: {exc}") from None

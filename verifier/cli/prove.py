"""``verifier prove``: run every statement check at its default sizes; exit 0 iff all pass.

With ``--out DIR`` each report is also written as text, JSON and Markdown (``DIR/<name>-<k>.*``),
plus the tables of the checks that ran (``DIR/table-<kind>.{tex,md,csv,json}``, see
:data:`verifier.theorems.prove.TABLES`) and their figures (``DIR/figure-<kind>.{png,pdf}``, see
:data:`verifier.theorems.prove.FIGURES`; they need matplotlib, from the ``[scale]`` extra). A progress bar
over the checks is drawn on stderr when stderr is a terminal; stdout is the same either way.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack, nullcontext

from ..rank.matricization import recording
from .arguments import path_argument, staged_directory, write_output
from .progress import progress_bar


def register(sub) -> None:
    """Add the ``prove`` subcommand."""
    from ..theorems.prove import CHECKS

    p = sub.add_parser("prove", help="run every statement check (PASS/FAIL per step)")
    p.add_argument("--out", type=path_argument("--out"), help="directory to write the reports into")
    p.add_argument("--certificates", type=path_argument("--certificates"), metavar="DIR",
                   help="write a certificate (for 'verifier check') of every rank the checks certify into DIR")
    p.add_argument("--only", action="append", choices=[n for n, _ in CHECKS],
                   help="run only this check (repeatable)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run, print each report, write files; 0 iff every report passed. The ``--out`` and ``--certificates``
    directories appear only when every check has run (an interrupted run leaves neither)."""
    with ExitStack() as stack:  # each output directory is built aside and moved into place at the end
        out = None if args.out is None else stack.enter_context(staged_directory("--out", args.out))
        certs = (None if args.certificates is None
                 else stack.enter_context(staged_directory("--certificates", args.certificates)))
        return _run(args, out, certs)


def _run(args, out, certs) -> int:
    from ..theorems.prove import CHECKS, run_checks

    ok = True
    ran, written, skipped = [], 0, 0
    names = [n for n, _ in CHECKS if args.only is None or n in args.only]
    with progress_bar(len(names), "prove") as bar:
        for name in names:
            bar.set_description(f"prove: {name}")
            with (recording() if certs is not None else nullcontext([])) as seen:
                ((_, reports),) = run_checks([name])
            if certs is not None:
                n, m = _write_certificates(name, seen, certs)
                written, skipped = written + n, skipped + m
            bar.update(1)
            with bar.printing():
                ok = _print_reports(name, reports, out) and ok
            ran.append(name)
    if out is not None:
        _write_tables_and_figures(ran, out)
    if certs is not None:
        print(f"verifier: wrote {written} certificate(s) into {args.certificates}"
              + (f"; {skipped} rank(s) from routes without a certificate format were not written" if skipped else ""),
              file=sys.stderr)
    print("ALL CHECKS PASSED" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


def _print_reports(name, reports, out) -> bool:
    """Print each report (and write its files into ``out``); whether all passed."""
    ok = True
    for k, rep in enumerate(reports, 1):
        print(rep, flush=True)
        print()
        ok = ok and rep.passed
        if out is not None:
            base = os.path.join(out, f"{name}-{k}")
            for ext, text in (("txt", str(rep)), ("json", rep.to_json()), ("md", rep.to_markdown()),
                              ("tex", rep.to_latex())):
                write_output("--out", f"{base}.{ext}", text + "\n")
    return ok


def _write_certificates(name, seen, out) -> tuple:
    """One certificate file per rank a check computed: ``out/<check>-<k>.cert.json``; returns (written, skipped)."""
    import json

    from ..errors import VerifierError
    from ..rank.certificates import rank_certificate

    written = skipped = 0
    for weights, report in seen:
        try:
            cert = rank_certificate(weights, report)
        except VerifierError:  # a route without a certificate format (the receptive-field grid route)
            skipped += 1
            continue
        written += 1
        write_output("--certificates", os.path.join(out, f"{name}-{written}.cert.json"), json.dumps(cert, indent=1))
    return written, skipped


def _write_tables_and_figures(ran, out) -> None:
    """The tables and figures of the checks that ran (figures only where matplotlib is installed)."""
    from ..theorems.prove import figures_for, tables_for

    for kind, table in tables_for(ran):
        for ext, fmt in (("tex", "latex"), ("md", "markdown"), ("csv", "csv"), ("json", "json")):
            write_output("--out", os.path.join(out, f"table-{kind}.{ext}"), table.render(fmt) + "\n")
    kinds = figures_for(ran)
    if not kinds:
        return
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("verifier: figures not written: matplotlib is not installed (pip install 'convac-verifier[scale]')",
              file=sys.stderr)
        return
    from ..theorems.figures import build_plot

    with progress_bar(len(kinds), "figures") as bar:
        for kind in kinds:
            plot = build_plot(kind)
            for fmt in ("png", "pdf"):
                write_output("--out", os.path.join(out, f"figure-{kind}.{fmt}"), plot.render(fmt))
            bar.update(1)

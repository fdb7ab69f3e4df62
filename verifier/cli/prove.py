"""``verifier prove``: run every statement check at its default sizes; exit 0 iff all pass.

With ``--out DIR`` each report is also written as text, JSON and Markdown (``DIR/<name>-<k>.*``),
plus the tables of the checks that ran (``DIR/table-<kind>.{tex,md,csv,json}``, see
:data:`verifier.theorems.prove.TABLES`).
"""

from __future__ import annotations

import os

from .arguments import make_directory, path_argument, write_output


def register(sub) -> None:
    """Add the ``prove`` subcommand."""
    from ..theorems.prove import CHECKS

    p = sub.add_parser("prove", help="run every statement check (PASS/FAIL per step)")
    p.add_argument("--out", type=path_argument("--out"), help="directory to write the reports into")
    p.add_argument("--only", action="append", choices=[n for n, _ in CHECKS],
                   help="run only this check (repeatable)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run, print each report, write files; 0 iff every report passed."""
    from ..theorems.prove import run_checks

    ok = True
    if args.out is not None:
        make_directory("--out", args.out)
    ran = []
    for name, reports in run_checks(args.only):
        ran.append(name)
        for k, rep in enumerate(reports, 1):
            print(rep, flush=True)
            print()
            ok = ok and rep.passed
            if args.out is not None:
                base = os.path.join(args.out, f"{name}-{k}")
                for ext, text in (("txt", str(rep)), ("json", rep.to_json()), ("md", rep.to_markdown()),
                                  ("tex", rep.to_latex())):
                    write_output("--out", f"{base}.{ext}", text + "\n")
    if args.out is not None:
        from ..theorems.prove import tables_for

        for kind, table in tables_for(ran):
            for ext, fmt in (("tex", "latex"), ("md", "markdown"), ("csv", "csv"), ("json", "json")):
                write_output("--out", os.path.join(args.out, f"table-{kind}.{ext}"), table.render(fmt) + "\n")
    print("ALL CHECKS PASSED" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1

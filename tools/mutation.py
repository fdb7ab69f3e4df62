"""Mutation testing of the certificate checker, the certification code, the cut bound and the modular kernel's
chunk bound, with mutmut (the ``[mutation]`` extra; configuration in setup.cfg's ``[mutmut]`` section).

The whole selection (``only_mutate`` in setup.cfg) has about 3200 mutants, hours of work on two cores; by
default this script runs a targeted subset of functions (:data:`TARGETS`) and prints, per function, how many
mutants were killed, survived or timed out, then the surviving mutants' diffs to examine by hand (those that
change only a message's truncation or a dead default are equivalent). Each mutant runs the tests that cover
it, from the whole suite except the layout and hostile-command-line tests (the layout test rejects mutmut's
trampolines in the checker; the hostile tests are timing-bound). Run from the repository root:

    pip install -e '.[test,mutation]'
    python tools/mutation.py                 # the targeted subset
    python tools/mutation.py 'verifier.checker.*'   # any mutmut name patterns
    python tools/mutation.py --report        # only summarise the last run (mutants/ keeps the results)
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys

#: The functions mutated by default: the checker's bounds (cut, kernel, minors, Kronecker descent, symmetric
#: power, primes), the shape bound of ``certify_rank``, the tree's cut bound and the float64 chunk bound.
TARGETS = (
    "verifier.checker.evidence.x_cut*", "verifier.checker.evidence.x_kernel*",
    "verifier.checker.evidence.x_descent*", "verifier.checker.evidence.x_nonsingular_mod_p*",
    "verifier.checker.evidence.x_symmetric*", "verifier.checker.evidence.x__prime*",
    "verifier.checker.evidence.x__indices*", "verifier.checker.x_check_certificate*",
    "verifier.nets.trees.xǁModeTreeǁcut_bound*", "verifier.exact.modular.field.x_inner_chunk*",
    "verifier.exact.modular.field.xǁ_Fieldǁ__init__*", "verifier.exact.certify.x_kernel_vectors*",
)


def results() -> dict:
    """``{mutant name: status}`` from ``mutmut results --all true``."""
    out = subprocess.run(["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^\s*(\S+): (.+)$", out, flags=re.M))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", help="mutmut name patterns (default: the targeted subset)")
    parser.add_argument("--report", action="store_true", help="only summarise the results of the last run")
    args = parser.parse_args()
    patterns = args.patterns or list(TARGETS)
    if not args.report:
        run = subprocess.run(["mutmut", "run", *patterns], check=False, capture_output=True, text=True)
        if "failed to collect stats" in run.stdout + run.stderr:
            print((run.stdout + run.stderr)[-2000:], file=sys.stderr)
            return 1
    status = results()
    chosen = {n: s for n, s in status.items() if any(re.fullmatch(p.replace("*", ".*"), n) for p in patterns)}
    table = collections.defaultdict(collections.Counter)
    for name, s in chosen.items():
        table[name.split("__mutmut_")[0]][s] += 1
    total = collections.Counter()
    print(f"{'function':60} {'killed':>7} {'survived':>9} {'timeout':>8} {'unchecked':>10}")
    for fn in sorted(table):
        c = table[fn]
        total.update(c)
        print(f"{fn:60} {c['killed']:7d} {c['survived']:9d} {c['timeout']:8d} {c['not checked']:10d}")
    print(f"{'total':60} {total['killed']:7d} {total['survived']:9d} {total['timeout']:8d} {total['not checked']:10d}")
    for name in sorted(n for n, s in chosen.items() if s == "survived"):
        diff = subprocess.run(["mutmut", "show", name], capture_output=True, text=True).stdout
        print(f"\n{name}\n" + "\n".join(line for line in diff.splitlines() if line[:2] in ("- ", "+ ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

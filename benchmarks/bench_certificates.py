"""Certificate checking times: the independent checker (:mod:`verifier.checker`) against the fast path that
found the rank, in one process, on the same seeded weights.

Cases (odd/even partition):

* N = 16, M = 3, widths 3,3,3,3, random weights (rank 6561): the fast path (``matricization_rank``, dense
  route with our modular kernel), then the checker on the Lemma D certificate (the default past 2^20
  entries) and on the minor certificate (the whole 6561 x 6561 matrix: its 43M entries evaluated mod p
  along the tree, the determinant by flint ``nmod_mat``);
* N = 1024, M = 3, widths 2 x 10, the Theorem 1 witness (rank 2^512): the structure route, then the checker
  on the Kronecker certificate (no [A] built);
* with ``--n64``: N = 64, M = 2, widths 2 x 6, random weights (rank 2^32): the pair-diagonal route against the
  checker's own streamed count of the 2^32 entries of D.

Every certificate must check (else exit status 1). Run: ``python benchmarks/bench_certificates.py [--seed 0]
[--skip-minor] [--n64]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from verifier import DeepArch, matricization_rank, parse_partition, random_weights, witness_weights
from verifier.checker import ClaimError, check_text
from verifier.rank.certificates import rank_certificate


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-minor", action="store_true", help="skip the 6561 x 6561 determinant (~45 s)")
    parser.add_argument("--n64", action="store_true", help="also N = 64 (rank 2^32; about two minutes)")
    args = parser.parse_args()
    ok = True
    cases = [("N=16 M=3 widths 3,3,3,3 random", random_weights(DeepArch(N=16, M=3, widths=(3,) * 4), seed=args.seed),
              [("Lemma D", 2**20)] + ([] if args.skip_minor else [("minor", 2**30)])),
             ("N=1024 M=3 widths 2^10 witness", witness_weights(DeepArch(N=1024, M=3, widths=(2,) * 10)),
              [("Kronecker", 2**20)])]
    if args.n64:
        cases.append(("N=64 M=2 widths 2^6 random", random_weights(DeepArch(N=64, M=2, widths=(2,) * 6),
                                                                   seed=args.seed), [("Lemma D", 2**20)]))
    print(f"{'case':34} {'evidence':10} {'fast path s':>11} {'write s':>8} {'check s':>8} {'bytes':>10}  result")
    for name, w, kinds in cases:
        rep, fast = timed(lambda: matricization_rank(w, parse_partition("odd-even", w.arch.N)))
        for kind, minor_first in kinds:
            text, write = timed(lambda: json.dumps(rank_certificate(w, rep, minor_first=minor_first)))
            try:
                result, check = timed(lambda: check_text(text))
            except ClaimError as exc:
                result, check, ok = f"FAILED: {exc}", float("nan"), False
            shown = result if len(result) < 60 else result[:28] + "..." + result[-28:]
            print(f"{name:34} {kind:10} {fast:11.2f} {write:8.2f} {check:8.2f} {len(text):10d}  {shown}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

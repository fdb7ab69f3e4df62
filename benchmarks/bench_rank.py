"""Benchmark of verifier.exact.modular.modular_rank against python-flint, sympy, numpy and a plain matmul.

For each size ``n`` one seeded random ``n x n`` int64 matrix is built and every method runs on that
same matrix in this one process:

* ``ours``: :func:`verifier.exact.modular.modular_rank` (conversion from numpy included);
* ``flint``: python-flint ``nmod_mat(...).rank()``, with the conversion from numpy timed separately
  (``A.ravel().tolist()`` plus the faster of ``nmod_mat(fmpz_mat(n, n, L), p)`` and
  ``nmod_mat(n, n, L, p)``) and included in the total;
* ``sympy``: ``DomainMatrix`` over ``GF(p)`` (conversion + rank), only up to ``--sympy-max``;
* ``numpy``: ``numpy.linalg.matrix_rank`` (an SVD in floating point: INEXACT, reported with whether
  it happened to agree), skipped when the time predicted from the previous size exceeds
  ``--numpy-limit`` seconds;
* ``matmul``: one float64 ``n x n`` matrix product, the BLAS yardstick.

Each time is the minimum over ``--repeat`` runs. The exact ranks (ours, flint, sympy) must agree,
else the script exits with status 1. The result is printed as a Markdown table.

Run ``python benchmarks/bench_rank.py --sizes 256,512,1024,2048,4096 --seed 0 --repeat 1``; set the
BLAS environment (``OPENBLAS_NUM_THREADS``, ``OPENBLAS_CORETYPE``) on the command line to compare
configurations: the library itself never changes it.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

# numpy (hence the BLAS) is imported in main(), after --blas-threads has been applied to the environment
np = None
DEFAULT_PRIME = 8388593  # verifier.exact.modular.DEFAULT_PRIME, checked in main()


def best_time(fn, repeat: int):
    """Run ``fn`` ``repeat`` times; return (minimum seconds, last result)."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def blas_description() -> str:
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # pragma: no cover - depends on the numpy build
        return "unknown"


def warm_memory(nbytes: int) -> None:
    """Touch ``nbytes`` of fresh memory once, so no method pays the first-touch cost of a new VM page."""
    buf = np.ones(nbytes // 8)
    buf.sum()
    del buf


def fmt(t: float | None) -> str:
    if t is None:
        return "-"
    if t < 1:
        return f"{t:.4f}"
    return f"{t:.2f}" if t < 100 else f"{t:.0f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="256,512,1024,2048,4096", help="comma-separated matrix sizes n")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random matrices")
    ap.add_argument("--repeat", type=int, default=1, help="runs per method; the minimum is reported")
    ap.add_argument("--prime", type=int, default=DEFAULT_PRIME, help="the modulus p (default %(default)s)")
    ap.add_argument("--entries", type=int, default=1000, help="entries drawn uniformly from [-E, E)")
    ap.add_argument("--sympy-max", type=int, default=512, help="largest n for sympy DomainMatrix")
    ap.add_argument("--numpy-limit", type=float, default=60.0,
                    help="skip numpy.linalg.matrix_rank when its predicted time exceeds this (seconds)")
    ap.add_argument("--no-flint", action="store_true", help="skip python-flint")
    ap.add_argument("--blas-threads", type=int, default=None,
                    help="set OPENBLAS_NUM_THREADS/OMP_NUM_THREADS for this run (default: leave the environment)")
    args = ap.parse_args(argv)

    if args.blas_threads is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.blas_threads)
    global np
    import numpy

    np = numpy
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from verifier.exact import modular

    assert modular.DEFAULT_PRIME == DEFAULT_PRIME
    modular_rank = modular.modular_rank

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    p = args.prime
    rng = np.random.default_rng(args.seed)

    import flint

    print("## modular_rank benchmark\n")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"- numpy {np.__version__} with {blas_description()}; python-flint {flint.__version__}")
    env = {k: os.environ.get(k, "(unset)") for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OMP_NUM_THREADS")}
    print("- environment: " + ", ".join(f"{k}={v}" for k, v in env.items()))
    print(f"- p = {p}, entries uniform in [-{args.entries}, {args.entries}), seed {args.seed}, "
          f"minimum of {args.repeat} run(s) per method\n")
    sys.stdout.flush()

    warm_memory(3 * 8 * max(sizes) ** 2)

    rows = []
    notes = []
    ok = True
    numpy_prev = None  # (n, seconds) of the last numpy.linalg.matrix_rank run
    for n in sizes:
        A = rng.integers(-args.entries, args.entries, (n, n))
        X = rng.random((n, n))
        Y = rng.random((n, n))

        t_ours, r_ours = best_time(lambda: modular_rank(A, p), args.repeat)

        t_conv = t_flint = r_flint = None
        if not args.no_flint:
            t_list, L = best_time(lambda: A.ravel().tolist(), args.repeat)
            t_fmpz, M = best_time(lambda: flint.nmod_mat(flint.fmpz_mat(n, n, L), p), args.repeat)
            t_direct, _ = best_time(lambda: flint.nmod_mat(n, n, L, p), args.repeat)
            t_conv = t_list + min(t_fmpz, t_direct)
            del L
            t_flint, r_flint = best_time(M.rank, args.repeat)
            del M

        t_sympy = r_sympy = None
        if n <= args.sympy_max:
            from sympy.polys.domains import GF
            from sympy.polys.matrices import DomainMatrix

            K = GF(p)
            t_sympy, r_sympy = best_time(lambda: DomainMatrix.from_list(A.tolist(), K).rank(), args.repeat)

        t_np = r_np = None
        predicted = None if numpy_prev is None else numpy_prev[1] * (n / numpy_prev[0]) ** 3
        if predicted is not None and predicted > args.numpy_limit:
            notes.append(f"numpy.linalg.matrix_rank skipped at n={n}: predicted {predicted:.0f} s "
                         f"(> {args.numpy_limit:.0f} s) from its time at n={numpy_prev[0]}")
        else:
            t_np, r_np = best_time(lambda: int(np.linalg.matrix_rank(A)), args.repeat)
            numpy_prev = (n, t_np)

        t_mm, _ = best_time(lambda: X @ Y, args.repeat)

        exact = [r for r in (r_ours, r_flint, r_sympy) if r is not None]
        if len(set(exact)) != 1:
            ok = False
            notes.append(f"MISMATCH at n={n}: ours {r_ours}, flint {r_flint}, sympy {r_sympy}")
        flint_total = None if t_flint is None else t_flint + t_conv
        rows.append([
            str(n), str(r_ours), fmt(t_ours),
            fmt(t_conv), fmt(t_flint), fmt(flint_total),
            "-" if flint_total is None else f"{flint_total / t_ours:.1f}x",
            fmt(t_mm), f"{t_ours / t_mm:.2f}x",
            fmt(t_sympy),
            "-" if t_np is None else f"{fmt(t_np)} ({'matches' if r_np == r_ours else f'WRONG: {r_np}'})",
        ])
        print(f"n={n}: ours {t_ours:.3f} s, flint {fmt(flint_total)} s, matmul {t_mm:.3f} s", file=sys.stderr)
        sys.stderr.flush()

    header = ["n", "rank", "ours (s)", "flint conversion (s)", "flint rank (s)", "flint total (s)",
              "flint total / ours", "float64 matmul (s)", "ours / matmul", "sympy GF(p) (s)",
              "numpy matrix_rank (s, INEXACT)"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    for note in notes:
        print(f"\n- {note}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

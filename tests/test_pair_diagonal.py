"""The pair-diagonal route (MATH.md section 5, Lemma D): rank [A] = number of nonzero entries of D when the
level-0 filters have full column rank, and the block reduction of Lemma D (iii) when they do not; checked
against the dense certified rank at generic and non-generic points, with explicit zeros, singular filters,
shared weights and every partition that splits the level-1 pairs."""

import json

import numpy as np
import pytest

from tests.helpers import edited, rank_json, run_cli
from verifier.errors import InvalidArgumentError
from verifier.exact.tensors import parse_partition
from verifier.nets.architectures import DeepArch, ShallowArch
from verifier.nets.coefficients import coefficient_tensor
from verifier.nets.weights import random_weights, weights_from_arrays, witness_weights
from verifier.rank.lemma_d import pair_diagonal_rank
from verifier.rank.matricization import matricization_rank
from verifier.rank.pair_diagonal import applies, count_nonzero_entries, d_tensor, exact_column

ARCHS = [
    DeepArch(N=2, M=2, widths=(2,)),
    DeepArch(N=4, M=3, widths=(2, 2)),
    DeepArch(N=4, M=2, widths=(3, 2)),            # r_0 > M: every filter matrix is singular
    DeepArch(N=8, M=2, widths=(2, 2, 2)),
    DeepArch(N=8, M=3, widths=(3, 2, 1), shared=True),
    DeepArch(N=8, M=3, widths=(2, 1, 1)),
    DeepArch(N=16, M=2, widths=(2, 2, 1, 2)),
]


def _check(weights, spec="odd-even"):
    part = parse_partition(spec, weights.arch.N)
    dense = matricization_rank(weights, part, route="dense").certificate
    cert = pair_diagonal_rank(weights, part)
    assert dense.certified
    assert cert.certified, str(cert)
    assert cert.rank == dense.rank, (str(cert), str(dense))
    return cert


@pytest.mark.parametrize("arch", ARCHS, ids=repr)
@pytest.mark.parametrize("bound", [1, 2, 10**6])
def test_pair_diagonal_equals_dense(arch, bound):
    """Lemma D: the pair-diagonal rank equals the dense certified rank, at random points (narrow ranges hit
    zero entries of D and singular filters often)."""
    for seed in range(3 if arch.N < 16 else 1):
        _check(random_weights(arch, seed=seed, bound=bound))


@pytest.mark.parametrize("spec", ["rows:2,3", "rows:1,4", "rows:2,4"])
def test_any_pair_splitting_partition(spec):
    """Any partition with one mode of each level-1 pair among the rows has the pair-diagonal form."""
    for seed in range(3):
        _check(random_weights(DeepArch(N=4, M=3, widths=(2, 2)), seed=seed, bound=2), spec)


def test_applies():
    """Lemma D needs a deep net and a partition splitting every level-1 pair."""
    assert not applies(DeepArch(N=8, M=2, widths=(2, 2, 2)), parse_partition("low-high", 8))
    assert not applies(ShallowArch(N=4, M=2, Z=2), parse_partition("odd-even", 4))
    assert pair_diagonal_rank(random_weights(DeepArch(N=4, M=2, widths=(2, 2))), parse_partition("low-high", 4)) is None


def _zero_weights(arch, seed, zero_levels):
    """Random weights with some entries of the higher levels set to zero (many entries of D vanish)."""
    w = random_weights(arch, seed=seed, bound=10**6)
    rng = np.random.default_rng(seed)
    arrays = {}
    for v, a in w.arrays.items():
        a = a.copy()
        if v[0] in zero_levels:
            mask = rng.random(a.shape) < 0.4
            a[mask] = 0
        arrays[v] = a.tolist()
    return weights_from_arrays(arch, {f"{v[0]},{v[1]}": a for v, a in arrays.items()})


@pytest.mark.parametrize("arch", [DeepArch(N=8, M=2, widths=(2, 2, 2)), DeepArch(N=16, M=2, widths=(2, 2, 2, 2))],
                         ids=repr)
def test_explicit_zeros_in_higher_weights(arch):
    """Weights with zeros at levels >= 1 (D has many exact zeros) and a singular filter: exact rank,
    certified, equal to the dense route."""
    for seed in range(3):
        w = _zero_weights(arch, seed, zero_levels=range(1, arch.L + 1))
        cert = _check(w)
        d = d_tensor(w.integral())
        assert cert.evidence.zero == sum(1 for x in d if x == 0)
    w = edited(_zero_weights(arch, 7, zero_levels=(1, 2)),
               n_0_3=lambda a: a.__setitem__(1, a[0] * 3))          # position 4: dependent filters
    cert = _check(w)
    assert "Lemma D (iii)" in cert.lower.method


def test_zeros_mod_p_are_decided_exactly():
    """With p = 2 or 3 most residues vanish; every such entry is decided over Z, so the count is exact."""
    arch = DeepArch(N=16, M=2, widths=(2, 2, 2, 2))
    for seed in range(3):
        w = random_weights(arch, seed=seed, bound=6)
        truth = sum(1 for x in d_tensor(w) if x != 0)
        for p in (2, 3, 2**31 - 1):
            c = count_nonzero_entries(w, prime=p)
            assert (c.nonzero, c.undecided) == (truth, 0)
            assert c.nonzero + c.zero == c.entries


def test_undecided_entries_leave_valid_bounds():
    """Over the exact limit, residues 0 stay undecided: lower <= rank <= upper, NOT certified."""
    w = random_weights(DeepArch(N=8, M=2, widths=(2, 2, 2)), seed=1, bound=10**6)
    c = count_nonzero_entries(w, prime=2, exact_limit=0)
    assert c.undecided > 0 and c.nonzero + c.undecided == c.entries == 16


def test_d_is_the_diagonal_of_lemma_d():
    """[A] = (U_1 (.) U_3) diag(D) (U_2 (.) U_4)^T, entry by entry (exact), N = 4."""
    arch = DeepArch(N=4, M=3, widths=(2, 2))
    w = random_weights(arch, seed=4, bound=9)
    a = coefficient_tensor(w).transpose(0, 2, 1, 3).reshape(9, 9)
    u = [np.asarray(w[(0, i)], dtype=object).T for i in range(4)]
    rebuilt = np.kron(u[0], u[2]).dot(np.diag(d_tensor(w))).dot(np.kron(u[1], u[3]).T)
    assert (rebuilt == a).all()
    tree = arch.tree
    assert [exact_column(w, (1, 0), k) for k in range(2)] == [list(w[(1, 0)][:, k]) for k in range(2)]
    assert tree.root == (2, 0)


def test_witness_and_route_choice():
    """auto keeps its former choices on small matrices and takes the pair-diagonal route on large ones."""
    small = matricization_rank(random_weights(DeepArch(N=8, M=3, widths=(3, 3, 3)), seed=0),
                               parse_partition("odd-even", 8))
    assert small.route == "dense"
    big = matricization_rank(random_weights(DeepArch(N=32, M=2, widths=(2,) * 5), seed=0),
                             parse_partition("odd-even", 32))
    assert big.route == "pair-diagonal" and big.certificate.rank == 2**16
    wit = pair_diagonal_rank(witness_weights(DeepArch(N=16, M=3, widths=(2,) * 4)), parse_partition("odd-even", 16))
    assert wit.rank == 2**8


def test_progress_callback():
    """The count reports its progress through a callback (the core never prints)."""
    calls = []
    count_nonzero_entries(random_weights(DeepArch(N=16, M=2, widths=(2,) * 4)), progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1][0] == calls[-1][1]


def test_cli_route_and_evidence(capsys):
    """``--route pair-diagonal``: JSON with the evidence; refused (exit 2, naming --route) where it does not apply."""
    code, d = rank_json(capsys, "--net", "deep", "--N", "16", "--M", "2", "--widths", "2,2,2,2", "--route",
                        "pair-diagonal", "--shared")
    assert code == 0 and d["rank"] == 256 and d["route"] == "pair-diagonal"
    assert d["evidence"]["count"]["prime"] == 2**31 - 1 and d["evidence"]["filters"][0]["rank"] == 2
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2",
                             "--partition", "low-high", "--route", "pair-diagonal")
    assert code == 2 and err.startswith("verifier: error: Argument 'route' must be") and err.count("\n") == 1
    code, _, err = run_cli(capsys, "rank", "--net", "deep", "--N", "128", "--M", "2", "--widths", "2," * 6 + "2",
                             "--route", "pair-diagonal")
    assert code == 2 and "Argument 'N' must be at most" in err
    with pytest.raises(InvalidArgumentError, match="Argument 'output' must be"):
        pair_diagonal_rank(random_weights(DeepArch(N=4, M=2, widths=(2, 2))), parse_partition("odd-even", 4), output=3)
    assert json.dumps(d)


# --- the exceptional set for any N (Lemma D (ii)) ---------------------------------------------------------

from verifier.theorems.exceptional.pair_diagonal import (
    diagonal_zero_set,
    product_polynomial,
    sample_diagonal_rates,
)
from verifier.theorems.exceptional.polynomial import certificate_polynomial


@pytest.mark.parametrize("arch", [DeepArch(N=2, M=2, widths=(2,)), DeepArch(N=4, M=2, widths=(2, 1)),
                                  DeepArch(N=4, M=2, widths=(2, 1), shared=True), DeepArch(N=4, M=1, widths=(1, 1))],
                         ids=repr)
def test_product_of_the_zero_sets_is_the_determinant(arch):
    """N <= 4, r_0 = M: prod_i det(U_i)^(M^(N/2-1)) * prod_k D(k) equals the certificate determinant of
    ``verifier zero-set --form minor`` up to a constant (Lemma D: det [A] = det(U_odd) det(D) det(U_even))."""
    cert = certificate_polynomial(arch)
    assert cert.full and cert.maximal
    from verifier.theorems.exceptional.polynomial import _ring

    prod = _ring(cert.symbols).from_sympy(product_polynomial(diagonal_zero_set(arch)))
    assert prod * cert.polynomial.LC == cert.polynomial * prod.LC and prod != 0


def test_zero_set_counts_and_distinct_entries():
    """Unshared: r_0^(N/2) distinct entries of degree N - 1; shared: the orbits under the tree's symmetries
    (checked against the distinct expanded polynomials)."""
    z = diagonal_zero_set(DeepArch(N=8, M=3, widths=(2, 2, 1), shared=True))
    assert (z.d_entries, z.d_distinct, z.d_degree) == (16, 6, 7) and len(z.factored) == 6
    assert z.filter_matrices == 1 and z.filter_minors == 3 and z.polynomial_count == 9
    z = diagonal_zero_set(DeepArch(N=32, M=2, widths=(2,) * 5))
    assert (z.d_entries, z.d_distinct, z.sz_degree, z.factored) == (2**16, 2**16, 64 + 31 * 2**16, None)
    with pytest.raises(InvalidArgumentError, match="Argument 'N' must be at most 8 to factor"):
        diagonal_zero_set(DeepArch(N=16, M=2, widths=(2,) * 4), factor=True)


def test_zero_set_and_measure_zero_cli(capsys):
    """``zero-set`` answers for N = 16 (count and degrees); ``measure-zero`` samples by the fast route."""
    code, out, _ = run_cli(capsys, "zero-set", "--net", "deep", "--N", 16, "--M", 2, "--widths", "2,2,2,2", "--json")
    d = json.loads(out)
    assert code == 0 and d["polynomial_count"] == 272 and d["degrees"] == {"2": 16, "15": 256}
    code, out, _ = run_cli(capsys, "measure-zero", "--net", "deep", "--N", 16, "--M", 2, "--widths", "2,2,2,2",
                             "--bounds", "1,1000000", "--samples", 5, "--json")
    rows = json.loads(out)
    assert code == 0 and [r["deficient"] for r in rows] == [5, 0] and rows[1]["sz_bound"] == "3872/2000001"


def test_sampled_deficiency_matches_dense():
    """A sample is deficient by the fast route exactly when the dense certified rank is below 2^(N/2)."""
    arch = DeepArch(N=8, M=2, widths=(2, 2, 2))
    z = diagonal_zero_set(arch, factor=False)
    rows = sample_diagonal_rates(z, [2], 12)
    dense = sum(1 for i in range(12) if matricization_rank(random_weights(arch, i, 2), parse_partition("odd-even", 8),
                                                           route="dense").certificate.rank < 16)
    assert rows[0].deficient == dense


def test_library_arguments_are_validated():
    """Public functions name the bad argument (one line) instead of truncating or overflowing."""
    from fractions import Fraction

    arch = DeepArch(N=4, M=2, widths=(2, 2))
    w = random_weights(arch, seed=0)
    frac = weights_from_arrays(arch, {f"{v[0]},{v[1]}": [[Fraction(1, 3)] * a.shape[1]] * a.shape[0]
                                      for v, a in w.arrays.items()})
    with pytest.raises(InvalidArgumentError, match="Argument 'weights' must be integer weights"):
        count_nonzero_entries(frac)
    assert pair_diagonal_rank(frac, parse_partition("odd-even", 4)).certified   # cleared of denominators first
    with pytest.raises(InvalidArgumentError, match="Argument 'prime' must be a prime below 2\\^31"):
        count_nonzero_entries(w, prime=2**31 + 11)
    with pytest.raises(InvalidArgumentError, match="Argument 'exact_limit' must be a non-negative integer"):
        count_nonzero_entries(w, exact_limit=-1)
    with pytest.raises(InvalidArgumentError, match="Argument 'partition' must be"):
        pair_diagonal_rank(w, "odd-even")


def test_singular_filters_streamed_lower_bound(monkeypatch):
    """Over the exact block limit, a submatrix with one index at each deficient pair gives a streamed lower
    bound: always <= the exact rank, and equal to it with one rank-1 filter (then certified). (The dense route
    needs ~90 s for these rank-deficient 256 x 256 matrices with 10^6-sized weights: its kernel certificate.)"""
    import verifier.rank.singular as pd

    for seed in range(3):
        w = edited(random_weights(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)), seed=seed),
                   n_0_2=lambda a: a.__setitem__(1, a[0] * 2))         # position 3: rank 1
        if seed:
            w = edited(w, n_0_7=lambda a: a.__setitem__(0, a[1] * 5))  # position 8: rank 1 (a column mode)
        exact = pair_diagonal_rank(w, parse_partition("odd-even", 16))   # exact blocks (= dense: tests above)
        assert exact.certified and "block" in exact.lower.method
        monkeypatch.setattr(pd, "SINGULAR_ENTRY_LIMIT", 1)
        c = pair_diagonal_rank(w, parse_partition("odd-even", 16))
        monkeypatch.undo()
        assert c.lower.value <= exact.rank <= c.upper.value
        assert c.certified == (seed == 0) and c.evidence is not None


def test_weights_file_with_zeros_and_singular_filter(capsys, tmp_path):
    """``--weights-file`` with zeros among the higher weights and a singular filter: the pair-diagonal route
    certifies the same rank as the dense route."""
    arch = DeepArch(N=8, M=2, widths=(2, 2, 2))
    w = _zero_weights(arch, 3, zero_levels=(1, 2))
    data = {"architecture": arch.to_dict(), "weights": w.to_dict()}
    data["weights"]["0,5"] = [["2", "-4"], ["-1", "2"]]                 # position 6: rank 1
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    args = ("--net", "deep", "--N", 8, "--M", 2, "--widths", "2,2,2", "--weights-file", path)
    _, pair = rank_json(capsys, *args, "--route", "pair-diagonal")
    _, dense = rank_json(capsys, *args, "--route", "dense")
    assert pair["certified"] and pair["rank"] == dense["rank"] < 16


# --- the count in parallel (issue 18 item 5) ----------------------------------------------------------------

P = 2**31 - 1


def _adversarial():
    """Small nets whose count exercises every branch of the decision of zeros mod p, named."""
    arch = DeepArch(N=16, M=2, widths=(2, 2, 2, 2))
    prime_multiples = edited(random_weights(arch, seed=1),
                             n_0_0=lambda a: a.__setitem__(slice(None), a * P),        # a filter = 0 mod p
                             n_1_2=lambda a: a.__setitem__(slice(None), a * P),        # u = 0 mod p, not over Z
                             n_2_1=lambda a: a.__setitem__((1, 0), 3 * P))
    one_filter = lambda a: a.__setitem__(slice(None), [[3, 5], [7, 2]])  # noqa: E731
    repeated = edited(random_weights(arch, seed=2), **{f"n_0_{i}": one_filter for i in range(16)})  # at every position
    zeros = edited(_zero_weights(arch, 4, zero_levels=(1, 2)), n_1_3=lambda a: a.__setitem__((slice(None), 0), 0))
    return {"prime multiples": prime_multiples, "repeated filter": repeated, "zero entries of D": zeros,
            "r = 3 channels, M = 3": random_weights(DeepArch(N=16, M=3, widths=(3, 2, 2, 3)), seed=5, bound=4),
            "N = 32": random_weights(DeepArch(N=32, M=2, widths=(2,) * 5), seed=6)}


@pytest.fixture(scope="module", params=["processes", "dask"])
def executor(request):
    """A pool of 2 worker processes, or a Dask client of a LocalCluster of 2 (skipped without distributed)."""
    if request.param == "processes":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(2) as pool:
            yield pool
        return
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


def _same(serial, parallel):
    assert parallel == serial and parallel.to_dict() == serial.to_dict()
    assert parallel.nonzero_zero_mod_p == serial.nonzero_zero_mod_p
    assert parallel.zero_entries == serial.zero_entries


@pytest.mark.parametrize("name", list(_adversarial()))
def test_parallel_count_is_the_serial_count(name, executor):
    """With an executor the rows of D are counted in tasks on the workers and merged in row order: the same
    certificate and the same evidence (count, entries zero mod p listed, zeros listed) as the serial run, at
    the default prime and at p = 2 and 7 with small exact limits (the limit applies across the tasks, in order)."""
    w = _adversarial()[name].integral()
    part = parse_partition("odd-even", w.arch.N)
    serial = pair_diagonal_rank(w, part)
    parallel = pair_diagonal_rank(w, part, executor=executor)
    assert parallel == serial and parallel.evidence_dict() == serial.evidence_dict()
    if serial.rows <= 256:
        assert serial.rank == matricization_rank(w, part, route="dense").certificate.rank
    if name == "prime multiples":
        assert serial.evidence.nonzero_zero_mod_p and serial.certified
    if name == "zero entries of D":
        assert serial.evidence.zero_rows and serial.evidence.zero == len(serial.evidence.zero_entries)
    _same(serial.evidence, parallel.evidence)
    for p, limit in ((2, 0), (2, 5), (7, 5), (7, 40)):
        small = count_nonzero_entries(w, prime=p, exact_limit=limit)
        _same(small, count_nonzero_entries(w, prime=p, exact_limit=limit, executor=executor))
        assert small.exact_checks == min(limit, small.exact_checks + small.undecided)


def test_parallel_singular_filters_and_progress(executor, monkeypatch):
    """Lemma D (iii)'s streamed lower bound counts a contracted D (its own weights class) through the executor;
    the progress callback is called once per finished task, ending at the total."""
    import verifier.rank.singular as singular

    w = edited(random_weights(DeepArch(N=16, M=2, widths=(2, 2, 2, 2)), seed=0),
               n_0_2=lambda a: a.__setitem__(1, a[0] * 2))                     # position 3: rank 1
    part = parse_partition("odd-even", 16)
    monkeypatch.setattr(singular, "SINGULAR_ENTRY_LIMIT", 1)
    serial, calls = pair_diagonal_rank(w, part), []
    parallel = pair_diagonal_rank(w, part, executor=executor, progress=lambda d, t: calls.append((d, t)))
    assert parallel == serial and parallel.certified and parallel.evidence_dict() == serial.evidence_dict()
    assert len(calls) > 1 and calls[-1][0] == calls[-1][1] and [d for d, _ in calls] == sorted(d for d, _ in calls)


class _Interrupted:
    """An executor whose second task's result is a Ctrl-C: every future must be cancelled."""

    def __init__(self):
        self.futures = []

    def submit(self, fn, *args):
        from concurrent.futures import Future

        f = Future()
        if len(self.futures) == 1:
            f.set_exception(KeyboardInterrupt())
        elif not self.futures:
            f.set_result(fn(*args))
        self.futures.append(f)
        return f


def test_ctrl_c_cancels_the_tasks():
    """A Ctrl-C while waiting for the workers propagates (the CLI exits 130) after cancelling the pending tasks."""
    ex = _Interrupted()
    with pytest.raises(KeyboardInterrupt):
        count_nonzero_entries(random_weights(DeepArch(N=16, M=2, widths=(2,) * 4)), executor=ex)
    assert len(ex.futures) > 2 and all(f.cancelled() for f in ex.futures[2:])
    with pytest.raises(InvalidArgumentError, match="Argument 'executor' must be a concurrent.futures executor"):
        count_nonzero_entries(random_weights(DeepArch(N=4, M=2, widths=(2, 2))), executor=2)

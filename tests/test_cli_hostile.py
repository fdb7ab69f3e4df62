"""Hostile command lines (issue 9): every input gets exit 0, 1 or 2, within seconds, never a traceback; a
rejection is one line ``verifier: error: ...`` naming the argument, under 300 characters; Ctrl-C exits 130
with one line and leaves no partial file.

``test_generated_command_lines`` generates command lines (valid and invalid flags, numbers, lists, files)
with hypothesis; ``HOSTILE_EXAMPLES=2000 python -m pytest tests/test_cli_hostile.py`` runs more of them.
"""

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.checker import statement_text
from verifier.cli import main

NAMED = re.compile(r"[Aa]rguments?\b")


class Hang(Exception):
    """A command line ran past its time limit."""


def run(argv, limit=30):
    """Run the CLI in-process under a time limit; returns (code, stdout, stderr)."""
    def alarm(signum, frame):
        raise Hang(" ".join(map(str, argv))[:200])

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(limit)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in argv])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, out.getvalue(), err.getvalue()


def assert_clean(argv, code, err):
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("verifier: error: "), (argv, err)
        assert len(err) <= 301, (argv, err)
        assert NAMED.search(err), (argv, err)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Weights files good and bad (the audit's list), and places to write to."""
    d = tmp_path_factory.mktemp("hostile")
    good = {"0,0": [[1, 0], [0, 1]], "0,1": [[1, 2], [3, 4]], "0,2": [[1, 0], [0, 1]], "0,3": [["1/2", 1], [1, 1]],
            "1,0": [[1, 1]], "1,1": [[1, 2]], "2,0": [[3]]}
    paths = {"good": d / "good.json", "strings": d / "strings.json", "scalar": d / "scalar.json",
             "ragged": d / "ragged.json", "notutf8": d / "notutf8.json", "nested": d / "nested.json",
             "bigint": d / "bigint.json", "float": d / "float.json", "list": d / "list.json"}
    paths["good"].write_text(json.dumps(good))
    paths["strings"].write_text(json.dumps({**good, "0,0": ["12", "34"]}))
    paths["scalar"].write_text(json.dumps({**good, "2,0": "7"}))
    paths["ragged"].write_text(json.dumps({**good, "0,0": [[1, 2], [3]]}))
    paths["notutf8"].write_bytes(b"\xff\xfe\x00{}")
    paths["nested"].write_text("[" * 200000 + "]" * 200000)
    paths["bigint"].write_text('{"0,0": [[' + "9" * 5000 + "]]}")
    paths["float"].write_text(json.dumps({**good, "1,0": [[0.5, 1]]}))
    paths["list"].write_text("[1, 2]")
    paths["dir"] = d
    paths["missing"] = d / "no" / "such" / "file.json"
    paths["long"] = d / ("x" * 300)
    return paths


DEEP4 = ["rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1"]

# (command line, argument named in the one-line rejection); files are filled in from the fixture.
HOSTILE = [
    (["rank", "--net", "deep", "--N", "4096", "--M", "9", "--widths", ",".join(["9"] * 12)], "'N', 'M'"),
    (["rank", "--net", "deep", "--N", "8192", "--M", "2", "--widths", ",".join(["2"] * 13)], "'N', 'M'"),
    (["rank", "--net", "deep", "--N", "8", "--M", "50", "--widths", "50,50,50", "--route", "dense"], "'N', 'M'"),
    (["rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--memory-budget", str(2**50)],
     "--memory-budget"),
    (["rank", "--net", "deep", "--N", str(2**63), "--M", "2", "--widths", ",".join(["2"] * 63)], "'N'"),
    (["rank", "--net", "deep", "--N", str(2**22), "--M", "2", "--widths", ",".join(["2"] * 22),
      "--weights", "witness"], "'N'"),
    (["rank", "--net", "shallow", "--N", str(10**9), "--M", "2", "--Z", "2"], "'N'"),
    (["rank", "--net", "shallow", "--N", "4", "--M", str(10**8), "--Z", "2"], "'M'"),
    (["rank", "--net", "shallow", "--N", "4", "--M", "2", "--Z", str(10**30)], "'Z'"),
    (["rank", "--net", "shallow", "--N", "4", "--M", "2", "--Z", "2", "--Y", str(10**8)], "'Y'"),
    (["rank", "--net", "deep", "--N", "4", "--M", "2", "--widths", f"{10**30},1"], "'widths'"),
    (["weights", "--net", "shallow", "--N", "4", "--M", str(10**9), "--Z", "2"], "'M'"),
    (["theorem2", "--N", "8", "--M", str(10**8), "--widths", "2,2,2", "--Lc", "2"], "'M'"),
    (["zero-set", "--net", "deep", "--N", "4", "--M", str(10**8), "--widths", "2,1"], "'M'"),
    (["measure-zero", "--net", "deep", "--N", "4", "--M", "2", "--widths", f"{10**8},1", "--samples", "2"], "widths"),
    (["measure-zero", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--bounds", str(10**30),
      "--samples", "2"], "'bounds'"),
    (["measure-zero", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--samples", str(10**9)], "'samples'"),
    (["zero-set", "--net", "shallow", "--N", "4", "--M", "2", "--Z", "30"], "'Z'"),
    (["zero-set", "--net", "deep", "--N", "4", "--M", "2", "--widths", "3,1", "--form", "minor"], "'widths'"),
    (["zero-set", "--net", "shallow", "--N", "4", "--M", "2", "--Z", "8", "--time-limit", "1"], "'--time-limit'"),
    (DEEP4 + ["--weights-file", "{notutf8}"], "--weights-file"),
    (DEEP4 + ["--weights-file", "{nested}"], "--weights-file"),
    (DEEP4 + ["--weights-file", "{bigint}"], "--weights-file"),
    (DEEP4 + ["--weights-file", "/dev/zero"], "--weights-file"),
    (DEEP4 + ["--weights-file", "{dir}"], "--weights-file"),
    (DEEP4 + ["--weights-file", "{missing}"], "--weights-file"),
    (DEEP4 + ["--weights-file", "{list}"], "--weights-file"),
    (DEEP4 + ["--weights-file", "{strings}"], "'weights[0,0]'"),
    (DEEP4 + ["--weights-file", "{scalar}"], "'weights[2,0]'"),
    (DEEP4 + ["--weights-file", "{ragged}"], "got 2 rows of lengths 1, 2"),
    (DEEP4 + ["--weights-file", "{float}"], "'weights[1,0]'"),
    (DEEP4 + ["--weights-file", ""], "--weights-file"),
    (DEEP4 + ["--weights-file", "{good}", "--weights", "witness"], "'--weights'"),
    (DEEP4 + ["--weights-file", "{good}", "--seed", "3"], "'--seed'"),
    (DEEP4 + ["--weights", "witness", "--seed", "3"], "'--seed'"),
    (DEEP4 + ["--partition", "rows:1,,3"], "'partition'"),
    (DEEP4 + ["--partition", "rows:" + "1," * 50000], "'partition'"),
    (DEEP4 + ["--widths", "2," * 50000], "--widths"),
    (DEEP4 + ["--N", "9" * 5000], "--N"),
    (DEEP4 + ["--seed", "9" * 5000], "--seed"),
    (["approx", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--Z", "1", "--gram", ""], "'--gram'"),
    (["table", "--out", "{dir}"], "'--out'"),
    (["table", "--out", "{missing}"], "'--out'"),
    (["table", "--out", "/proc/version"], "'--out'"),
    (["table", "--out", "/dev/full"], "'--out'"),
    (["table", "--out", "{long}"], "'--out'"),
    (["table", "--out", ""], "--out"),
    (["prove", "--out", ""], "--out"),
    (["prove", "--out", "{good}"], "'--out'"),
]


@pytest.mark.parametrize("argv, named", HOSTILE, ids=[f"{i}" for i in range(len(HOSTILE))])
def test_hostile_command_lines_are_refused_in_one_line(argv, named, files):
    argv = [a.format(**files) if "{" in a and len(a) < 40 else a for a in argv]
    start = time.monotonic()
    code, out, err = run(argv)
    assert time.monotonic() - start < 15, argv
    assert code == 2, (argv, code, err)
    assert_clean(argv, code, err)
    assert named in err, (named, err)


def test_valid_huge_witness_prints_exactly():
    """N = 2^15: the rank 2^16384 has 4933 digits, past Python's default limit for str(int)."""
    code, out, err = run(["rank", "--net", "deep", "--N", str(2**15), "--M", "2", "--widths", ",".join(["2"] * 15),
                          "--weights", "witness", "--json"], limit=60)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["rank"] == "2^16384" and data["certified"] is True and data["lower_bound"] == data["upper_bound"]


def test_audit_line_now_answered():
    """N = 8, M = 50, widths 50,50,50 (refused after 35 s in the audit) is answered by Lemma D's route."""
    code, out, err = run(["rank", "--net", "deep", "--N", "8", "--M", "50", "--widths", "50,50,50", "--json"])
    data = json.loads(out)
    assert code == 0 and err == "" and data["route"] == "pair-diagonal"
    assert data["certified"] and data["rank"] == 50**4 == data["upper_bound"]


def test_weights_file_conflicts_and_good_file(files):
    code, out, err = run(DEEP4 + ["--weights-file", files["good"], "--json"])
    assert code == 0 and json.loads(out)["weights"] == "explicit"


def test_stdout_that_cannot_be_written_is_one_line():
    """``--json > /dev/full``: one line, exit 2, no traceback from the interpreter's last flush."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "verifier"] + DEEP4 + ["--json"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == "verifier: error: could not write the output: No space left on device\n"


# --------------------------------------------------------------------------------------------------
# Generated command lines
# --------------------------------------------------------------------------------------------------

NUMBERS = st.sampled_from(["1", "2", "3", "4", "8", "0", "-1", "-7", "x", "", " 2", "2.0", "1e3", "+3", "0x10",
                           str(2**63), str(10**9), str(10**30), "9" * 400, "٣"])
LISTS = st.one_of(
    st.lists(st.sampled_from(["1", "2", "3"]), min_size=1, max_size=4).map(",".join),
    st.sampled_from(["", ",", "2,,1", "2,-1", "x,y", "2;2", "2," * 80, f"{10**30},1", "2,2,2,2,2,2,2,2,2,2,2,2,2,2"]))
PARTITIONS = st.sampled_from(["odd-even", "low-high", "blocks:1", "blocks:2", "blocks:3", "blocks:", "blocks:-2",
                              "rows:1", "rows:1,3", "rows:", "rows:1,,3", "rows:0", "rows:9", "rows:x", "rows:1,1",
                              "", "ODD-EVEN", "rows:" + "1," * 300])
FLAG_VALUES = {
    "--net": st.sampled_from(["deep", "shallow", "depth", "wide", ""]),
    "--N": NUMBERS, "--M": NUMBERS, "--Z": NUMBERS, "--Y": NUMBERS, "--Lc": NUMBERS, "--seed": NUMBERS,
    "--bound": NUMBERS, "--output": NUMBERS, "--samples": st.sampled_from(["1", "3", "0", str(10**9), "-1"]),
    "--cross-check": st.sampled_from(["0", "1", "-1", "x"]),
    "--widths": LISTS, "--bounds": LISTS, "--partition": PARTITIONS,
    "--weights": st.sampled_from(["random", "witness", "other"]),
    "--engine": st.sampled_from(["auto", "flint", "sympy", "modular", "numpy"]),
    "--route": st.sampled_from(["auto", "structure", "reduced", "dense", "fast"]),
    "--memory-budget": st.sampled_from(["1", "1000", str(2**30), str(2**50), "0", "x"]),
    "--gram": st.sampled_from(["", "1", "1,0;0,1", "2,1;1,2", "1,2;3,4", "1,0;0,-1", "x", "1,0;0"]),
    "--geometry": st.sampled_from(["binary", "window:2", "window:3", "window:0", "window:x", "image:4x4", "image:3x3",
                                   "image:", "tree:{good}", "tree:{nested}", "tree:{missing}", "tree:", "hex"]),
    "--Z-typo": st.just("3"),
    "--kind": st.sampled_from(["theorem1", "params", "bogus"]),
    "--format": st.sampled_from(["latex", "csv", "json", "html"]),
    "--weights-file": st.sampled_from(["{good}", "{strings}", "{notutf8}", "{nested}", "{bigint}", "{dir}",
                                       "{missing}", "", "/dev/null"]),
}
SWITCHES = ["--shared", "--json", "--standalone"]
COMMANDS = ["rank", "weights", "zero-set", "measure-zero", "approx", "theorem2", "table", "geometry"]


@st.composite
def command_lines(draw):
    cmd = draw(st.sampled_from(COMMANDS))
    argv = [cmd]
    if cmd != "table" and draw(st.booleans()):  # mostly well-formed architectures, to get past the parser
        net = draw(st.sampled_from(["deep", "shallow"] if cmd not in ("theorem2", "approx", "geometry") else ["deep"]))
        n = draw(st.sampled_from(["2", "4", "8"] if cmd != "zero-set" else ["2", "4"]))
        argv += [] if cmd in ("theorem2", "geometry") else ["--net", net]
        argv += ["--N", n, "--M", draw(st.sampled_from(["1", "2", "3"]))]
        if net == "deep":
            L = int(n).bit_length() - 1
            argv += ["--widths", ",".join(draw(st.sampled_from(["1", "2", "3"])) for _ in range(L))]
        else:
            argv += ["--Z", draw(st.sampled_from(["1", "2", "3"]))]
        if cmd == "measure-zero":
            argv += ["--samples", "3", "--bounds", "1,2", "--cross-check", "1"]
        if cmd == "approx":
            argv += ["--Z", "2"]
        if cmd == "theorem2":
            argv += ["--Lc", "1"]
    for flag in draw(st.lists(st.sampled_from(sorted(FLAG_VALUES) + SWITCHES), max_size=5)):
        argv.append(flag)
        if flag in FLAG_VALUES:
            argv.append(draw(FLAG_VALUES[flag]))
    return argv


EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "120"))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(argv=command_lines())
def test_generated_command_lines(argv, files):
    argv = [a.format(**files) if "{" in a and len(a) < 40 else a for a in argv]
    if argv[0] == "measure-zero" and "--samples" not in argv:
        argv += ["--samples", "3"]
    if argv[0] in ("zero-set", "measure-zero") and "--time-limit" not in argv:
        argv += ["--time-limit", "10"]  # the symbolic route's own limit, below this test's 30 s
    code, out, err = run(argv)
    assert_clean(argv, code, err)


# --------------------------------------------------------------------------------------------------
# Ctrl-C
# --------------------------------------------------------------------------------------------------

def _interrupt(argv, delay, cwd=None):
    proc = subprocess.Popen([sys.executable, "-m", "verifier", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, err


def test_ctrl_c_exits_130_with_one_line():
    """SIGINT during a dense rank (several seconds of work): exit 130, one line, no traceback."""
    code, err = _interrupt(["rank", "--net", "deep", "--N", "16", "--M", "3", "--widths", "3,1,1,1",
                            "--route", "dense", "--engine", "flint"], 2.0)
    assert (code, err) == (130, "verifier: interrupted\n")


def test_ctrl_c_leaves_no_partial_file(tmp_path):
    """SIGINT while ``prove --out`` runs: exit 130, one line, and nothing at all in the parent directory (the
    reports are built in a temporary sibling directory, moved into place only at the end)."""
    code, err = _interrupt(["prove", "--out", str(tmp_path / "reports")], 2.0)
    assert (code, err) == (130, "verifier: interrupted\n")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_leaves_neither_target_nor_temporary(tmp_path, monkeypatch):
    """The atomic write itself: an interrupt between writing and renaming removes the temporary file."""
    from verifier.cli import arguments

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(arguments.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        arguments.write_output("--out", str(tmp_path / "t.tex"), "x" * 10**6)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------------------------------
# Issue 17, item 6: the second hostile audit (each test names the class of input it answers)
# --------------------------------------------------------------------------------------------------

W15 = ",".join(["2"] * 15)


def _refused(argv, named, limit=30):
    code, out, err = run([str(a) for a in argv], limit=limit)
    assert code == 2, (argv, code, err)
    assert_clean(argv, code, err)
    assert named in err, (named, err)
    return err


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    (tmp_path / "grid.json").write_text(json.dumps({"rank": {"net": ["deep"], "N": [4], "M": [2], "widths": ["2,1"]}}))
    return str(path)


def test_kernel_refuses_a_pooling_geometry(tmp_path):
    """``--kernel 2`` used to ignore ``--geometry`` and answer for the binary tree (rank 16 for the tree file's
    net reported as the binary one's)."""
    tree = tmp_path / "tree.json"
    tree.write_text(json.dumps({"tree": [[[1, 5], [2, 6]], [[3, 7], [4, 8]]]}))
    base = ["rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--kernel", "2"]
    _refused(base + ["--geometry", f"tree:{tree}"], "'--geometry'")
    _refused(base + ["--geometry", "window:2"], "'--geometry'")
    assert run(base)[0] == 0  # the binary tree, as before


def test_empty_geometry_is_refused():
    _refused(DEEP4 + ["--geometry="], "'--geometry'")


@pytest.mark.parametrize("make", [
    lambda f: DEEP4 + ["--weights-file", f],
    lambda f: ["sweep", f, "--out", os.path.join(os.path.dirname(f), "out.jsonl")],
    lambda f: ["rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--geometry", f"tree:{f}"],
    lambda f: ["check", f],
    lambda f: DEEP4 + ["--certificate", f],
    lambda f: ["geometry", "--N", "4", "--M", "2", "--widths", "2,1", "--out", f],
    lambda f: ["table", "--out", f],
    lambda f: ["sweep", os.path.join(os.path.dirname(f), "grid.json"), "--out", f],
], ids=["weights-file", "grid", "tree", "certificate", "certificate-out", "geometry-out", "table-out", "sweep-out"])
def test_fifo_paths_are_refused_without_blocking(fifo, make):
    """A FIFO never opened: ``os.stat`` says what it is first (the audit's commands hung forever)."""
    argv = make(fifo)
    err = _refused(argv, "Argument", limit=20)
    assert "(a FIFO)" in err, err


@pytest.mark.parametrize("argv, named", [
    (DEEP4 + ["--weights-file", "/dev/urandom"], "'--weights-file'"),
    (DEEP4 + ["--weights-file", "/dev/zero"], "'--weights-file'"),
    (["sweep", "/dev/urandom", "--out", "/tmp/never-written.jsonl"], "'GRID'"),
    (["check", "/dev/urandom"], "'FILE'"),
    (["check", "/dev/zero"], "'FILE'"),
    (["rank", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--geometry", "tree:/dev/urandom"],
     "'--geometry'"),
    (DEEP4 + ["--certificate", "/dev/full"], "'--certificate'"),
], ids=["weights-urandom", "weights-zero", "grid-urandom", "check-urandom", "check-zero", "tree-urandom",
        "certificate-full"])
def test_devices_are_refused_before_reading(argv, named):
    err = _refused(argv, named, limit=20)
    assert "character device" in err


def test_standard_streams_are_accepted_outputs(capfd):
    """``/dev/stdout`` stays a valid output (written to this process's stdout, nothing opened)."""
    code, out, err = run(["table", "--kind", "params", "--format", "csv", "--out", "/dev/stdout"])
    assert code == 0 and "N" in out


@pytest.mark.parametrize("value", ["10000000000", "86401", "0", "1e10"])
def test_time_limit_is_validated(value):
    _refused(["zero-set", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--time-limit", value],
             "--time-limit")


def test_time_limit_interrupts_work_in_c_code():
    """sympy's factorization sits in C code where no interrupt reaches it: it runs in a child process that
    is killed at the limit (the audit saw a 1 s limit overrun to 17 s, exit 0)."""
    start = time.monotonic()
    _refused(["zero-set", "--net", "shallow", "--N", "4", "--M", "2", "--Z", "8", "--time-limit", "1"],
             "'--time-limit'")
    assert time.monotonic() - start < 20  # generous: the limit is 1 s


def test_symbolic_route_output_comes_back_from_the_child():
    code, out, err = run(["zero-set", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--json"])
    assert code == 0 and err == "" and json.loads(out)["nonzero"] is True


@pytest.mark.parametrize("argv", [
    ["zero-set", "--net", "deep", "--N", "32768", "--M", "2", "--widths", W15],
    ["zero-set", "--net", "deep", "--N", "32768", "--M", "2", "--widths", W15, "--json"],
    ["approx", "--net", "deep", "--N", "32768", "--M", "2", "--widths", W15, "--Z", "2", "--weights", "witness"],
], ids=["zero-set-text", "zero-set-json", "approx-witness"])
def test_counts_past_4300_digits_are_printed(argv):
    """No int <-> str conversion of more than 4300 digits: powers in text, exact strings in JSON."""
    code, out, err = run(argv, limit=60)
    assert code == 0 and err == "", err
    assert "2^16384" in out


def test_measure_zero_at_huge_n_is_refused_by_size():
    _refused(["measure-zero", "--net", "deep", "--N", "32768", "--M", "2", "--widths", W15, "--samples", "2",
              "--bounds", "1"], "'N'")


def test_pair_diagonal_samples_are_capped():
    _refused(["measure-zero", "--net", "deep", "--N", "8", "--M", "2", "--widths", "2,2,2", "--form", "pair-diagonal",
              "--samples", str(10**8), "--bounds", "1"], "'samples'")


def test_approx_refusal_names_the_arguments_and_the_limit():
    err = _refused(["approx", "--net", "deep", "--N", "4096", "--M", "9", "--widths", ",".join(["9"] * 12), "--Z", "2"],
                   "'N', 'M'")
    assert "limit" in err and "10^1954" in err


def test_large_shallow_net_is_refused_in_seconds():
    """The shallow net's weights used to cost N^2 (its tree was rebuilt for every matrix)."""
    _refused(["rank", "--net", "shallow", "--N", "4096", "--M", "9", "--Z", "10"], "'N', 'M'")


def _chain_certificate(path, leaves):
    nodes = {f"c{k}": {"children": [f"l{k}", f"c{k + 1}" if k < leaves - 2 else f"l{leaves - 1}"]}
             for k in range(leaves - 1)}
    nodes.update({f"l{k}": {"mode": k + 1} for k in range(leaves)})
    weights = {f"l{k}": [["1", "0"]] for k in range(leaves)}
    weights.update({f"c{k}": [["1"]] for k in range(leaves - 1)})
    path.write_text(json.dumps({"format": "convac-certificate/1", "M": 2, "tree": {"root": "c0", "nodes": nodes},
                                "weights": weights, "partition": {"spec": "x", "row_modes": [1]}, "output": 1,
                                "claim": {"rank": 1}, "evidence": {"lower": {"kind": "trivial"},
                                                                   "upper": {"kind": "shape"}}}))
    return str(path)


def test_check_refuses_a_long_chain_up_front(tmp_path):
    """A 2000-leaf chain (the audit's had 50,000 and hung): refused by the tree's depth, naming the field."""
    _refused(["check", _chain_certificate(tmp_path / "chain.json", 2000)], "'tree'")


def test_check_false_claim_against_a_huge_bound_is_a_fail(tmp_path):
    """A false claim whose evidence gives a bound of 4933 digits: FAIL (exit 1), not "not well-formed" (2)."""
    n = 2**15
    nodes = {"root": {"children": [f"l{k}" for k in range(n)]}, **{f"l{k}": {"mode": k + 1} for k in range(n)}}
    weights = {"root": [["1"]], **{f"l{k}": [["1", "0"]] for k in range(n)}}
    cert = tmp_path / "big.json"
    cert.write_text(json.dumps({"format": "convac-certificate/1", "M": 2, "tree": {"root": "root", "nodes": nodes},
                                "weights": weights, "partition": {"row_modes": list(range(1, n, 2))},
                                "statement": {"text": statement_text(5, 5, 0, range(0, n, 2)),
                                              "kind": "matricization rank"},
                                "output": 1, "claim": {"rank": 5},
                                "evidence": {"lower": {"kind": "trivial"}, "upper": {"kind": "shape"}}}))
    code, out, err = run(["check", str(cert)], limit=60)
    assert code == 1 and err == "", err
    assert out.startswith("FAIL") and "the evidence gives 0 <= rank <= 2^16384" in out


def _grid(tmp_path, axes):
    grid = tmp_path / "grid.json"
    grid.write_text(json.dumps({"rank": {"net": ["deep"], "N": [4], "M": [2], "widths": ["2,1"], **axes}}))
    return str(grid)


@pytest.mark.parametrize("flag", ["certificate", "json", "help"])
def test_sweep_grid_may_not_set_output_flags(tmp_path, flag):
    _refused(["sweep", _grid(tmp_path, {flag: ["/dev/full"] if flag == "certificate" else [True]}),
              "--out", str(tmp_path / "out.jsonl")], "'GRID'")
    assert not (tmp_path / "out.jsonl").exists()


def test_sweep_dead_scheduler_is_refused_even_when_every_row_is_done(tmp_path):
    pytest.importorskip("distributed")
    grid, out = _grid(tmp_path, {}), str(tmp_path / "out.jsonl")
    assert run(["sweep", grid, "--out", out])[0] == 0
    _refused(["sweep", grid, "--out", out, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"], "'--scheduler'")


@pytest.mark.parametrize("content", [b'{"note": "my notes, not a sweep\'s', b"plain notes without a newline",
                                     b'{"command": "rank"}\n'], ids=["json-like", "text", "not-a-row"])
def test_sweep_never_truncates_a_file_that_is_not_its_own(tmp_path, content):
    out = tmp_path / "notes.txt"
    out.write_bytes(content)
    _refused(["sweep", _grid(tmp_path, {}), "--out", str(out)], "'--out'")
    assert out.read_bytes() == content


def test_sweep_resumes_after_a_torn_row(tmp_path):
    grid, out = _grid(tmp_path, {"seed": [0, 1]}), tmp_path / "out.jsonl"
    assert run(["sweep", grid, "--out", str(out)])[0] == 0
    rows = out.read_bytes().split(b"\n")
    out.write_bytes(rows[0] + b"\n" + rows[1][:20])  # the second row cut short, as by a crash
    assert run(["sweep", grid, "--out", str(out)])[0] == 0
    assert len([r for r in out.read_text().split("\n") if r]) == 2


def test_simnet_weights_file_conflicts(tmp_path, files):
    _refused(["simnet", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--weights-file="],
             "--weights-file")
    _refused(["simnet", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--weights", "witness",
              "--weights-file", files["good"]], "'--weights'")


def test_simnet_whole_precision_range_decides():
    """``--prec 4096`` (the top of the documented range) used to leave every sample undecided."""
    code, out, err = run(["simnet", "--net", "deep", "--N", "4", "--M", "2", "--widths", "2,1", "--prec", "4096",
                          "--samples", "2"])
    assert code == 0 and "enclosed in 2 of 2 samples" in out


def test_prove_leaves_no_hypothesis_folder(tmp_path):
    """The measure-zero check's hypothesis search keeps its files in a temporary directory."""
    proc = subprocess.run([sys.executable, "-m", "verifier", "prove", "--only", "measure_zero"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))})
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_the_measure_zero_search_exits_130(tmp_path):
    """Ctrl-C inside hypothesis's search is recorded and raised by the search's test function (it used to be
    swallowed: "Exception ignored ... KeyboardInterrupt", exit 0)."""
    code, err = _interrupt(["prove", "--only", "measure_zero"], 2.0, cwd=tmp_path)  # the check takes ~3 s after start-up
    assert (code, err) == (130, "verifier: interrupted\n")


def test_ctrl_c_while_the_dask_cluster_starts_exits_130(tmp_path):
    """Ctrl-C to the whole process group (as a terminal sends it) while the local cluster starts: one line,
    exit 130, no traceback from a worker (SIGINT used to be ignored during the start: lost, exit 0)."""
    pytest.importorskip("distributed")
    grid = tmp_path / "grid.json"
    seeds = list(range(200))   # more rows than a sweep finishes before the signal, on any machine
    grid.write_text(json.dumps({"rank": {"net": ["deep"], "N": [4], "M": [2], "widths": ["2,1"], "seed": seeds}}))
    proc = subprocess.Popen([sys.executable, "-m", "verifier", "sweep", str(grid), "--out", str(tmp_path / "o.jsonl"),
                             "--executor", "dask"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline and not (children.exists() and children.read_text()):
        time.sleep(0.01)   # the signal goes out once the cluster's first process exists: while it starts
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.count("\n") == 1 and err.startswith("verifier: interrupted"), err


def test_ctrl_c_with_a_process_pool_exits_130_without_worker_tracebacks():
    """``rank --workers 2`` (Lemma D's count on a process pool), Ctrl-C to the whole process group once the
    workers exist: one line, exit 130, no KeyboardInterrupt traceback from a worker (they ignore SIGINT; the
    pending tasks are cancelled)."""
    proc = subprocess.Popen([sys.executable, "-m", "verifier", "rank", "--net", "deep", "--N", "64", "--M", "2",
                             "--widths", "2,2,2,2,2,2", "--workers", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline and not (children.exists() and children.read_text()):
        time.sleep(0.01)
    time.sleep(0.5)   # the workers have their tasks
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (130, "verifier: interrupted\n")


def test_pool_workers_ignore_ctrl_c():
    """The ``--workers`` pool's processes ignore SIGINT (a terminal's Ctrl-C reaches the whole process group):
    an idle worker that receives it prints no traceback and keeps working; only the main process answers."""
    import argparse

    from verifier.cli.rank import block_executor

    args = argparse.Namespace(workers=2, executor="processes", scheduler=None)
    with block_executor(args) as pool:
        assert pool.submit(abs, -3).result() == 3
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGINT)
        time.sleep(0.3)
        assert all(p.is_alive() for p in pool._processes.values())
        assert pool.submit(abs, -4).result() == 4

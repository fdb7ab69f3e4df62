"""The house keeps its shape (issue 8): the public names stay importable from ``verifier``, the top of the
package stays small, no module grows past 600 lines, and each layer imports only the layers below it."""

import ast
import pathlib

import pytest

import verifier

PACKAGE = pathlib.Path(verifier.__file__).parent

#: ``verifier.__all__`` before the reorganization, plus what it promised besides.
PUBLIC = [
    "Bound", "DeepArch", "InvalidArgumentError", "Partition", "RankCertificate", "Report", "ShallowArch",
    "SizeLimitError", "Step", "VerifierError", "Weights", "certify_matrix_rank", "certify_rank", "check_theorem1",
    "coefficient_tensor", "evaluate", "matricization_rank", "matricize", "parse_partition", "random_weights",
    "structural_upper_bounds", "symbolic_weights", "weights_from_arrays", "witness_weights", "modular_rank",
]

#: Layers, lowest first; a module may import from its own layer and from the layers before it.
#: ``strategies`` (hypothesis generators of nets and weights) sits between ``nets`` and ``theorems``.
#: ``checker`` (issue 12) imports nothing from the package at all (see :func:`test_checker_is_independent`).
LAYERS = ["checker", "errors", "render", "exact", "nets", "rank", "strategies", "theorems", "cli"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_importable(name):
    assert name in verifier.__all__
    assert getattr(verifier, name) is not None


def test_top_level_is_small():
    """At most 10 entries (issue 8), plus ``checker/`` (issue 12): the independent checker must stand apart from
    the layers it re-checks, so it is not placed inside one of them."""
    entries = [p for p in PACKAGE.iterdir() if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir())]
    assert len(entries) <= 11, sorted(p.name for p in entries)


def test_checker_is_independent():
    """Issue 12: the checker imports nothing from the rest of ``verifier`` (only relative imports inside
    ``verifier/checker``), nor sympy, networkx or hypothesis, and stays under 800 lines in total (issue 18)."""
    allowed = {"__future__", "collections", "fractions", "itertools", "json", "math", "re", "numpy", "flint"}
    checker = PACKAGE / "checker"
    lines, wrong = 0, []
    for path in checker.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        lines += len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom):
                if node.level > 1 or (node.level == 0 and node.module.split(".")[0] not in allowed):
                    wrong.append(f"{path.name}: from {'.' * node.level}{node.module}")
            elif isinstance(node, ast.Import):
                wrong += [f"{path.name}: import {a.name}" for a in node.names if a.name.split(".")[0] not in allowed]
    assert not wrong
    assert lines <= 800, lines


def test_no_module_over_600_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long


def _layer(parts: list) -> str:
    return parts[1] if len(parts) > 1 else "top"


def test_layers_point_one_way():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        here = _layer(parts)
        if here in ("top", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = parts if is_pkg else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
                there = _layer(target)
                if there != here and LAYERS.index(there) > LAYERS.index(here):
                    wrong.append(f"{'.'.join(parts)} imports {'.'.join(target)}")
    assert not wrong


def test_core_imports_at_module_level():
    """Issue 18: no function-local import hides a cycle in the core layers (``checker``, ``errors``, ``render``,
    ``exact``, ``nets``, ``rank``): every import of the package's own modules there is at module level. (The CLI
    imports commands lazily for its start-up time; optional dependencies such as ``distributed`` are imported
    where they are used.)"""
    local = []
    for layer in ("checker", "errors", "render", "exact", "nets", "rank"):
        root = PACKAGE / layer
        for path in ([root.with_suffix(".py")] if root.with_suffix(".py").exists() else sorted(root.rglob("*.py"))):
            for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    local += [f"{path.relative_to(PACKAGE)}:{n.lineno}" for n in ast.walk(fn)
                              if isinstance(n, ast.ImportFrom) and n.level > 0]
    assert not local

"""docs/MATH.md exists and every citation of it (a section number, or a lemma letter, after "MATH.md") in the
package, the proof scripts, the README, the docs, the benchmarks and the tests resolves to a section or lemma it
defines (issue 19)."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
MATH = ROOT / "docs" / "MATH.md"
CITATION = re.compile(r"MATH\.md[,:)]?\s+(?:(sections?)\s+(\d+)(?:\s*(?:-|and|,)\s*(\d+))?|(Lemmas?)\s+([A-Z]))")
LEMMA_IN_CODE = re.compile(r"\bLemmas? ([A-Z])\b(?: and ([A-Z])\b)?")


def cited_files():
    for folder in ("verifier", "proofs", "docs", "benchmarks", "tools", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".json") and "__pycache__" not in path.parts:
                yield path
    yield ROOT / "README.md"


def defined():
    text = MATH.read_text(encoding="utf-8")
    sections = {int(m) for m in re.findall(r"^## (\d+)\. ", text, flags=re.M)}
    lemmas = set(re.findall(r"\*\*Lemma ([A-Z])\b", text))
    return sections, lemmas


def test_math_exists_with_sections_and_lemmas():
    """Sections 1-6 and the lemmas the routes use (K, R, C, Z, D, B) are defined."""
    sections, lemmas = defined()
    assert sections == {1, 2, 3, 4, 5, 6}
    assert {"K", "R", "C", "Z", "D", "B"} <= lemmas


def test_every_citation_resolves():
    """Every numbered section and lettered lemma cited next to "MATH.md" exists in docs/MATH.md."""
    sections, lemmas = defined()
    bad, seen = [], 0
    for path in cited_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in CITATION.finditer(text):
            seen += 1
            if m.group(1):
                lo = int(m.group(2))
                hi = int(m.group(3)) if m.group(3) else lo
                if not all(k in sections for k in range(lo, hi + 1)):
                    bad.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
            elif m.group(5) not in lemmas:
                bad.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert seen > 30 and not bad, bad


def test_lemmas_named_in_the_package_are_defined():
    """Every "Lemma X" the package's code or output names is one docs/MATH.md defines."""
    _, lemmas = defined()
    named = set()
    for path in (ROOT / "verifier").rglob("*.py"):
        for m in LEMMA_IN_CODE.finditer(path.read_text(encoding="utf-8")):
            named.update(x for x in m.groups() if x)
    assert named and named <= lemmas, named - lemmas

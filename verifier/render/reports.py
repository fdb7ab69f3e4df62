"""Reports: results of statement checks as objects that render to text, JSON, Markdown and LaTeX.

Core code never prints; it returns a :class:`Report` (a list of :class:`Step`), and the CLI or a
proof script renders it. A step is PASS, FAIL or SKIP (not run, e.g. too large at these sizes; a
skipped step never makes a report pass on its own: a report passes when no step failed and at least
one passed).

Examples
--------
>>> r = Report("Demo", "paper, Theorem 0", {"N": 4}, [Step("one", "1 = 1", "PASS", "checked")])
>>> print(r)
Demo (paper, Theorem 0); N=4
PASS  one: 1 = 1 -- checked
RESULT: PASS (1 passed, 0 failed, 0 skipped)
>>> r.passed
True
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..errors import check_type, invalid
from .integers import show_int
from .latex import INDENT_PT, LINE_WIDTH_PT, PAGE_HEIGHT_PT, fit_tabular

STATUSES = ("PASS", "FAIL", "SKIP")

#: Integers of more bits than this are written to JSON as exact strings: Python refuses to convert integers of
#: more than 4300 digits to or from text by default, so most readers could not load them as numbers.
JSON_INT_BITS = 14000


def json_ready(obj):
    """``obj`` with every integer too long for JSON readers replaced by an exact string (``"2^16384"``, or all
    its digits), recursively through dicts, lists and tuples.

    Examples
    --------
    >>> json_ready({"rank": 2**16384, "rows": [4, 2**20]})
    {'rank': '2^16384', 'rows': [4, 1048576]}
    """
    if isinstance(obj, bool) or obj is None:
        return obj
    if isinstance(obj, int):
        if obj.bit_length() <= JSON_INT_BITS:
            return obj
        return show_int(obj)
    if isinstance(obj, dict):
        return {k: json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_ready(v) for v in obj]
    return obj


def json_text(obj, **kwargs) -> str:
    """``json.dumps`` of :func:`json_ready` ``(obj)`` (same keyword arguments).

    Examples
    --------
    >>> json_text({"b": 2**16384, "a": 1}, sort_keys=True)
    '{"a": 1, "b": "2^16384"}'
    """
    return json.dumps(json_ready(obj), **kwargs)


@dataclass(frozen=True)
class Step:
    """One checked statement: a name, what is claimed, PASS/FAIL/SKIP, the numbers behind it.

    Examples
    --------
    >>> Step("x", "claim", "PASS", "2 = 2").line()
    'PASS  x: claim -- 2 = 2'
    """

    name: str
    statement: str
    status: str
    detail: str
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.status, str) or self.status not in STATUSES:
            raise invalid("status", f"one of {STATUSES}", self.status)
        for name in ("name", "statement", "detail"):
            check_type(getattr(self, name), name, str, "a string")
        check_type(self.data, "data", dict, "a dict")

    def line(self) -> str:
        """One line of text: ``STATUS  name: statement -- detail``."""
        return f"{self.status:<5} {self.name}: {self.statement} -- {self.detail}"


def status(ok: bool) -> str:
    """``'PASS'`` or ``'FAIL'``.

    Examples
    --------
    >>> status(1 == 1)
    'PASS'
    """
    return "PASS" if ok else "FAIL"


@dataclass
class Report:
    """A statement check: title, the paper's statement it checks, parameters, steps, conclusion."""

    title: str
    reference: str
    parameters: dict
    steps: list
    conclusion: str = ""
    allow_skip: bool = True

    def __post_init__(self):
        for name in ("title", "reference", "conclusion"):
            check_type(getattr(self, name), name, str, "a string")
        check_type(self.parameters, "parameters", dict, "a dict")
        check_type(self.steps, "steps", list, "a list of Step")
        for k, step in enumerate(self.steps):
            check_type(step, f"steps[{k}]", Step, "a Step")

    @property
    def passed(self) -> bool:
        """No step failed and at least one passed (and, unless ``allow_skip``, none was skipped)."""
        return (all(s.status != "FAIL" for s in self.steps) and any(s.status == "PASS" for s in self.steps)
                and (self.allow_skip or all(s.status != "SKIP" for s in self.steps)))

    def verdict(self) -> str:
        """``PASS``, ``FAIL``, or ``INCOMPLETE`` (nothing failed, but a step was skipped and skips are not allowed).

        Examples
        --------
        >>> steps = [Step("a", "x", "PASS", "y"), Step("b", "x", "SKIP", "z")]
        >>> Report("T", "ref", {}, steps, allow_skip=False).verdict(), Report("T", "ref", {}, steps).verdict()
        ('INCOMPLETE', 'PASS')
        """
        if self.passed:
            return "PASS"
        failed = any(s.status == "FAIL" for s in self.steps) or not any(s.status == "PASS" for s in self.steps)
        return "FAIL" if failed else "INCOMPLETE"

    def counts(self) -> dict:
        """Number of steps by status."""
        return {k: sum(s.status == k for s in self.steps) for k in STATUSES}

    def _params(self) -> str:
        return ", ".join(f"{k}={_fmt(v)}" for k, v in self.parameters.items())

    def __str__(self) -> str:
        c = self.counts()
        lines = [f"{self.title} ({self.reference}); {self._params()}"]
        lines += [s.line() for s in self.steps]
        if self.conclusion:
            lines.append(f"Conclusion: {self.conclusion}")
        skips = f"{c['SKIP']} skipped" if self.allow_skip or not c["SKIP"] else f"{c['SKIP']} SKIPPED: not checked"
        lines.append(f"RESULT: {self.verdict()} ({c['PASS']} passed, {c['FAIL']} failed, {skips})")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-ready form (exact integers stay integers)."""
        return {"title": self.title, "reference": self.reference, "parameters": self.parameters,
                "passed": self.passed, "result": self.verdict(), "counts": self.counts(),
                "steps": [asdict(s) for s in self.steps], "conclusion": self.conclusion}

    def to_json(self) -> str:
        """JSON text, keys sorted, two-space indent (deterministic)."""
        return json_text(self.to_dict(), indent=2, sort_keys=True, default=str)

    def to_markdown(self) -> str:
        """A Markdown table, one row per step.

        Examples
        --------
        >>> print(Report("T", "ref", {}, [Step("a", "x", "PASS", "y")]).to_markdown())
        ### T (ref)
        <BLANKLINE>
        | status | step | statement | detail |
        |---|---|---|---|
        | PASS | a | x | y |
        <BLANKLINE>
        **PASS**
        """
        rows = [f"### {self.title} ({self.reference})", ""]
        if self.parameters:
            rows[-1:] = ["", f"Parameters: {self._params()}", ""]
        rows += ["| status | step | statement | detail |", "|---|---|---|---|"]
        rows += [f"| {s.status} | {s.name} | {s.statement} | {s.detail} |".replace("\n", " ") for s in self.steps]
        rows += ["", f"**{self.verdict()}**" + (f" {self.conclusion}" if self.conclusion else "")]
        return "\n".join(rows)

    def to_latex(self) -> str:
        """A booktabs ``tabular`` with one row per step (text escaped for LaTeX), fitted to a one-column article
        (long text wraps; a tall report is split over several tabulars; needs ``\\usepackage{booktabs}``).

        Examples
        --------
        >>> print(Report("T", "ref", {}, [Step("a_1", "50%", "PASS", "y")]).to_latex())
        \\begin{tabular}{lll}
        \\toprule
        Status & Step & Detail \\\\
        \\midrule
        PASS & a\\_1: 50\\% & y \\\\
        \\bottomrule
        \\end{tabular}
        """
        cells = [[s.status, f"{latex_escape(s.name)}: {latex_escape(s.statement)}", latex_escape(s.detail)]
                 for s in self.steps]
        return "\n".join(fit_tabular(["Status", "Step", "Detail"], cells, "lll", LINE_WIDTH_PT - INDENT_PT,
                                      PAGE_HEIGHT_PT))


def _fmt(v) -> str:
    if isinstance(v, (list, tuple)):
        return ",".join(map(str, v))
    return str(v)


def latex_escape(text: str) -> str:
    """Escape LaTeX special characters in plain text.

    Examples
    --------
    >>> latex_escape("a_b & 5% {x}")
    'a\\\\_b \\\\& 5\\\\% \\\\{x\\\\}'
    >>> print(latex_escape("K >= 2, 1 <= Z, a > b"))
    K $\\geq$ 2, 1 $\\leq$ Z, a \\textgreater{} b
    """
    check_type(text, "text", str, "a string")
    repl = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
    out, i = [], 0
    while i < len(text):  # the default font encoding (OT1) prints < > | as other glyphs: use their commands
        pair = text[i:i + 2]
        if pair in (">=", "<="):
            out.append(r"$\geq$" if pair == ">=" else r"$\leq$")
            i += 2
            continue
        out.append(repl.get(text[i], text[i]))
        i += 1
    return "".join(out)

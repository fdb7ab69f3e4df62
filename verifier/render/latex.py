"""LaTeX tabulars that fit the text width of a one-column article: wrap, stack headers, or split.

Every LaTeX table the package writes goes through :func:`fit_tabular`. It estimates the printed width of each
column from its LaTeX source (Computer Modern at 10 pt: about 5 pt a digit or lower-case letter, 7.5 pt a
capital), and, when the natural layout is wider than :data:`LINE_WIDTH_PT` (the ``\\textwidth`` of a 10 pt
one-column ``article``, 345 pt), it (1) stacks multi-word headers over several lines, (2) turns columns whose
cells can break (spaces, commas) into ragged ``p`` columns, and (3) splits the columns into several tabulars
stacked one under the other, each repeating the first column. Long digit runs get break points. The
estimate is deliberately generous; the test suite compiles the results with pdflatex and checks the log for
overfull boxes. The result needs only ``\\usepackage{booktabs}``.

Examples
--------
>>> print("\\n".join(fit_tabular(["$N$", "rank"], [["$8$", "$16$"]], "rr")))
\\begin{tabular}{rr}
\\toprule
$N$ & rank \\\\
\\midrule
$8$ & $16$ \\\\
\\bottomrule
\\end{tabular}
>>> wide = fit_tabular(["step", "detail"], [["(a)", "word " * 200]], "ll")
>>> wide[0]
'\\\\begin{tabular}{lp{301.0pt}}'
"""

from __future__ import annotations

import re

#: ``\textwidth`` of a one-column 10 pt ``article`` (letter or A4), in points.
LINE_WIDTH_PT = 345.0
#: Space LaTeX puts around every column (``2 \tabcolsep``), in points.
COLUMN_SEP_PT = 12.0
#: Narrowest ``p`` column made when wrapping, in points.
MIN_WRAP_PT = 60.0
#: Paragraph indentation of an article (a bare tabular starts a paragraph), in points.
INDENT_PT = 15.0
#: Tallest tabular a page of a one-column article holds comfortably, in points.
PAGE_HEIGHT_PT = 450.0

_COMMAND = re.compile(r"\\([a-zA-Z]+|.)")


def text_width(tex: str) -> float:
    """Estimated printed width (points) of one line of LaTeX source, generous rather than tight.

    Examples
    --------
    >>> text_width("rank"), text_width("$2^{16}$") < text_width("65536")
    (20.0, True)
    """
    width, i, depth, pending = 0.0, 0, [], False
    while i < len(tex):
        ch = tex[i]
        scale = 0.7 if depth or pending else 1.0
        if ch == "\\":
            m = _COMMAND.match(tex, i)
            name = m.group(1)
            i = m.end()
            if name in ("textless", "textgreater"):
                width += 5.5 * scale
            elif name in (",", ";", " "):
                width += 2.5
            elif name in ("dots", "ldots", "cdots"):
                width += 12.0 * scale
            elif name not in _INVISIBLE:
                width += 8.0 * scale  # \cdot, \geq, \sigma, \sum, \sqrt, \textbackslash, ...
            pending = False
            continue
        i += 1
        if ch in "^_":
            pending = True
            continue
        if ch == "{":
            depth.append(pending)
            pending = False
            continue
        if ch == "}":
            if depth:
                depth.pop()
            continue
        pending = False
        if ch == "$":
            continue
        width += (7.5 if ch.isupper() or ch in "%&#@" else 5.0) * scale
    return width


_INVISIBLE = frozenset(("frac", "mathrm", "textbf", "emph", "allowbreak", "left", "right", "raggedright",
                        "raggedleft", "tabularnewline", "mathit", "text", "begin", "end"))


def _segments(tex: str) -> list:
    """Split LaTeX source at spaces outside math (``$..$``): the words a header may be stacked by."""
    words, cur, math = [], "", False
    for ch in tex:
        if ch == "$":
            math = not math
        if ch == " " and not math:
            if cur:
                words.append(cur)
            cur = ""
        else:
            cur += ch
    return words + ([cur] if cur else [])


def _breakable(tex: str) -> str:
    """``tex`` with break points: after commas (also in math) and inside digit runs of more than 12 digits."""
    tex = re.sub(r",(?!\\allowbreak)", r",\\allowbreak{}", tex)
    return re.sub(r"\d{13,}", lambda m: "\\allowbreak{}".join(m.group(0)[k:k + 10]
                                                             for k in range(0, len(m.group(0)), 10)), tex)


def _stack(header: str, width: float) -> str:
    """A header stacked over lines of at most ``width`` points (a nested one-column tabular)."""
    lines, cur = [], ""
    for word in _segments(header):
        trial = f"{cur} {word}" if cur else word
        if cur and text_width(trial) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    lines.append(cur)
    return header if len(lines) == 1 else "\\begin{tabular}[b]{@{}c@{}}" + " \\\\ ".join(lines) + "\\end{tabular}"


def _plain(headers, rows, aligns) -> list:
    lines = [f"\\begin{{tabular}}{{{''.join(aligns)}}}", "\\toprule", " & ".join(headers) + " \\\\", "\\midrule"]
    lines += [" & ".join(r) + " \\\\" for r in rows]
    return lines + ["\\bottomrule", "\\end{tabular}"]


def fit_tabular(headers, rows, aligns, width: float = LINE_WIDTH_PT, max_height: float | None = None) -> list:
    """Lines of one or more booktabs tabulars showing ``rows`` under ``headers`` within ``width`` points.

    Parameters
    ----------
    headers : list of str
        LaTeX source of each column's header.
    rows : list of list of str
        LaTeX source of each cell.
    aligns : str or list of str
        ``l``, ``r`` or ``c`` per column.
    width : float
        Available width in points (default the one-column article's text width).
    max_height : float, optional
        When wrapped rows would make a tabular taller than this (points), the rows are split over several
        tabulars (a tabular cannot break across pages); none by default.

    Returns
    -------
    list of str
        Several tabulars (separated by ``\\par\\medskip``) when the columns had to be split; the first column
        is repeated in each.
    """
    aligns = list(aligns)
    n = len(aligns)
    body = [max([text_width(r[j]) for r in rows] + [0.0]) for j in range(n)]
    head = [text_width(h) for h in headers]
    if sum(max(b, h) for b, h in zip(body, head)) + COLUMN_SEP_PT * n <= width:
        return _plain(headers, rows, aligns)
    word = [max([text_width(w) for w in _segments(h)] + [0.0]) for h in headers]
    need = [max(b, w, 10.0) for b, w in zip(body, word)]
    stacked = [_stack(h, nd) for h, nd in zip(headers, need)]
    if sum(need) + COLUMN_SEP_PT * n <= width:
        return _plain(stacked, rows, aligns)
    wrap = [j for j in range(n) if need[j] > MIN_WRAP_PT and any(" " in r[j] or "," in r[j] for r in rows)]
    fixed = sum(need[j] + COLUMN_SEP_PT for j in range(n) if j not in wrap)
    room = width - fixed - COLUMN_SEP_PT * len(wrap)
    if wrap and room >= MIN_WRAP_PT * len(wrap):
        total = sum(need[j] ** 0.5 for j in wrap)  # square roots: a long column does not starve a shorter one
        share = {j: max(MIN_WRAP_PT, round(room * need[j] ** 0.5 / total, 0)) for j in wrap}
        over = sum(share.values()) - room
        if over > 0:  # rounding up to MIN_WRAP_PT: take it back from the widest
            widest = max(wrap, key=lambda j: share[j])
            share[widest] -= over
        spec, cells = [], [list(r) for r in rows]
        heads = list(stacked)
        for j in range(n):
            if j in share:
                w = min(share[j], need[j] + 1.0)
                spec.append(f"p{{{w:.1f}pt}}")
                flush = "\\raggedleft " if aligns[j] == "r" else "\\raggedright "
                heads[j] = flush + _stack(headers[j], w)
                for r in cells:
                    r[j] = flush + _breakable(r[j])
            else:
                spec.append(aligns[j])
        widths = {j: min(share[j], need[j] + 1.0) for j in share}
        chunks, cur, used = [], [], 0.0
        for r, orig in zip(cells, rows):
            lines = max(-(-int(text_width(orig[j]) * 1.15) // int(widths[j])) for j in widths)
            h = 12.0 * max(lines, 1) + 3.0
            if cur and max_height is not None and used + h > max_height:
                chunks.append(cur)
                cur, used = [], 0.0
            cur.append(r)
            used += h
        chunks.append(cur)
        out = []
        for chunk in chunks:
            out += (["\\par\\medskip"] if out else []) + [
                f"\\begin{{tabular}}{{{''.join(spec)}}}", "\\toprule", " & ".join(heads) + " \\tabularnewline",
                "\\midrule"] + [" & ".join(r) + " \\tabularnewline" for r in chunk] + ["\\bottomrule", "\\end{tabular}"]
        return out
    if n <= 2:  # nothing left to split: add break points and hope (the compile test watches this)
        return _plain(stacked, [[_breakable(c) for c in r] for r in rows], aligns)
    groups, cur, used = [], [], need[0] + COLUMN_SEP_PT
    for j in range(1, n):
        if cur and used + need[j] + COLUMN_SEP_PT > width:
            groups.append(cur)
            cur, used = [], need[0] + COLUMN_SEP_PT
        cur.append(j)
        used += need[j] + COLUMN_SEP_PT
    groups.append(cur)
    if len(groups) == 1:  # one column too wide on its own beside the first: split it off alone
        groups = [[j] for j in range(1, n)]
    out = []
    for g in groups:
        cols = [0] + g
        part = fit_tabular([headers[j] for j in cols], [[r[j] for j in cols] for r in rows],
                           [aligns[j] for j in cols], width, max_height)
        out += (["\\par\\medskip"] if out else []) + part
    return out

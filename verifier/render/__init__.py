"""Rendering of results: :class:`~verifier.render.reports.Report` objects of PASS/FAIL steps and the
exact-number :mod:`.tables`, each as text, JSON, Markdown and LaTeX. Nothing here computes mathematics.
"""

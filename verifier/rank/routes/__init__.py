"""The rank routes as a registry (the pattern of opt_einsum's ``paths`` and networkx's ``flow_func``).

Each route is a module with one :class:`~verifier.rank.routes.base.Route`: ``estimate(job)`` says whether it
applies and at what estimated cost, ``run(job)`` returns the bounds (a
:class:`~verifier.exact.certify.RankCertificate`), ``evidence(...)`` the structured evidence of a report's
bounds for the certificate writer. ``auto`` (:func:`solve`) runs the routes that apply, cheapest first (ties, and
every cost below :data:`~verifier.rank.routes.base.SMALL_ENTRIES`, in registry order: the simplest evidence
first), until one certifies; when none does it returns the narrowest valid bounds, and when no route answers at
all it refuses in one line naming every route and why it did not answer.

========================  ===================================================================  ==================
route                     applies                                                              estimated cost
========================  ===================================================================  ==================
``structure``             weights with Kronecker factors (Lemmas K and R)                      0
``reduced``               leaves with ``r_0 < M`` channels of full column rank (Lemma R)       ``r_0^N``
``dense``                 ``[A]`` mod p within the memory budget                               ``M^N``
``pair-diagonal``         binary deep net, every level-1 pair split (Lemma D)                  ``r_0^(N/2)``
``blocks``                any deep net, factors of full column rank (Lemma B)                  ``M^(N/2)``
``compressed``            modes consecutive in the tree; no certificate format                 ``M^N``
========================  ===================================================================  ==================

Examples
--------
>>> from verifier.nets.architectures import DeepArch
>>> from verifier.nets.weights import random_weights
>>> from verifier.exact.tensors import parse_partition
>>> from verifier.exact.engines import get_engine
>>> w = random_weights(DeepArch(N=32, M=2, widths=(2, 2, 2, 2, 2)), seed=0)
>>> job = Job(w, parse_partition("low-high", 32), 0, get_engine(), 2**33)
>>> [(name, e.cost, e.why) for name, e in estimates(job)][2:]
[('dense', None, '137438953472 bytes, budget 8589934592'), ('pair-diagonal', None, 'a level-1 pair unsplit'), ('blocks', 0, ''), ('compressed', 4294967296, '')]
>>> name, cert = solve(job, "auto")
>>> name, cert.rank
('blocks', 2)
"""

from __future__ import annotations

from ...errors import SizeLimitError, invalid
from ...exact.certify import RankCertificate
from . import blocks, compressed, dense, pair_diagonal, reduced, structure
from .base import Estimate, Job, NotAnswered, Route, dense_certificate, structural_upper_bounds

#: The routes, in the order ``auto`` breaks ties in.
REGISTRY: dict[str, Route] = {r.name: r for r in (structure.ROUTE, reduced.ROUTE, dense.ROUTE, pair_diagonal.ROUTE,
                                                  blocks.ROUTE, compressed.ROUTE)}
ROUTES = ("auto", *REGISTRY)

__all__ = ["REGISTRY", "ROUTES", "Estimate", "Job", "NotAnswered", "Route", "dense_certificate", "estimates",
           "solve", "structural_upper_bounds"]


def estimates(job: Job) -> list[tuple[str, Estimate]]:
    """Every route's estimate for ``job``, in registry order."""
    return [(name, route.estimate(job)) for name, route in REGISTRY.items()]


def solve(job: Job, route: str = "auto") -> tuple[str, RankCertificate]:
    """``(route name, bounds)`` for ``job``: the named route, or ``auto``'s choice (module docstring).

    Raises
    ------
    InvalidArgumentError
        A forced route that does not apply (the message says which routes do).
    SizeLimitError
        ``auto``, when no route answers (one line naming each route and why).
    """
    if route != "auto":
        chosen = REGISTRY[route]
        try:
            return route, chosen.run(job, forced=True)
        except NotAnswered as exc:
            raise invalid("route", chosen.refusal + (f" ({exc.detail})" if exc.detail else ""), route) from None
    tried, best = [], None
    order = []
    for i, (name, est) in enumerate(estimates(job)):
        if est.cost is None:
            tried.append((i, f"{name}: {est.why}"))
        else:
            order.append((est.cost, i, name))
    for _, i, name in sorted(order):
        try:
            cert = REGISTRY[name].run(job)
        except NotAnswered as exc:
            tried.append((i, f"{name}: {exc.why}"))
            continue
        except SizeLimitError:
            tried.append((i, f"{name}: over the memory budget"))
            continue
        if cert.certified:
            return name, cert
        tried.append((i, f"{name}: not certified"))
        if best is None or cert.upper.value - cert.lower.value < best[1].upper.value - best[1].lower.value:
            best = (name, cert)
    if best is not None:
        return best
    raise SizeLimitError("Arguments 'N', 'M': no route answers (" + "; ".join(t for _, t in sorted(tried)) + ").")

"""The certified rank of a matricization of a network's coefficient tensor (:mod:`.matricization`: the
routes ``structure``, ``reduced`` and ``dense``, and the structural upper bounds valid for all weights) and
the Kronecker structure behind the ``structure`` route (:mod:`.structure`, Lemmas K and R).
"""

"""The exceptional (measure-zero) set of Theorem 1: a maximal minor of ``[A]`` as a polynomial in the
weights, factored (:mod:`.polynomial`); sampling of deficiency rates against Schwartz-Zippel
(:mod:`.sampling`); and the check that puts them together (:mod:`.measure_zero`).
"""

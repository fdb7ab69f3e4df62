"""Exact arithmetic that knows nothing of networks: numbers and primes (:mod:`.fields`), the BLAS-speed
rank kernel over GF(p) (:mod:`.modular`), the interchangeable rank engines (:mod:`.engines`), certified
rank bounds of a matrix (:mod:`.certify`), rigorous enclosures of real numbers (:mod:`.enclosures`), and
tensors with their partitions and matricizations (:mod:`.tensors`).
"""

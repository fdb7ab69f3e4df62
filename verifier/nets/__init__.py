"""The networks: mode trees, i.e. the pooling geometry (:mod:`.trees`); architectures, shallow, deep and
depth-``L_c`` (:mod:`.architectures`); weights, random, witnesses, explicit, symbolic (:mod:`.weights`);
the coefficient tensors of the CP and Hierarchical Tucker forms, exact and mod p (:mod:`.coefficients`);
and the forward evaluation of the network itself (:mod:`.evaluate`).
"""

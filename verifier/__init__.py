"""convac-verifier."""

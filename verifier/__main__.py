"""``python -m verifier``: the same as the ``verifier`` command."""

from .cli import entry

if __name__ == "__main__":  # pragma: no cover
    entry()

"""Subcommands of the ``verifier`` command line; each module has ``register(subparsers)`` that adds
its parser and sets ``func`` (``args -> exit code``). Add a module here to add a subcommand."""

COMMANDS = ("rank", "weights", "prove", "zero_set", "measure_zero", "approx", "table", "theorem2")

"""Errors a user can cause on the command line (bad options, unusable paths).

Kept in a module of its own so that every command module raises the same class
that ``timeline_sim.cli.main`` catches, however the CLI was started.
"""


class UsageError(Exception):
    """A bad option or an unusable path given on the command line."""

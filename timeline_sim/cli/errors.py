"""Errors a user can cause on the command line (bad options, unusable paths).

Kept in a module of its own so that every command module raises the same class
that ``timeline_sim.cli.main`` catches, however the CLI was started.
"""


class UsageError(Exception):
    """A bad option or an unusable path given on the command line."""


def whole_number(minimum: int):
    """An argparse type for whole numbers of at least ``minimum``, with a plain message."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            if minimum == 0:
                raise argparse.ArgumentTypeError(f"{text} is negative; give 0 or more")
            raise argparse.ArgumentTypeError(f"{text} must be at least {minimum}")
        return value

    return parse


class Interrupted(Exception):
    """A study stopped by Ctrl-C; ``hint`` says how to finish it."""

    def __init__(self, hint: str):
        super().__init__(hint)
        self.hint = hint


def require(module: str, purpose: str) -> None:
    """Refuse plainly when an optional library is missing (the ``inference`` extra)."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UsageError(
            f"{purpose} needs the {module} package, which is not installed: "
            "python -m pip install '.[inference]' (the test command installs it)"
        )

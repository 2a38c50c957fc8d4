"""Named random streams derived from one seed.

Each process draws from its own ``numpy.random.Generator``, derived from the
run's ``SeedSequence`` and a stable hash of the stream's name. Two runs that
share a seed therefore share every stream, and a counterfactual that changes
one track leaves the draws of the others untouched (common random numbers).
"""

from __future__ import annotations

import functools
import zlib

import numpy as np


@functools.lru_cache(maxsize=4096)
def stream_key(name: str) -> int:
    """The spawn-key word of stream ``name``: the CRC-32 of its UTF-8 bytes."""
    return zlib.crc32(name.encode("utf-8"))


class RandomStreams:
    """Factory of independent, reproducible generators keyed by name."""

    def __init__(self, seed: int | np.random.SeedSequence):
        self.root = (
            seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        )
        self._cache: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        """The generator of stream ``name`` (created on first use, then reused)."""
        rng = self._cache.get(name)
        if rng is None:
            root = self.root
            child = np.random.SeedSequence(
                entropy=root.entropy, spawn_key=(*root.spawn_key, stream_key(name))
            )
            # what default_rng(child) builds, without its dispatch on the argument's type
            rng = self._cache[name] = np.random.Generator(np.random.PCG64(child))
        return rng


class BufferedDraws:
    """Random numbers from one generator, drawn in blocks (cheaper than one at a time).

    The sequence depends only on the generator, so runs stay reproducible.
    """

    def __init__(self, rng, block: int = 128):
        self.rng = rng
        self.block = block
        self._exp = rng.standard_exponential(block)
        self._norm = rng.standard_normal(block)
        self._i = self._j = 0

    def exponential(self) -> float:
        """The next unit exponential draw."""
        if self._i == self.block:
            self._exp, self._i = self.rng.standard_exponential(self.block), 0
        self._i += 1
        return float(self._exp[self._i - 1])

    def normal(self) -> float:
        """The next standard normal draw."""
        if self._j == self.block:
            self._norm, self._j = self.rng.standard_normal(self.block), 0
        self._j += 1
        return float(self._norm[self._j - 1])

"""A pyabc sampler whose result depends on the seed alone.

pyabc's parallel samplers keep the particles that finish first and reseed their
workers from the operating system, so a run cannot be repeated. Here a
generation is cut into numbered tasks of a few particles; task ``i`` of
generation ``t`` draws from a stream derived from ``(seed, t, i)`` alone; tasks
are read back in their order and the generation keeps the first ``n`` accepted
particles in that order. The result is the same with one worker, two, or a Dask
cluster of one-thread workers, and after a resume.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyabc.sampler import Sampler

_TASK = 8  # particles per task


def _seed_legacy_generator(seq: np.random.SeedSequence) -> None:
    """Seed numpy's legacy global generator, which pyabc and scipy.stats draw from.

    pyabc proposes particles with ``np.random`` and scipy's default random
    state; inside a task that state is set from the task's own stream, so a
    task's draws depend only on (seed, generation, task). The model itself never
    draws from it: each evaluation seeds its own generators.
    """
    np.random.set_state(np.random.RandomState(np.random.MT19937(seq)).get_state())


_LOADED: dict[bytes, Callable] = {}


def _run_task(payload: bytes, seed: int, t: int, index: int, size: int) -> list:
    """Particles ``index * size`` ... of generation ``t`` (run in a worker)."""
    digest = hashlib.sha1(payload).digest()
    if digest not in _LOADED:  # one unpickling per generation and worker
        _LOADED.clear()
        _LOADED[digest] = pickle.loads(payload)
    simulate_one = _LOADED[digest]
    _seed_legacy_generator(np.random.SeedSequence([seed, 53_617, t + 1, index]))
    return [simulate_one() for _ in range(size)]


@dataclass
class _Done:
    """The particles of a task run in the calling process."""

    particles: list

    def result(self) -> list:
        return self.particles


class OrderedSampler(Sampler):
    """A pyabc sampler whose result depends on the seed alone (see the module's doc)."""

    def __init__(
        self,
        seed: int,
        workers: int = 1,
        scheduler: str | None = None,
        task: int = _TASK,
        progress: bool = False,
    ):
        super().__init__()
        self.seed, self.workers, self.scheduler, self.task = seed, workers, scheduler, task
        self.progress = progress
        self._pool: Any = None
        self._client: Any = None
        self._slots = 1

    def _connect(self):
        """The cluster's client; refused unless every worker runs one thread.

        A task seeds numpy's process-wide generator, from which pyabc draws: two
        threads of one worker process would draw from it at once.
        """
        from timeline_sim.studies.backends import connect
        from timeline_sim.studies.spec import StudyError

        client = connect(self.scheduler)
        threads = client.nthreads()
        if not threads or any(n != 1 for n in threads.values()):
            client.close()
            raise StudyError(
                f"--scheduler {self.scheduler}: ABC-SMC needs workers of one thread each "
                f"(dask worker ADDR --nthreads 1); the cluster has {sorted(threads.values())}"
            )
        self._slots = len(threads)
        return client

    def _submit(self, task: tuple):
        """Start one task; return something whose ``.result()`` is its particles."""
        if self.scheduler:
            if self._client is None:
                self._client = self._connect()
            return self._client.submit(_run_task, *task, pure=False)
        if self.workers > 1:
            if self._pool is None:
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(self.workers)
            return self._pool.submit(_run_task, *task)
        return _Done(_run_task(*task))

    def _window(self) -> int:
        """Tasks kept in flight: four per worker, one when tasks run in this process."""
        if self.scheduler:
            if self._client is None:
                self._client = self._connect()
            return 4 * self._slots
        return 4 * self.workers if self.workers > 1 else 1

    def stop(self) -> None:
        """Close the worker pool or the cluster connection."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):
        payload = pickle.dumps(simulate_one)
        sample = self._create_empty_sample()
        window = self._window()  # tasks in flight; read back in their order
        state = np.random.get_state() if not self.scheduler and self.workers == 1 else None
        running: deque = deque()
        examined, index = 0, 0
        while sample.n_accepted < n and examined < max_eval:
            while len(running) < window:
                running.append(self._submit((payload, self.seed, t, index, self.task)))
                index += 1
            for particle in running.popleft().result():
                if sample.n_accepted == n or examined >= max_eval:
                    break
                sample.append(particle)
                examined += 1
        for future in running:  # tasks started past the n-th acceptance
            if hasattr(future, "cancel"):
                future.cancel()
        if state is not None:  # tasks ran here: give the caller its generator back
            np.random.set_state(state)
        if sample.n_accepted < n:
            sample.ok = False
        self.nr_evaluations_ = examined
        if self.progress and t >= 0:
            sys.stderr.write(
                f"[calibrate] generation {t}: {n} accepted of {examined:,} evaluations\n"
            )
            sys.stderr.flush()
        return sample

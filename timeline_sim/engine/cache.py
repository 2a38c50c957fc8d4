"""Memoising what a run derives from its (immutable) case, once per loaded case.

Case files load into frozen models, so anything computed from one alone (its
calendar in simulation days, its chambers' sittings, the input events it logs)
is the same in every run of it. :func:`per_case` computes such a thing once per
live object, keyed by identity (hashing a nested frozen model would cost more
than the work saved), and forgets it when the object is freed, so the per-run
copies an uncertainty layer makes do not accumulate.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def per_case(func: Callable[..., T]) -> Callable[..., T]:
    """Memoise ``func(obj, *args)`` per live ``obj`` (by identity) and hashable ``args``.

    The result is shared by every later call: callers must not mutate it.
    """
    store: dict[int, tuple[weakref.ref, dict[tuple, Any]]] = {}

    @functools.wraps(func)
    def cached(obj: Any, *args: Any) -> T:
        key = id(obj)
        entry = store.get(key)
        if entry is None or entry[0]() is not obj:

            def forget(ref: weakref.ref, key: int = key) -> None:
                if store.get(key, (None,))[0] is ref:
                    del store[key]

            entry = (weakref.ref(obj, forget), {})
            store[key] = entry
        values = entry[1]
        try:
            return values[args]
        except KeyError:
            result = values[args] = func(obj, *args)
            return result

    cached.cache_clear = store.clear  # type: ignore[attr-defined]
    return cached

"""Pause Python's cyclic garbage collector while a reader builds millions of small lists.

Those lists hold only strings, numbers and dates, so they form no cycles; but each allocation burst
triggers collections that rescan the whole growing heap, which makes reading a long file superlinear.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Disable the cyclic collector inside the block (restoring the previous state after it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

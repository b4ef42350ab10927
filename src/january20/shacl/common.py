"""What every module of the validator shares: the refusal that hands a run over to pySHACL, and the pause of the
cycle collector around building and using the indexes."""

from __future__ import annotations

import gc
from contextlib import contextmanager


class Unsupported(Exception):
    """The shapes (or the data) need something this engine does not implement: validate with pySHACL instead."""


@contextmanager
def collector_paused():
    """The indexes live to the end of the validation and hold no cycles: the cycle collector would only scan them
    again and again while they are made and used (a fifth of the time at a million triples). Nested, only the
    outermost turns it back on (and so runs it once over what was made meanwhile, not once per block)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

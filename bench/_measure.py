"""Shared set-up and peak-memory helpers for the scripts in bench/ (not a test module).

Peak resident memory is read from the kernel: ``ru_maxrss`` and ``VmHWM`` are high-water
marks, and writing ``5`` to ``/proc/self/clear_refs`` (Linux) resets them to the current size,
so a measurement starts from the memory already in use instead of from whatever peak the set-up
reached. tracemalloc is reported beside them; it sees Python allocations only, not the pixel
buffers Pillow or the zlib state allocate in C.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def setup_django() -> None:
    """Make the project importable when run as ``python bench/<script>.py``, then set up Django."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esa_publish.settings")
    import django

    django.setup()


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS marks to the current RSS; False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def status_kib(field: str) -> int:
    """A ``/proc/self/status`` figure such as ``VmHWM`` or ``VmRSS``, in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def client_environment() -> None:
    """Let Django's test client talk to the project as production would render it.

    ``setup_test_environment`` allows the test client's host and keeps outgoing mail in memory,
    which the benchmarks need, but it also wraps every template render to send a signal for
    test assertions: a cost no server pays, about a third of a list page's rendering time.
    That wrapper is taken off again here.
    """
    from django.template import Template
    from django.test.utils import _TestState, setup_test_environment

    setup_test_environment()
    Template._render = _TestState.saved_data.template_render

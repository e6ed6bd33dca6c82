"""Process facts needed for honest start-up timing (from process creation, not from some later import)."""

from __future__ import annotations

import os
import time


def process_age_ms() -> float | None:
    """Milliseconds since this process was created (Linux /proc), or None where that is not available."""
    try:
        with open(f"/proc/{os.getpid()}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat: starttime in clock ticks after boot
        with open("/proc/uptime") as f:
            uptime_s = float(f.read().split()[0])
        return (uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0
    except (OSError, ValueError, IndexError):
        return None


def ms_since(t0_perf: float) -> float:
    """Start-up time: the process age when known, else the time since `t0_perf` (a perf_counter reading)."""
    age = process_age_ms()
    return age if age is not None else (time.perf_counter() - t0_perf) * 1000.0

"""A small text progress bar for the command line (no extra dependency)."""

from __future__ import annotations

import time
from typing import Any, TextIO


class ProgressBar:
    """`bar(done, total)` redraws at most ten times a second; `finish()` ends the line."""

    def __init__(self, stream: TextIO | Any, label: str, width: int = 30) -> None:
        self.stream, self.label, self.width = stream, label, width
        self.started = time.monotonic()
        self.drawn_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn_at < 0.1 and done < total:
            return
        self.drawn_at = now
        share = done / total if total else 1.0
        filled = int(self.width * share)
        rate = done / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done:,}/{total:,} rows {share:4.0%} {rate:,.0f} rows/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()

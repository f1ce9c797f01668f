"""A plain progress bar for long management commands (on stderr, so output stays clean)."""

import sys
import time


class ProgressBar:
    def __init__(self, total: int, *, label: str = "", enabled: bool = True, stream=None):
        self.total, self.label, self.enabled = max(total, 1), label, enabled
        self.stream = stream or sys.stderr
        self.done, self.started = 0, time.monotonic()

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self.enabled:
            filled = round(30 * self.done / self.total)
            elapsed = time.monotonic() - self.started
            self.stream.write(
                f"\r{self.label}[{'#' * filled}{'.' * (30 - filled)}] "
                f"{self.done}/{self.total} {elapsed:.0f}s"
            )
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")

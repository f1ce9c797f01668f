"""What an import did: counts per kind and outcome, and the problems to look at."""

from collections import Counter
from dataclasses import dataclass, field

OUTCOMES = ("imported", "updated", "unchanged", "skipped", "missing", "failed")
KINDS = ("authors", "sections", "tags", "images", "posts", "pages", "menus", "comments", "other")


@dataclass
class Problem:
    kind: str
    wp_id: str
    title: str
    message: str

    def __str__(self) -> str:
        title = f" “{self.title}”" if self.title else ""
        item = f"{self.kind} {self.wp_id}" if self.wp_id != "-" else self.kind
        return f"{item}{title}: {self.message}"


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def count(self, kind: str, outcome: str, amount: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += amount

    def problem(self, kind: str, wp_id: str, title: str, message: str) -> None:
        self.problems.append(Problem(kind, wp_id, title, message))

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    def lines(self) -> list[str]:
        heading = "Dry run: nothing was saved. " if self.dry_run else ""
        lines = [f"{heading}WordPress import report", ""]
        lines.append(f"{'':<10}" + "".join(f"{o:>11}" for o in OUTCOMES))
        for kind, counter in self.counts.items():
            if any(counter.values()):
                lines.append(f"{kind:<10}" + "".join(f"{counter[o]:>11}" for o in OUTCOMES))
        lines.append("")
        if self.problems:
            lines.append(f"Problems ({len(self.problems)}):")
            lines.extend(self._problem_lines())
        else:
            lines.append("No problems.")
        return lines

    def _problem_lines(self) -> list[str]:
        """One line per distinct problem, in the order first met, with how many times it
        happened: a post with forty cover blocks is one line to read, not forty."""
        repeats = Counter(str(problem) for problem in self.problems)
        return [
            f"  - {text}" + (f" (×{count})" if count > 1 else "") for text, count in repeats.items()
        ]

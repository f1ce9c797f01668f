"""The newsletter modules import one another in layers, never in a circle (each module's
imports, at the top or inside a function, read from its source)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "newsletters"


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The app's modules that this one imports, by `from . import x`, `from .x import y` or
    `from newsletters(.x) import y`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1 or node.module == "newsletters":
            named = node.module if node.level == 1 else None
            found |= {named.split(".")[0]} if named else {alias.name for alias in node.names}
        elif node.module and node.module.startswith("newsletters."):
            found.add(node.module.split(".")[1])
    return (found & modules) - {path.stem}


def test_no_newsletter_module_imports_itself_through_others():
    modules = {path.stem for path in APP.glob("*.py")}
    graph = {path.stem: imports_of(path, modules) for path in APP.glob("*.py")}
    assert graph["tasks"] and graph["issues"], "the reader found no imports: it proves nothing"

    def circle_from(start):
        stack = [(start, [start])]
        seen = set()
        while stack:
            module, path = stack.pop()
            for imported in graph[module]:
                if imported == start:
                    return path + [start]
                if imported not in seen:
                    seen.add(imported)
                    stack.append((imported, path + [imported]))
        return None

    circles = [circle for module in graph if (circle := circle_from(module))]
    assert not circles, "import circles: " + "; ".join(" -> ".join(c) for c in circles)

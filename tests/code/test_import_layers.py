"""Our modules import one another in layers, never in a circle (an import at the top of a
module or inside a function counts alike), and the domain never imports the desk's pages."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["articles", "caching", "contact", "desk", "devtools", "media", "menus", "newsletters",
        "newsroom", "pages", "sections", "wordpress"]  # fmt: skip


def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict) -> set[str]:
    """The project modules `name` imports (the module itself, or the names it takes from a
    package when they are modules)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{module}.{alias.name}" in known:
                    found.add(f"{module}.{alias.name}")
                elif module in known:
                    found.add(module)
    return found - {name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_no_module_imports_itself_through_others():
    found = graph()
    assert "articles.models" in found["desk.admin"], (
        "the reader found no imports: it proves nothing"
    )
    assert circles(found) == []


def test_the_reader_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_domain_does_not_import_the_desks_pages():
    """articles, media and sections are below the desk: they may tell the desk's people
    (notifications) and keep working copies, never reach its views, forms or admin."""
    pages = {name for name in graph() if name.startswith("desk.")} - {
        "desk", "desk.models", "desk.notifications", "desk.working_copies",
    }  # fmt: skip
    for name, imported in graph().items():
        # An app's admin.py is the desk's page for it, registered where Django looks.
        if name.split(".")[0] in ("articles", "media", "pages", "sections", "caching") and not (
            name.endswith(".admin")
        ):
            assert not imported & pages, f"{name} imports {sorted(imported & pages)}"

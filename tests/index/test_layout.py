"""The shape of index/: imports point one way, no cycles, folders stay small.

The import graph is read from the source with ``ast`` (every import that can run, also the
lazy ones inside functions), so these tests see what a newcomer reads, not what happens to
be loaded by the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import index

ROOT = Path(index.__file__).parent
# Sub-packages in flow order: each may import the shared top-level modules and the
# sub-packages before it, never one after it.
LAYERS = ["ingest", "store", "retrieval", "building"]
MAX_MODULES = 12
FORBIDDEN = ("bot", "discord", "openai", "llama_index.llms")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks never run)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_imports_of_skips_type_checking_blocks(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import a\nif TYPE_CHECKING:\n    import b\ndef f():\n    from c import d\n")
    assert imports_of(module) == {"a", "c", "c.d"}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    return {m: {i for i in imports_of(p) if i in modules and i != m} for m, p in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (as a path that ends where it starts), or [] when there is none."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def layer(module: str) -> int:
    """-1 for the shared top-level modules, else the sub-package's place in LAYERS."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 or parts[-1] in LAYERS else -1


def test_find_cycle_sees_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_index_has_no_import_cycle() -> None:
    assert find_cycle(import_graph()) == []


def test_sub_packages_import_only_earlier_layers() -> None:
    wrong = [
        f"{m} -> {d}"
        for m, deps in import_graph().items()
        for d in deps
        if layer(d) > layer(m) or (layer(d) == layer(m) >= 0 and d.split(".")[1] != m.split(".")[1])
    ]
    assert wrong == []


def test_index_never_imports_the_bot_or_an_llm_client() -> None:
    wrong = [
        f"{module_name(p)} -> {i}"
        for p in ROOT.rglob("*.py")
        for i in imports_of(p)
        if i.startswith(FORBIDDEN)
    ]
    assert wrong == []


def test_only_the_store_backend_imports_chromadb() -> None:
    users = {module_name(p) for p in ROOT.rglob("*.py") if "chromadb" in imports_of(p)}
    assert users == {"index.store.backend"}


def test_no_folder_holds_more_than_a_dozen_modules() -> None:
    for folder in [ROOT, *(p for p in ROOT.iterdir() if (p / "__init__.py").exists())]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= MAX_MODULES, folder


def test_every_package_says_what_it_does() -> None:
    for init in ROOT.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 8, init

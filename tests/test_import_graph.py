"""The layout's rules, read from the source with `ast`: `bot` → `index` only, no import
cycles (imports inside functions and under TYPE_CHECKING count too), small folders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "index")
MAX_MODULES_PER_FOLDER = 12  # issue 12: "no folder holds more than ~12 modules"


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every module of `bot` and `index`."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its file (a package's own imports of
    its `__init__` are left out: every submodule import runs it, and ours hold no code)."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in known else base)
    return {t for t in targets if t in known and t != name and t not in PACKAGES}


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {name: imports_of(path, name, known) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_sees_the_project() -> None:
    """The reader finds real edges (an empty graph would pass every rule below)."""
    graph = import_graph()
    assert "bot.answering.engine" in graph["bot.cli.app"]
    assert "index.types" in graph["bot.answering.types"]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_a_cycle_is_reported() -> None:
    """The cycle finder itself: a → b → c → a is one cycle, d → a is not part of it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_index_never_imports_bot() -> None:
    wrong = {
        name: sorted(t for t in targets if t.startswith("bot"))
        for name, targets in import_graph().items()
        if name.startswith("index")
    }
    assert {name: targets for name, targets in wrong.items() if targets} == {}


def third_party_users(prefix: str) -> set[str]:
    """The modules of `bot` that import `prefix` (a library) anywhere in their file."""
    users = set()
    for name, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            if any(n == prefix or n.startswith(prefix + ".") for n in names):
                users.add(name)
    return users


def test_each_outside_world_has_one_door() -> None:
    """discord.py only in bot.discord; an LLM client only in bot.answering.llm; the CLI
    framework only in bot.cli (DESIGN.md: "Only bot/llm.py builds an LLM")."""
    assert {m for m in third_party_users("discord") if not m.startswith("bot.discord")} == set()
    assert third_party_users("llama_index.llms") == {"bot.answering.llm"}
    assert {m for m in third_party_users("typer") if not m.startswith("bot.cli")} == set()


@pytest.mark.parametrize("package", ["bot"])
def test_folders_stay_small(package: str) -> None:
    crowded = {
        str(folder.relative_to(REPO)): count
        for folder in [REPO / package, *(REPO / package).rglob("*/")]
        if folder.is_dir() and "__pycache__" not in folder.parts
        if (count := len([p for p in folder.glob("*.py") if p.name != "__init__.py"]))
        > MAX_MODULES_PER_FOLDER
    }
    assert crowded == {}

"""No import cycles inside `genai_gate`, read statically from the source with `ast`.

The graph has one node per module (a package is its `__init__`). Edges are the `import` and
`from ... import` statements of a module:

- at module level, including those under `if`/`try` and `if TYPE_CHECKING:` (a cycle through
  type hints still ties the two modules' designs together);
- inside functions and methods too: a deferred import only hides a cycle from the interpreter
  at import time, the two modules still depend on each other, so it counts like any other.

`from P import x` adds an edge to `P.x` when that is a module, and always one to `P`, whose
`__init__` runs and is read. The implicit import of a module's parent packages is not an edge
(otherwise every package whose `__init__` imports its own submodules would be a cycle).

A cycle fails the test with its modules and edges listed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "genai_gate"


def _modules(package_dir: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package), for the package in `package_dir`."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _imported(tree: ast.AST, package: str, modules: dict[str, tuple[Path, bool]]) -> set[str]:
    """The modules of `genai_gate` that the import statements anywhere in `tree` name."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    targets: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(known(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            targets.add(known(source))
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    targets.add(f"{source}.{alias.name}")
    return {t for t in targets if t is not None}


def import_graph(package_dir: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (itself excluded)."""
    modules = _modules(package_dir)
    graph = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = _imported(tree, package, modules) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(root: str) -> None:
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
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
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def _describe(cycle: frozenset[str], graph: dict[str, set[str]]) -> str:
    edges = [f"{a} -> {b}" for a in sorted(cycle) for b in sorted(graph[a] & cycle)]
    return "{" + ", ".join(sorted(cycle)) + "}: " + "; ".join(edges)


def test_no_import_cycles() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles in genai_gate:\n" + "\n".join(
        _describe(c, graph) for c in found
    )


def test_the_check_sees_cycles_through_deferred_and_type_checking_imports(tmp_path: Path) -> None:
    """The graph builder itself: one cycle (deferred import one way, TYPE_CHECKING back), and
    relative imports that form none."""
    pkg = tmp_path / "demo"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from demo import a\n",
        "a.py": "def f():\n    from demo.b import g\n",
        "b.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from demo.a import f\n",
        "c.py": "import demo.d\n",
        "d.py": "import os\n",
        "sub/__init__.py": "from . import e\n",
        "sub/e.py": "from .. import d\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    graph = import_graph(pkg)
    assert graph["demo.sub.e"] == {"demo", "demo.d"}
    assert graph["demo.c"] == {"demo.d"}
    assert cycles(graph) == [frozenset({"demo.a", "demo.b"})]

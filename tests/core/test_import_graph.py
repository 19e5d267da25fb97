"""The package graph of app/: no cycles between packages, and the core depends on no domain.

A *package* is a top-level package of app/ (``app.gigs``), each adapter under app/integrations
(``app.integrations.wechat``), or a top-level module (``app.main``, ``app.__main__``,
``app.models``: the composition roots that wire everything). Every import counts: at module level,
inside functions, and under ``if TYPE_CHECKING:`` — a type-only import still says "this package
needs to know that one", so it may not close a cycle either.

Rules:
- no package cycle (the failure prints each cycle with the import lines that make it);
- ``app.core`` imports only the standard library, third-party packages and ``app.core`` itself;
- ``app.integrations.*`` (adapters to WeChat, storage) import only ``app.core`` and their own
  package: domains use them, never the other way round, and the core does not import them either
  (``app.main`` wires them).

When a lower package needs something from a higher one, it declares an interface (a ``Protocol``
in its ``ports.py``) and ``app.main`` wires the higher package's implementation in.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# Edges (source package, target package) tolerated for now, each with the reason and the issue
# that removes it. Keep this empty: a new entry needs the lead's agreement.
ALLOWED_EDGES: frozenset[tuple[str, str]] = frozenset()

Edges = Mapping[str, Mapping[str, list[str]]]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str | None:
    """The package node of a module of app/, or None outside app/ (stdlib, third party)."""
    parts = module.split(".")
    if parts[0] != "app" or len(parts) == 1:
        return None
    if parts[1] == "integrations" and len(parts) > 2:
        return f"app.integrations.{parts[2]}"
    return f"app.{parts[1]}"


def _imported_modules(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        yield target
        if target == "app":  # `from app import main`: the name is the module
            yield from (f"app.{alias.name}" for alias in node.names)


def import_edges(root: Path = APP) -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the import sites (``path:line module``)."""
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        source = package_of(module)
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):  # every import, at any depth (functions, TYPE_CHECKING)
            for target in _imported_modules(node, module, path.name == "__init__.py"):
                package = package_of(target)
                if package is not None and package != source:
                    site = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)} {target}"
                    edges[source][package].append(site)
    return edges


def find_cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """One shortest cycle (``[a, b, …, a]``) per strongly connected component with a cycle."""
    nodes = set(graph) | {t for targets in graph.values() for t in targets}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(node: str) -> None:  # Tarjan; the graph has a few dozen nodes
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                components.append(component)

    for node in sorted(nodes):
        if node not in index:
            connect(node)
    return [_shortest_cycle(graph, component) for component in components]


def _shortest_cycle(graph: Mapping[str, Set[str]], component: set[str]) -> list[str]:
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:  # breadth first inside the component, back to start
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, ())):
                if target == start:
                    return [*paths[node], start]
                if target in component and target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def _describe(cycle: list[str], edges: Edges) -> str:
    lines = [" -> ".join(cycle)]
    for source, target in itertools.pairwise(cycle):
        sites = edges[source][target]
        more = f" (+{len(sites) - 3} more)" if len(sites) > 3 else ""
        lines.append(f"  {source} -> {target}: {', '.join(sites[:3])}{more}")
    return "\n".join(lines)


def _graph(edges: Edges) -> dict[str, set[str]]:
    return {
        source: {target for target in targets if (source, target) not in ALLOWED_EDGES}
        for source, targets in edges.items()
    }


def test_no_package_cycles() -> None:
    edges = import_edges()
    cycles = find_cycles(_graph(edges))
    report = "\n\n".join(_describe(cycle, edges) for cycle in cycles)
    assert not cycles, (
        f"package cycles in app/ (break them: move the shared piece down, or declare a port):\n"
        f"{report}"
    )


def test_allowed_edges_are_still_needed() -> None:
    edges = import_edges()
    stale = sorted(edge for edge in ALLOWED_EDGES if edge[1] not in edges.get(edge[0], {}))
    assert not stale, f"allowed edges that no import needs any more, delete them: {stale}"


def _only(package: str, allowed: Set[str]) -> list[str]:
    edges = import_edges()
    return [
        site
        for target, sites in sorted(edges.get(package, {}).items())
        if target not in allowed
        for site in sites
    ]


def test_core_imports_no_other_package_of_app() -> None:
    wrong = _only("app.core", set())
    assert not wrong, "app.core may import only stdlib, third party and app.core:\n" + "\n".join(
        wrong
    )


def test_integrations_import_only_the_core() -> None:
    integrations = [p for p in import_edges() if p.startswith("app.integrations.")]
    assert integrations, "the graph lost the integrations"
    wrong = [site for package in integrations for site in _only(package, {"app.core"})]
    assert not wrong, "app.integrations.* may import only app.core:\n" + "\n".join(wrong)


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Function-level, TYPE_CHECKING and relative imports are edges too."""
    root = tmp_path / "app"
    for package in ("alpha", "beta", "gamma", "core"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "alpha" / "a.py").write_text("def f():\n    from app.beta import b\n")
    (root / "beta" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.gamma.c\n"
    )
    (root / "gamma" / "c.py").write_text("from ..alpha import a\nfrom . import sibling\n")
    edges = import_edges(root)
    assert {s: set(t) for s, t in edges.items()} == {
        "app.alpha": {"app.beta"},
        "app.beta": {"app.gamma"},
        "app.gamma": {"app.alpha"},
    }
    (cycle,) = find_cycles(_graph(edges))
    assert cycle == ["app.alpha", "app.beta", "app.gamma", "app.alpha"]
    assert "app/alpha/a.py:2 app.beta" in _describe(cycle, edges)


def test_the_real_graph_is_read() -> None:
    """A guard against a parser that silently sees nothing."""
    edges = import_edges()
    assert "app.gigs" in edges["app.main"]  # a function-level import in _routers()
    assert "app.subsidies" in edges["app.main"]  # the ports are wired in the composition root
    assert "app.identity" in edges["app.gigs"]


# Packages at the top of the graph: they call every domain's services, and only the composition
# roots may import them (no domain depends on a page of the console or on the demo data).
TOP_LAYER = ("app.console", "app.demo", "app.privacy")
COMPOSITION_ROOTS = {"app.main", "app.__main__", "app.models"}


def test_the_top_layer_is_imported_only_by_the_composition_roots() -> None:
    wrong = [
        site
        for source, targets in sorted(import_edges().items())
        if source not in COMPOSITION_ROOTS
        for target, sites in sorted(targets.items())
        if target in TOP_LAYER and source not in TOP_LAYER
        for site in sites
    ]
    assert not wrong, (
        "only app.main / app.__main__ may import "
        + ", ".join(TOP_LAYER)
        + ":\n"
        + ("\n".join(wrong))
    )


def test_the_console_builds_no_sql_of_its_own() -> None:
    """The console calls the domains' services (the API's rules, caps, locks and audit records);
    of SQLAlchemy it may name only the session type it passes on."""
    found = []
    for path in sorted((APP / "console").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = {alias.name for alias in node.names}
                if node.module != "sqlalchemy.ext.asyncio" or names - {"AsyncSession"}:
                    found.append(f"{path.name}:{node.lineno} {node.module} {sorted(names)}")
            elif isinstance(node, ast.Import):
                found += [
                    f"{path.name}:{node.lineno} {a.name}"
                    for a in node.names
                    if a.name.startswith("sqlalchemy")
                ]
    assert not found, "app.console must call services, not build SQL:\n" + "\n".join(found)

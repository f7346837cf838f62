"""The layers point one way (the brief's "Architecture"): domain ← store ← sync, devices ← pad ← ui and
bridge, with app.py as the composition root, and no circle anywhere in the package.

Every import counts: at the top of a module, inside a function (a lazy import), and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kiosk"

BASE = frozenset({"kiosk", "files", "threads", "resources"})
"""Small modules anything may use: the package's version, atomic files, thread ownership, assets."""

LOWER = frozenset({"domain", "store", "devices", "sync", "pad"})
ROOTS = frozenset({"app", "demo", "demo_terminal", "screenshots", "cli", "__main__"})

ALLOWED: dict[str, frozenset[str]] = {
    "files": frozenset(),
    "threads": frozenset(),
    "resources": frozenset({"domain"}),
    "domain": frozenset(),
    "store": frozenset({"domain"}),
    "devices": frozenset({"domain"}),
    "sync": frozenset({"store", "domain"}),
    "pad": frozenset({"devices", "sync", "store", "domain"}),
    "bridge": LOWER,
    "config": frozenset({"domain"}),
    "logs": frozenset({"domain"}),
    "system": frozenset(),
    "technician": frozenset({"config", "logs", "system", "devices", "sync", "store", "domain"}),
    "ui": LOWER | {"technician", "config"},
    # The composition roots: app builds the pad; demo and screenshots have small roots of their own, and
    # the command line reaches them all. None of the rest may reach a root.
    "app": LOWER | {"bridge", "ui", "technician", "config", "logs", "system"},
    "screenshots": LOWER | {"ui", "config", "logs"},
    "demo": LOWER | {"app", "bridge", "ui", "technician", "config", "logs", "system"},
    "demo_terminal": LOWER | {"app", "demo", "ui", "config", "logs", "system"},
    "cli": LOWER
    | {
        "app",
        "demo",
        "demo_terminal",
        "screenshots",
        "bridge",
        "ui",
        "technician",
        "config",
        "logs",
        "system",
    },
    "__main__": frozenset({"cli"}),
}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def layer(module: str) -> str:
    """`kiosk.pad.session_flow` → `pad`; `kiosk` → `kiosk`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kiosk"


def imports(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """Every kiosk module `module` imports, anywhere in it, with the line."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        else:
            continue
        for name in targets:
            if name.split(".")[0] != "kiosk":
                continue
            target = name
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target != module:
                yield node.lineno, target


def test_every_module_has_a_layer() -> None:
    assert {layer(m) for m in MODULES} <= set(ALLOWED) | BASE


def test_imports_point_down_the_layers() -> None:
    against = []
    for module, path in sorted(MODULES.items()):
        own = layer(module)
        for line, target in imports(module, path):
            theirs = layer(target)
            if theirs == own or theirs in BASE:
                continue
            if theirs not in ALLOWED.get(own, frozenset()):
                against.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {target} ({theirs})")
    assert not against, "imports against the layers:\n" + "\n".join(against)


def test_the_sandbox_is_imported_only_by_the_commands_that_start_it() -> None:
    reaching = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] == "province" for name in names) and layer(module) not in {
                "cli",
                "demo",
                "demo_terminal",
            }:
                reaching.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not reaching, (
        f"the sandbox (province/) imported outside `kiosk sandbox` and `kiosk demo`: {reaching}"
    )


def test_there_is_no_circle_in_the_package() -> None:
    graph = {module: {target for _line, target in imports(module, path)} for module, path in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert not circles, f"modules that import each other, directly or around a circle: {circles}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from kiosk.app import PadApplication\n", "kiosk.app"),
        ("def f():\n    from kiosk.ui.window import PadWindow\n", "kiosk.ui.window"),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import kiosk.app\n", "kiosk.app"),
    ],
)
def test_the_walk_sees_every_kind_of_import(tmp_path: Path, source: str, expected: str) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert expected in {target for _line, target in imports("kiosk.store.probe", path)}

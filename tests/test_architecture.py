"""The layers hold: no import cycles, no lower layer reaching up, no library code printing."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "bulletin"

# Layers that do one job below the archive: they must not know the archive, the index's
# callers, the renderers or the command line (a change there would ripple down).
LOWER = ("bulletin.extract", "bulletin.text", "bulletin.dumps", "bulletin.readers", "bulletin.index")
UPPER = ("bulletin.archive", "bulletin.cli", "bulletin.render", "bulletin.server", "bulletin.remote")
# Only the command line (and the entry point that starts it) writes to the terminal.
TERMINAL = ("bulletin.cli", "bulletin.__main__")


def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


MODULES = _module_names()


def _owner(dotted: str) -> str | None:
    """The bulletin module an import names (a name imported from a package may be a submodule)."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _imports(name: str) -> Iterator[tuple[str, int]]:
    """Every bulletin module `name` imports, lazily or not, outside TYPE_CHECKING blocks."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def walk(node: ast.AST) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # annotations only: no import happens at run time
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, child.lineno
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    yield f"{base}.{alias.name}", child.lineno
            else:
                yield from walk(child)

    for dotted, line in walk(ast.parse(path.read_text(encoding="utf-8"))):
        owner = _owner(dotted) if dotted.startswith("bulletin") else None
        if owner and owner != name:
            yield owner, line


GRAPH = {name: {owner for owner, _line in _imports(name)} for name in MODULES}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_no_module_imports_itself_back_through_others() -> None:
    """An import cycle (api↔pipeline, readers↔jsonl once) means two modules are really one."""
    cycles = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("lower", LOWER)
def test_lower_layers_do_not_import_the_layers_above(lower: str) -> None:
    offending = [
        f"{name} imports {owner} (line {line})"
        for name in MODULES
        if _within(name, (lower,))
        for owner, line in _imports(name)
        if _within(owner, UPPER)
    ]
    assert not offending, "\n".join(offending)


def test_only_the_command_line_imports_the_command_line() -> None:
    offending = [
        f"{name} imports {owner}"
        for name, targets in GRAPH.items()
        if not _within(name, TERMINAL)
        for owner in targets
        if _within(owner, ("bulletin.cli",))
    ]
    assert not offending, "\n".join(offending)


def test_the_library_never_prints() -> None:
    """stdout is data: only the command line decides what reaches it."""
    offending = []
    for name, path in MODULES.items():
        if _within(name, TERMINAL):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offending.append(f"{name}:{node.lineno}")
    assert not offending, "print() outside the CLI: " + ", ".join(offending)


def _external_imports(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module, node.lineno


def test_only_the_index_knows_whoosh() -> None:
    """The rest of bulletin sees bulletin.index (its protocol and factories), so a second backend
    never touches the archive or the command line; the backend's internals stay in bulletin.index."""
    offending = [
        f"{name}:{line} imports {module}"
        for name, path in MODULES.items()
        if not _within(name, ("bulletin.index",))
        for module, line in _external_imports(path)
        if module == "whoosh" or module.startswith("whoosh.")
    ]
    assert not offending, "\n".join(offending)


def test_outside_the_index_only_its_front_is_imported() -> None:
    """Callers use bulletin.index (factories, protocol types); bulletin.index.whoosh is the backend's."""
    offending = [
        f"{name} imports {owner}"
        for name, targets in GRAPH.items()
        if not _within(name, ("bulletin.index",))
        for owner in targets
        if _within(owner, ("bulletin.index",)) and owner not in ("bulletin.index", "bulletin.index.protocol")
    ]
    assert not offending, "\n".join(offending)


def test_the_checks_see_the_package() -> None:
    """Guards the guards: the walk finds the modules and their imports (an empty graph passes everything)."""
    assert "bulletin.archive.facade" in MODULES and "bulletin.extract.cascade" in MODULES
    assert "bulletin.archive.store" in GRAPH["bulletin.archive.facade"]

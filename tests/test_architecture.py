"""Mechanical guards of the app skeleton (docs/architecture.md).

Module size, module-level import cycles and the import layers of `.importlinter`. Each test
names what breaks the rule, so the message is the to-do list.
"""

import configparser
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every module of our own stays under this (migrations excepted): split by concept well before.
MAX_LINES = 800

# Folders that hold no module of ours: generated migrations, caches, the database and files.
SKIPPED_DIRS = {"migrations", "__pycache__", "node_modules"}
SKIPPED_TOP_DIRS = {"data", "media", "staticfiles"}


def python_files(root):
    """The project's own .py files: no virtual environment, hidden folder or migration."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not (here == root and d in SKIPPED_TOP_DIRS)
            and not (here / d / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield here / name


def oversized_modules(root):
    """(relative path, line count) of every module over MAX_LINES, longest first."""
    found = []
    for path in python_files(root):
        with path.open(encoding="utf-8") as handle:
            count = sum(1 for _ in handle)
        if count > MAX_LINES:
            found.append((path.relative_to(root).as_posix(), count))
    return sorted(found, key=lambda item: -item[1])


def first_party_packages(root):
    """The top-level packages of the repository (the apps and the project), tests excepted."""
    return sorted(
        entry.name
        for entry in root.iterdir()
        if (entry / "__init__.py").is_file() and entry.name != "tests"
    )


def strongly_connected(adjacency):
    """Tarjan's strongly connected components (iterative) with more than one module."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(adjacency):
        if start in index:
            continue
        work = [(start, iter(sorted(adjacency[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(adjacency[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def shortest_cycle(adjacency, component):
    """One concrete cycle through the component's first module, as a list of modules."""
    start, members = component[0], set(component)
    previous = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(adjacency[node]):
            if nxt == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if nxt in members and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return component


def import_cycles(root):
    """Module-level import cycles among the first-party modules, lazy imports included."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    graph = grimp.build_graph(
        *first_party_packages(root), include_external_packages=False, cache_dir=None
    )
    modules = {m for m in graph.modules if ".migrations" not in m}
    adjacency = {
        m: {x for x in graph.find_modules_directly_imported_by(m) if x in modules} for m in modules
    }
    cycles = []
    for component in strongly_connected(adjacency):
        path = shortest_cycle(adjacency, component)
        steps = []
        for importer, imported in zip(path, path[1:], strict=False):
            lines = sorted(
                {
                    d["line_number"]
                    for d in graph.get_import_details(importer=importer, imported=imported)
                }
            )
            steps.append(f"{importer} -> {imported} (l.{', l.'.join(map(str, lines))})")
        cycles.append((component, steps))
    return cycles


def run_lint_imports(root):
    """`lint-imports` of the virtual environment on root's `.importlinter`: (exit code, output)."""
    binary = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(binary), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout + result.stderr


def test_no_module_over_the_size_limit():
    offenders = oversized_modules(ROOT)
    if offenders:
        pytest.fail(
            f"Modules over {MAX_LINES} lines (split them by sub-concept, docs/architecture.md):\n"
            + "\n".join(f"  {path}: {count} lines" for path, count in offenders)
        )


def test_no_module_import_cycles():
    cycles = import_cycles(ROOT)
    if cycles:
        pytest.fail(
            f"{len(cycles)} module-level import cycle(s) (lazy imports count too):\n"
            + "\n".join(
                f"  {len(component)} modules: {', '.join(component)}\n    e.g. "
                + "\n         ".join(steps)
                for component, steps in cycles
            )
        )


def test_every_package_is_in_the_import_layers():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    roots = set(config["importlinter"]["root_packages"].split())
    layered = {
        name.strip(" ()")
        for row in config["importlinter:contract:layers"]["layers"].split("\n")
        for name in row.replace("|", ":").split(":")
        if name.strip()
    }
    packages = set(first_party_packages(ROOT))
    if not (packages <= roots and packages <= layered):
        pytest.fail(
            "Packages missing from .importlinter (add each to root_packages and to a layer): "
            f"root_packages {sorted(packages - roots)}, layers {sorted(packages - layered)}"
        )


def test_import_layers_contract_is_kept():
    code, output = run_lint_imports(ROOT)
    if code != 0:
        pytest.fail(f"lint-imports failed (exit {code}):\n{output}")

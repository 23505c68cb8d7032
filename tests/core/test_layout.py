"""The tree's shape (issue 9): no import cycle between files, apps import only to their left
(core ← accounts ← registry ← {supervision, party, projects} ← evaluation ← reports), no module
over 600 lines, no file named by suffix to tell two apps apart, one workflow engine.

Read from the source with `ast`, without importing anything, so a cycle that only a function-level
import hides is found too."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APPS = ("core", "accounts", "registry", "supervision", "party", "projects", "evaluation", "reports")
PACKAGES = (*APPS, "config")

# What each package may import of the project's own packages (DESIGN order of apps).
# config wires the site together (settings, URLs, the API router, Celery) and may import any app;
# no app imports config.
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core"},
    "registry": {"core", "accounts"},
    "supervision": {"core", "accounts", "registry"},
    "party": {"core", "accounts", "registry"},
    "projects": {"core", "accounts", "registry"},
    "evaluation": {"core", "accounts", "registry", "supervision", "party", "projects"},
    "reports": {"core", "accounts", "registry", "supervision", "party", "projects", "evaluation"},
    "config": set(APPS),
}

MAX_LINES = 600
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", ".git", "__pycache__"}


def own_python_files(root=ROOT, *, migrations=True, tests=True):
    """Every .py file of the project itself (not the venv, node_modules, …), sorted."""
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if SKIPPED_DIRS & set(parts):
            continue
        if not migrations and "migrations" in parts:
            continue
        if not tests and parts[0] == "tests":
            continue
        yield path


def module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_files(root=ROOT):
    """{dotted module name: path} for every module of the project's packages."""
    return {
        module_name(path, root): path for path in own_python_files(root) if path.relative_to(root).parts[0] in PACKAGES
    }


def is_type_checking_block(node):
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_statements(tree):
    """(import node, under `if TYPE_CHECKING:`) for every import anywhere in the file, function
    bodies included."""
    found = []

    def visit(node, type_checking):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append((node, type_checking))
        elif isinstance(node, ast.If) and is_type_checking_block(node):
            for stmt in node.body:
                visit(stmt, True)
            for stmt in node.orelse:
                visit(stmt, type_checking)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child, type_checking)

    visit(tree, False)
    return found


def own_package(name, path):
    """The package a module's relative imports start from."""
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_modules(name, path, node):
    """The absolute dotted names one import statement asks for: a submodule when `from X import y`
    names a module of ours, else X itself."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = own_package(name, path).split(".")
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    return [f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names]


def ancestors(dotted):
    parts = dotted.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def build_graph(root=ROOT):
    """(modules, edges, imports): edges[m] = modules of ours whose execution importing m needs;
    imports = [(importer, imported top-level package, path, line)] for the direction rule."""
    modules = package_files(root)
    edges = {name: set() for name in modules}
    imports = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        inside = {name, *ancestors(name)}  # packages already initialising when this module runs
        for node, type_checking in import_statements(tree):
            for target in imported_modules(name, path, node):
                top = target.split(".")[0]
                if top in PACKAGES:
                    imports.append((name, top, path, node.lineno))
                if type_checking:
                    continue
                # `from X import y`: y is either a module of ours (X.y) or a name defined by X.
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if not target:
                    continue
                # Importing a.b.c first runs a/__init__ and a/b/__init__, unless this module is
                # inside them (then they are already running). So `from pkg import sibling` in
                # pkg/sub.py needs only pkg/sibling.py, but `from pkg import name` needs pkg's
                # __init__ to have finished: a cycle when that __init__ re-exports from pkg/sub.py.
                edges[name].update(package for package in ancestors(target) if package not in inside)
                if target != name:
                    edges[name].add(target)
    return modules, edges, imports


def strongly_connected_components(edges):
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def shortest_cycle(start, edges, members):
    """The shortest path start → … → start inside one strongly connected component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(edges[node] & members):
            if succ == start:
                return [*paths[node], start]
            if succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    return [start]


def relative(path, root=ROOT):
    return str(path.relative_to(root))


def import_cycles(root=ROOT):
    """Each cycle as the files of its shortest loop (first file repeated last), then the other files
    caught in the same knot."""
    modules, edges, _ = build_graph(root)
    cycles = []
    for component in strongly_connected_components(edges):
        if len(component) < 2:
            continue
        loop = shortest_cycle(component[0], edges, set(component))
        rest = [m for m in component if m not in loop]
        cycles.append(([relative(modules[m], root) for m in loop], [relative(modules[m], root) for m in rest]))
    return cycles


def test_no_import_cycle_between_files():
    cycles = [" → ".join(loop) + (f"  (with {', '.join(rest)})" if rest else "") for loop, rest in import_cycles()]
    assert cycles == [], "import cycles (function-level imports included):\n" + "\n".join(cycles)


def wrong_way_imports(root=ROOT):
    _, _, imports = build_graph(root)
    return sorted(
        {
            f"{relative(path, root)}:{line} ({importer.split('.')[0]} imports {top})"
            for importer, top, path, line in imports
            if top != importer.split(".")[0] and top not in MAY_IMPORT[importer.split(".")[0]]
        }
    )


def test_apps_import_only_to_their_left():
    wrong = wrong_way_imports()
    assert wrong == [], (
        "core ← accounts ← registry ← {supervision, party, projects} ← evaluation ← reports; "
        "these import to their right or across:\n" + "\n".join(wrong)
    )


def write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PACKAGE = {
    "projects/__init__.py": "",
    "projects/services/__init__.py": "from .ledger import create\nfrom .budget import adjust\n",
    "projects/services/budget.py": "def adjust(): ...\n",
}


def test_a_package_reexporting_its_modules_is_no_cycle_but_importing_its_names_back_is(tmp_path):
    write_tree(
        tmp_path / "sibling", {**PACKAGE, "projects/services/ledger.py": "from projects.services import budget\n"}
    )
    write_tree(tmp_path / "relative", {**PACKAGE, "projects/services/ledger.py": "from . import budget\n"})
    write_tree(tmp_path / "name", {**PACKAGE, "projects/services/ledger.py": "from projects.services import adjust\n"})

    assert import_cycles(tmp_path / "sibling") == []
    assert import_cycles(tmp_path / "relative") == []
    assert import_cycles(tmp_path / "name") == [
        (["projects/services/__init__.py", "projects/services/ledger.py", "projects/services/__init__.py"], [])
    ]


def test_importing_a_packages_module_runs_the_package_first_and_function_level_imports_count(tmp_path):
    write_tree(
        tmp_path,
        {
            **PACKAGE,
            "projects/services/ledger.py": "def create():\n    from projects import ledger_xlsx\n",
            "projects/ledger_xlsx.py": "from projects.services.budget import adjust\n",
        },
    )
    assert import_cycles(tmp_path) == [
        (
            [
                "projects/ledger_xlsx.py",
                "projects/services/__init__.py",
                "projects/services/ledger.py",
                "projects/ledger_xlsx.py",
            ],
            [],
        )
    ]


def test_type_checking_imports_make_no_cycle_but_still_keep_the_direction(tmp_path):
    write_tree(
        tmp_path,
        {
            "registry/__init__.py": "",
            "registry/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from registry.b import B\n",
            "registry/b.py": "from registry.a import A\ndef f():\n    from projects.models import Ledger\n",
            "core/__init__.py": "",
            "core/x.py": "import registry.a\n",
            "projects/__init__.py": "",
            "projects/models.py": "from party import models\nfrom registry import a\n",
        },
    )
    assert import_cycles(tmp_path) == []
    assert wrong_way_imports(tmp_path) == [
        "core/x.py:1 (core imports registry)",
        "projects/models.py:1 (projects imports party)",
        "registry/b.py:3 (registry imports projects)",
    ]


def test_no_module_over_600_lines():
    too_long = []
    for path in own_python_files(migrations=False, tests=False):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{relative(path)}: {lines} lines")
    assert too_long == [], (
        f"over {MAX_LINES} lines: make each a package with a module per aggregate, its __init__ "
        "re-exporting the public names:\n" + "\n".join(too_long)
    )


def suffixed_rooms(root=ROOT):
    """Files named by a suffix to tell two apps apart: any `*_reports.py` in registry/ (annual reports
    went to supervision/), `services_listings.py` there, and in any app a `<room>_reports.py` beside
    its `<room>.py` or `<room>/`. A module per aggregate (`supervision/models/annual_reports.py`) is
    named after what it holds, not suffixed, and is fine."""
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*_reports.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            room = path.name.removesuffix("_reports.py")
            if app == "registry" or (path.parent / f"{room}.py").exists() or (path.parent / room).is_dir():
                found.append(relative(path, root))
    if (root / "registry" / "services_listings.py").exists():
        found.append("registry/services_listings.py")
    return found


def test_no_file_named_by_suffix_to_tell_two_apps_apart():
    suffixed = suffixed_rooms()
    assert suffixed == [], "annual reports and listings belong to supervision/, without suffixes:\n" + "\n".join(
        suffixed
    )


def test_the_suffix_rule_tells_a_suffix_from_an_aggregate(tmp_path):
    write_tree(
        tmp_path,
        {
            "registry/views.py": "",
            "registry/views_reports.py": "",
            "registry/services_listings.py": "",
            "registry/models/annual_reports.py": "",
            "projects/views.py": "",
            "projects/views_reports.py": "",
            "projects/services/budget_reports.py": "",
            "supervision/models/annual_reports.py": "",
            "supervision/migrations/0002_annual_reports.py": "",
        },
    )
    assert suffixed_rooms(tmp_path) == [
        "registry/models/annual_reports.py",
        "registry/views_reports.py",
        "projects/views_reports.py",
        "registry/services_listings.py",
    ]


def test_one_transition_class_in_core_workflows():
    definition = re.compile(r"^\s*class Transition\b")
    found = [
        f"{relative(path)}:{number}"
        for path in own_python_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if definition.match(line)
    ]
    assert len(found) == 1 and found[0].startswith("core/workflows.py:"), (
        "one workflow engine: `class Transition` only in core/workflows.py, found:\n" + "\n".join(found)
    )


def test_the_layout_rules_see_what_they_check():
    """The graph really holds the project (a wrong root or a parse slip would pass every rule)."""
    modules, edges, imports = build_graph()
    assert {"core.workflows", "registry.models", "projects.models", "config.urls"} <= set(modules)
    assert any(top == "core" for importer, top, _, _ in imports if importer.startswith("registry"))
    assert any(edges[name] for name in modules if name.startswith("projects."))

"""The packages keep the shape docs/concepts/architecture.md draws: imports point inward, from the
entry points (api, web, cli) to the middle ring (application, projections, exports, audit), to
the settings, to the domain; no two modules import each other, directly or round a circle; and no
module imports another module's private (underscored) names.

The check reads the source (an AST walk of every module of ``ledger``), so it also sees imports
inside functions and under ``TYPE_CHECKING``: a circle that only a lazy import hides is still a
circle to the reader."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ledger"
ARCHITECTURE_DOC = ROOT / "docs" / "concepts" / "architecture.md"

# Rings from the centre out; a module may import its own ring and the rings inside it.
RINGS: tuple[tuple[str, ...], ...] = (
    ("ledger.domain",),
    ("ledger.config",),
    ("ledger.application", "ledger.projections", "ledger.exports", "ledger.audit"),
    ("ledger.api", "ledger.web", "ledger.cli"),
)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    names: tuple[str, ...]
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: Path) -> dict[str, Path]:
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """Every import of a ``ledger`` module in one file (top level, in functions, in TYPE_CHECKING).
    ``from ledger.x import y`` counts as an import of ``ledger.x.y`` when that is a module."""
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [
                Import(name, a.name, (), node.lineno) for a in node.names if a.name.split(".")[0] == "ledger"
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "ledger":
                continue
            plain = tuple(a.name for a in node.names if f"{target}.{a.name}" not in known)
            found += [
                Import(name, f"{target}.{a.name}", (), node.lineno)
                for a in node.names
                if f"{target}.{a.name}" in known
            ]
            if plain:
                found.append(Import(name, target, plain, node.lineno))
    return found


def all_imports(package: Path = PACKAGE) -> list[Import]:
    modules = modules_of(package)
    return [i for name, path in modules.items() for i in imports_of(name, path, set(modules))]


def ring_of(module: str) -> int | None:
    for index, ring in enumerate(RINGS):
        if any(module == top or module.startswith(top + ".") for top in ring):
            return index
    return None


def against_the_direction(imports: list[Import]) -> list[str]:
    wrong = []
    for imp in imports:
        here, there = ring_of(imp.importer), ring_of(imp.imported)
        if here is None or there is None or there > here:
            wrong.append(f"{imp.importer} imports {imp.imported} (line {imp.line})")
    return wrong


def circles(imports: list[Import]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.importer != imp.imported:
            graph.setdefault(imp.importer, set()).add(imp.imported)
            graph.setdefault(imp.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def private_names(imports: list[Import]) -> list[str]:
    return [
        f"{imp.importer} imports {name} from {imp.imported} (line {imp.line})"
        for imp in imports
        for name in imp.names
        if name.startswith("_") and not name.startswith("__")
    ]


# --- the code ---------------------------------------------------------------------------------------
def test_every_module_of_ledger_sits_in_a_ring_of_the_architecture() -> None:
    outside = [name for name in modules_of(PACKAGE) if name != "ledger" and ring_of(name) is None]
    assert outside == [], f"add these to a ring (and to docs/concepts/architecture.md): {outside}"


def test_no_module_imports_against_the_direction_of_the_rings() -> None:
    assert against_the_direction(all_imports()) == []


def test_no_modules_of_ledger_import_each_other_in_a_circle() -> None:
    assert circles(all_imports()) == []


def test_no_module_imports_another_modules_private_names() -> None:
    assert private_names(all_imports()) == []


def test_no_module_is_left_flat_in_ledger_beside_the_packages() -> None:
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "config.py"})
    assert flat == []


# --- the check itself finds what it is for (a check that cannot fail proves nothing) ----------------
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "ledger"
    for rel, text in files.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for directory in [package, *(p for p in package.rglob("*") if p.is_dir())]:
        (directory / "__init__.py").touch()
    return package


def test_the_check_reports_a_domain_module_importing_the_application(tmp_path: Path) -> None:
    package = _tree(
        tmp_path,
        {"domain/fund.py": "from ledger.application.ledger import Ledger\n", "application/ledger.py": ""},
    )
    assert against_the_direction(all_imports(package)) == [
        "ledger.domain.fund imports ledger.application.ledger (line 1)"
    ]


def test_the_check_reports_a_circle_hidden_behind_type_checking_and_a_lazy_import(tmp_path: Path) -> None:
    package = _tree(
        tmp_path,
        {
            "application/ledger.py": "from ledger.application.setup import SetupMixin\n",
            "application/setup.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from ledger.application import ledger\n"
            ),
            "cli/root.py": "def main():\n    from ledger.cli import audit\n",
            "cli/audit.py": "from ledger.cli.root import app\n",
        },
    )
    assert circles(all_imports(package)) == [
        ["ledger.application.ledger", "ledger.application.setup"],
        ["ledger.cli.audit", "ledger.cli.root"],
    ]


def test_the_check_reports_a_private_name_imported_from_another_module(tmp_path: Path) -> None:
    package = _tree(
        tmp_path, {"cli/custody.py": "from ledger.cli.root import _parse_date, app\n", "cli/root.py": ""}
    )
    assert private_names(all_imports(package)) == [
        "ledger.cli.custody imports _parse_date from ledger.cli.root (line 1)"
    ]


def test_the_check_resolves_relative_imports_to_the_module_they_name(tmp_path: Path) -> None:
    package = _tree(tmp_path, {"projections/store.py": "from ..web import pages\n", "web/pages.py": ""})
    assert against_the_direction(all_imports(package)) == [
        "ledger.projections.store imports ledger.web.pages (line 1)"
    ]


# --- the picture ------------------------------------------------------------------------------------
def test_the_architecture_page_names_every_package_in_the_ring_the_check_uses() -> None:
    """docs/concepts/architecture.md lists the rings as a table `| ring | packages |`; it must be the
    same rings, in the same order, as RINGS above."""
    rows = re.findall(r"^\|\s*(\d)\s*\|([^|]+)\|", ARCHITECTURE_DOC.read_text(encoding="utf-8"), re.MULTILINE)
    drawn = tuple(tuple(sorted(re.findall(r"`(ledger[\w.]*)`", packages))) for _, packages in rows)
    assert drawn == tuple(tuple(sorted(ring)) for ring in RINGS)


@pytest.mark.parametrize("package", sorted({top for ring in RINGS for top in ring}))
def test_every_package_of_the_rings_exists(package: str) -> None:
    path = ROOT / Path(*package.split("."))
    assert path.is_dir() or path.with_suffix(".py").is_file()

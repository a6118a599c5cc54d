"""The four rooms keep to their walls: the import rules of docs/architecture.md, checked with `ast`.

Every .py file of bot/, commands/ and storage/ is parsed, and every import is found: at the top,
inside functions (lazy), under `if TYPE_CHECKING:`, relative (`from . import x`), and the dynamic
`importlib.import_module("x")` / `__import__("x")` with a literal name.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Platform SDKs (and the HTTP client the fake platforms use): adapters/ and tests/ only.
PLATFORM_SDKS = frozenset({"discord", "telegram", "aiohttp"})
#: The one module of bot/ that sees everything and wires it together.
WIRING_MODULE = "bot.app"


@dataclass(frozen=True)
class Import:
    """One import statement: which module imported what, and where."""

    module: str  # the importing module, e.g. "bot.dispatcher"
    target: str  # the imported module, fully resolved, e.g. "storage.queries"
    where: str  # "bot/dispatcher.py:12"

    @property
    def package(self) -> str:
        """The top-level package imported: 'storage' for 'storage.queries'."""
        return self.target.split(".", 1)[0]


def module_name(path: Path) -> str:
    """'bot/registry.py' → 'bot.registry'; 'commands/__init__.py' → 'commands'."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(importer: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute name of `from <level dots><module> import …` inside `importer`."""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, *([module] if module else [])])


def imports_in_source(
    source: str, importer: str, *, is_package: bool = False, filename: str = "<source>"
) -> list[Import]:
    """Every import in one module's source, wherever it appears in the file."""
    found: list[Import] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found.extend(Import(importer, alias.name, where) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            relative = _resolve_relative(importer, is_package, node.level, node.module) if node.level else None
            base = relative if relative is not None else node.module or ""
            if base:
                found.append(Import(importer, base, where))
            # `from . import adapters` or `from bot import app`: the names may be modules themselves.
            for alias in node.names:
                if alias.name != "*":
                    found.append(Import(importer, f"{base}.{alias.name}" if base else alias.name, where))
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(Import(importer, first.value, where))
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def imports_of_room(room: str) -> list[Import]:
    """Every import made by every .py file under one top-level folder (bot, commands, storage…)."""
    files = sorted((ROOT / room).rglob("*.py"))
    assert files, f"{room}/ has no Python files: has the layout changed?"
    found: list[Import] = []
    for path in files:
        found.extend(
            imports_in_source(
                path.read_text(encoding="utf-8"),
                module_name(path),
                is_package=path.name == "__init__.py",
                filename=str(path.relative_to(ROOT)),
            )
        )
    return found


def breaking(imports: list[Import], forbidden: set[str] | frozenset[str]) -> list[str]:
    """The imports that reach a forbidden top-level package, as readable lines."""
    return [f"{i.where} imports {i.target}" for i in imports if i.package in forbidden]


# ---- the checker itself ------------------------------------------------------------------------


def test_the_import_finder_sees_relative_lazy_type_checking_and_dynamic_imports() -> None:
    source = (
        "from __future__ import annotations\n"
        "import os.path\n"
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from .. import adapters\n"
        "from ..commands.voting import tally\n"
        "if TYPE_CHECKING:\n"
        "    from discord import Client\n"
        "def later():\n"
        "    import telegram.ext\n"
        "    from aiohttp import web\n"
        "    importlib.import_module('commands.glossary')\n"
        "    return __import__('discord.ui')\n"
    )
    targets = {i.target for i in imports_in_source(source, "bot.core.thing")}
    assert {
        "os.path",
        "bot.core.sibling",
        "bot.adapters",
        "bot.commands.voting",
        "discord",
        "telegram.ext",
        "aiohttp",
        "commands.glossary",
        "discord.ui",
    } <= targets
    top_level = {i.target for i in imports_in_source("from .. import adapters\n", "bot.registry")}
    assert "adapters" in top_level
    package_relative = {i.target for i in imports_in_source("from . import group\n", "commands", is_package=True)}
    assert "commands.group" in package_relative


# ---- the rules ----------------------------------------------------------------------------------


def test_the_core_imports_no_platform_sdk() -> None:
    assert breaking(imports_of_room("bot"), PLATFORM_SDKS) == []


def test_the_core_imports_no_feature_and_no_adapter_except_in_its_wiring_module() -> None:
    outside_wiring = [i for i in imports_of_room("bot") if i.module != WIRING_MODULE]
    assert breaking(outside_wiring, {"commands", "adapters"}) == []


def test_the_wiring_module_exists_and_is_where_features_meet_the_core() -> None:
    wiring = [i for i in imports_of_room("bot") if i.module == WIRING_MODULE]
    assert wiring, f"{WIRING_MODULE} is missing: the exception in the import rules points at nothing"
    assert any(i.package == "commands" for i in wiring)


def test_features_import_no_adapter_and_no_platform_sdk() -> None:
    assert breaking(imports_of_room("commands"), {"adapters", *PLATFORM_SDKS}) == []


def test_storage_imports_no_adapter_no_platform_sdk_no_core_and_no_feature() -> None:
    assert breaking(imports_of_room("storage"), {"adapters", "bot", "commands", *PLATFORM_SDKS}) == []


# ---- the same rules as import-linter contracts (pyproject.toml), as `make lint` runs them ------------


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts over the packages in `root`."""
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(linter), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_linter_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("commands/participation/rules.py", "from commands import voting", "Features never import each other"),
        ("bot/context.py", "from bot import registry", "No module imports itself round a circle"),
        ("bot/dispatcher.py", "import telegram", "Platform SDKs live in adapters only"),
        ("storage/people.py", "from bot import types", "Adapters and features stand on the core"),
    ],
)
def test_the_contracts_catch_a_broken_rule(tmp_path: Path, module: str, line: str, contract: str) -> None:
    for room in ("bot", "adapters", "commands", "storage"):
        shutil.copytree(ROOT / room, tmp_path / room, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{line}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert verdict(result.stdout, contract) == "BROKEN", result.stdout
    others = [name for name in CONTRACTS if name != contract]
    assert all(verdict(result.stdout, name) == "KEPT" for name in others), result.stdout


CONTRACTS = (
    "Adapters and features stand on the core",
    "Platform SDKs live in adapters only",
    "Features never import each other",
    "No module imports itself round a circle",
)


def verdict(output: str, contract: str) -> str:
    """KEPT or BROKEN, as import-linter reported the contract whose name starts with `contract`."""
    flat = " ".join(output.split())
    after = flat[flat.index(contract) :]
    return min(("KEPT", "BROKEN"), key=lambda word: after.find(word) if word in after else len(after))


# ---- the core knows no feature and no platform -----------------------------------------------------

#: Modules of bot/ allowed to name platforms: the wiring place, configuration, and the command line.
PLATFORM_AWARE = frozenset({"bot.app", "bot.config", "bot.cli"})
#: The storage modules the core itself may use; every other storage module belongs to a feature.
CORE_STORAGE = frozenset(
    {"base", "database", "schema", "people", "groups", "outbox", "conversations", "inbound", "migrations", "__init__"}
)


def string_constants(path: Path) -> list[tuple[int, str]]:
    """String literals in a module, docstrings and `_()`-free comments excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def core_modules() -> list[Path]:
    return [path for path in sorted((ROOT / "bot").rglob("*.py")) if module_name(path) not in PLATFORM_AWARE]


def test_the_core_never_branches_on_a_platform_or_parses_its_syntax() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} {value!r}"
        for path in core_modules()
        for line, value in string_constants(path)
        if value.casefold() in ("telegram", "discord") or "<@" in value
    ]
    # bot/types.py names the platforms once, in the Platform type itself.
    assert found == ["bot/types.py:13 'telegram'", "bot/types.py:13 'discord'"]


def test_the_core_names_no_feature_setting_and_touches_no_feature_table() -> None:
    from bot.app import build_registry

    settings = set(build_registry().settings)
    named = [
        f"{path.relative_to(ROOT)}:{line} {value!r}"
        for path in core_modules()
        for line, value in string_constants(path)
        if value in settings
    ]
    assert named == []
    feature_modules = {
        f"storage.{path.stem}" for path in (ROOT / "storage").glob("*.py") if path.stem not in CORE_STORAGE
    }
    assert {"storage.voting", "storage.participation"} <= feature_modules
    touching = [
        f"{i.where} imports {i.target}"
        for i in imports_of_room("bot")
        if i.module not in PLATFORM_AWARE and ".".join(i.target.split(".")[:2]) in feature_modules
    ]
    assert touching == []

"""The layering of DESIGN.md: the core imports nothing from the edges, nor any I/O library."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "parcferme"

# package → parcferme packages it may import
ALLOWED = {
    "model": {"model", "errors", "_lazy"},  # _lazy: package attributes loaded on first use (no I/O)
    "engine": {"engine", "model", "errors", "_lazy"},
}
FORBIDDEN_IN_CORE = {
    "os",
    "io",
    "socket",
    "pathlib",
    "time",
    "datetime.datetime",
    "random",
    "sqlite3",
    "click",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_core_packages_import_only_what_they_may(package: str) -> None:
    for path in sorted((SRC / package).rglob("*.py")):
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "parcferme":
                assert len(parts) > 1 and parts[1] in ALLOWED[package], f"{path.name} imports {name}"
            else:
                assert parts[0] not in FORBIDDEN_IN_CORE, f"{path.name} imports {name} (I/O in the core)"

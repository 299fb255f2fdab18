"""The packaged Spa 2017 event folder is exactly what tools/build_spa2017.py generates, and the generator's
own fact check fails loudly when a design breaks a fact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"
BUILD = TOOLS / "build_spa2017.py"
PACKAGED = ROOT / "src" / "parcferme" / "demo" / "spa-2017"
HAND_WRITTEN = {"README.md"}

pytestmark = pytest.mark.skipif(not BUILD.is_file(), reason="tools/ is not part of an installed package")


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_generator_reproduces_the_packaged_folder_byte_for_byte(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BUILD), "--out", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    generated = _files(tmp_path)
    assert generated == _files(PACKAGED) - HAND_WRITTEN, "regenerate: python tools/build_spa2017.py"
    for rel in sorted(generated):
        assert (tmp_path / rel).read_bytes() == (PACKAGED / rel).read_bytes(), (
            f"{rel} differs from the generator's output: regenerate with python tools/build_spa2017.py"
        )


def test_the_fact_check_rejects_a_design_that_breaks_a_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TOOLS))
    from spa2017 import check, weekend  # type: ignore[import-not-found]
    from spa2017.entrants import DERDAELE, LATORRE  # type: ignore[import-not-found]

    check.verify(weekend.build())  # the real design holds

    swapped = list(weekend.R1_FINISH)
    i, j = swapped.index(DERDAELE), swapped.index(LATORRE)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    monkeypatch.setattr(weekend, "R1_FINISH", swapped)
    with pytest.raises(check.FactError, match="R1 top 6"):
        check.verify(weekend.build())

"""console.main: the CLI runs, and the cycle collector is left as it was found (enabled), with what the
CLI's import loaded frozen out of later collections."""

from __future__ import annotations

import gc

import pytest

from parcferme import console


def test_the_collector_is_enabled_again_and_the_modules_frozen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["parcferme", "--version"])
    gc.unfreeze()  # nothing frozen before: what is frozen after is the console's doing
    gc.enable()
    try:
        with pytest.raises(SystemExit) as exited:
            console.main()
        assert exited.value.code == 0
        assert "parcferme, version" in capsys.readouterr().out
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_paused_collector_stays_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["parcferme", "--version"])
    gc.disable()
    try:
        with pytest.raises(SystemExit):
            console.main()
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()

"""Static export of dashboards for papers (PNG, SVG, PDF through kaleido and chromium)."""

from __future__ import annotations

import sys

import pytest

from timeline_sim.cli.main import main


def test_replay_dashboard_exports_each_figure_as_png_and_svg(tmp_path):
    """--format png|svg writes one file per figure, real images, when kaleido is there."""
    pytest.importorskip("kaleido")
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<svg")):
        out = tmp_path / fmt / "korea.html"
        out.parent.mkdir()
        status = main(
            ["dashboard", "replay", "korea_ftas", "--seed", "1", "--out", str(out), "--format", fmt]
        )
        assert status == 0
        files = sorted(out.parent.glob(f"*.{fmt}"))
        assert files, f"no {fmt} written"
        for path in files:
            head = path.read_bytes()[:400]
            assert magic in head, path


def test_without_kaleido_static_export_is_a_clear_error(tmp_path, monkeypatch, capsys):
    """No export library: exit 2, a message saying what to install, nothing written."""
    monkeypatch.setitem(sys.modules, "kaleido", None)  # import kaleido now raises ImportError
    out = tmp_path / "korea.png"
    status = main(["dashboard", "replay", "korea_ftas", "--out", str(out), "--format", "png"])
    assert status == 2
    assert "kaleido" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

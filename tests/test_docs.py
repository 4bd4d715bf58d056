"""The documentation keeps its promises: the README is a front page that links every page
under docs/, docs/settings.md matches the settings model, and no link points nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.settings_doc import default_text, render_table, table_in

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, ROOT / "CHANGELOG.md", *DOCS]

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def env_name(name: str) -> str:
    """As tests/test_settings.py derives it: DISCORD_TOKEN, else NEWSBOT_<NAME>."""
    return "DISCORD_TOKEN" if name == "discord_token" else f"NEWSBOT_{name.upper()}"


def prose(path: Path) -> list[str]:
    """The page's lines outside fenced code blocks (a `# comment` in a shell block is no
    heading, and `[x](y)` in a transcript is no link)."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces → hyphens."""
    found = set()
    for line in prose(path):
        match = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            text = re.sub(r"[^\w\- ]", "", match.group(1).lower())
            found.add(text.replace(" ", "-"))
    return found


def relative_links(path: Path) -> list[str]:
    targets = []
    for line in prose(path):
        for target in LINK.findall(line):
            if not re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: …
                targets.append(target)
    return targets


def test_settings_page_lists_every_setting_with_its_default() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    table = [line for line in page.splitlines() if line.startswith("| `")]
    rows = {line.split("|")[1].strip(): line for line in table}
    for name, field in Settings.model_fields.items():
        env = env_name(name)
        row = rows.get(f"`{env}`")
        assert row is not None, f"{env} missing from docs/settings.md"
        default = default_text(field)
        shown = f"`{default}`" if default else "unset"
        assert f"| {shown} |" in row, f"{env}: default {shown} not in its docs/settings.md row"


def test_settings_table_is_the_one_the_model_renders() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert table_in(page) == render_table(), (
        "docs/settings.md is out of date: run python -m bot.settings_doc --write docs/settings.md"
    )


def test_readme_links_every_docs_page() -> None:
    targets = {target.partition("#")[0] for target in relative_links(README)}
    missing = [f"docs/{page.name}" for page in DOCS if f"docs/{page.name}" not in targets]
    assert not missing, f"README.md does not link {missing}"
    assert "CHANGELOG.md" in targets


def test_readme_is_a_front_page() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300, f"README.md has {len(lines)} lines (at most 300)"
    first_screen = "\n".join(lines[:40])
    assert "make run" in first_screen and "make test" in first_screen
    history = ("What changed", "before →", "(was ", "previous submission")
    assert not [word for word in history if word in "\n".join(lines)], "history goes in CHANGELOG"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_relative_links_point_at_existing_files_and_headings(page: Path) -> None:
    broken = []
    for target in relative_links(page):
        file_part, _, anchor = target.partition("#")
        file = (page.parent / file_part).resolve() if file_part else page
        if not file.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"

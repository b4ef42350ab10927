"""The README is a front door and docs/ holds the rooms: every relative link between them leads somewhere.

Every Markdown link ``[text](target)`` in README.md and docs/*.md whose target is a relative path must name an
existing file or folder, and a ``#fragment`` must name a heading of its target as GitHub slugs it. Links inside code
(fenced blocks and inline code spans) are not links. The README must also stay short (at most 12,000 characters)
and its quick start exactly two commands.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
README_LIMIT = 12_000

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose(text: str, inline_code: bool = False) -> str:
    """A Markdown text with its fenced code blocks blanked out, and its inline code spans too unless
    ``inline_code``; lines kept in place."""
    lines, fence = [], None
    for line in text.split("\n"):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * len(opening.group(1))
            lines.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines.append("")
        else:
            lines.append(line if inline_code else INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(lines)


def links(text: str) -> list[tuple[int, str]]:
    """Every link target of a Markdown text (its text may run over several lines), with the line it starts on."""
    text = prose(text)
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in LINK.finditer(text)]


def github_slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: the rendered text lower-cased, keeping letters, marks, digits,
    underscores, hyphens and spaces, each space then a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "")
    kept = (c for c in text.lower() if c in " -" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc")
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file; a repeated heading gets -1, -2 ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for line in prose(path.read_text(encoding="utf-8"), inline_code=True).split("\n"):
        heading = HEADING.match(line)
        if not heading:
            continue
        slug = github_slug(heading.group(2))
        if slug in seen:
            seen[slug] += 1
            slug = f"{slug}-{seen[slug]}"
        else:
            seen[slug] = 0
        found.add(slug)
    return found


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """One line per relative link of ``page`` that names a missing file or a missing heading (paths from ``root``)."""
    problems = []
    for number, target in links(page.read_text(encoding="utf-8")):
        if SCHEME.match(target) or target.startswith("//"):
            continue  # an absolute URL: not this test's to check
        path_part, _, fragment = target.partition("#")
        goal = (page.parent / unquote(path_part)).resolve() if path_part else page
        where = f"{page.relative_to(root)}:{number}"
        if not goal.exists():
            problems.append(f"{where}: {target}: no such file")
        elif fragment and goal.suffix == ".md" and unquote(fragment) not in anchors(goal):
            problems.append(f"{where}: {target}: no heading '#{fragment}' in {goal.name}")
    return problems


def quick_start_commands(readme: str) -> list[str]:
    """The command lines of the code blocks in the README's "Quick start" section."""
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.S | re.M)
    assert section, "the README has no '## Quick start' section"
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", section.group(1), re.S | re.M)
    return [line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_an_existing_file_and_heading(page):
    assert broken_links(page) == []


def test_a_link_to_a_missing_file_is_caught(tmp_path):
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text("See [the model](modle.md) and [the README](../README.md).\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Readme\n", encoding="utf-8")
    assert broken_links(page, tmp_path) == ["docs/page.md:1: modle.md: no such file"]


def test_a_link_to_a_missing_heading_is_caught(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "model.md").write_text("# The model\n\n## Modelling decisions\n", encoding="utf-8")
    page = tmp_path / "docs" / "page.md"
    page.write_text("[ok](model.md#modelling-decisions), [gone](model.md#modeling-decisions), [here](#nowhere)\n",
                    encoding="utf-8")
    assert broken_links(page, tmp_path) == [
        "docs/page.md:1: model.md#modeling-decisions: no heading '#modeling-decisions' in model.md",
        "docs/page.md:1: #nowhere: no heading '#nowhere' in page.md"]


def test_a_link_whose_text_runs_over_two_lines_is_checked(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nSee [Known\ndiscrepancies](gone.md#known) for more.\n", encoding="utf-8")
    assert broken_links(page, tmp_path) == ["page.md:3: gone.md#known: no such file"]


def test_links_in_code_are_not_checked(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("`[a](missing.md)`\n\n```md\n[b](missing.md)\n```\n", encoding="utf-8")
    assert broken_links(page, tmp_path) == []


def test_headings_are_slugged_as_github_slugs_them(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# What is in `build/`\n## The dataset description, and why part of it is only in `void.ttl`\n"
                    "## Every constraint is proven to bite: the corpus\n## Known discrepancies\n## Known discrepancies\n"
                    "```turtle\n# A comment, not a heading\n```\n", encoding="utf-8")
    assert anchors(page) == {"what-is-in-build", "the-dataset-description-and-why-part-of-it-is-only-in-voidttl",
                             "every-constraint-is-proven-to-bite-the-corpus", "known-discrepancies",
                             "known-discrepancies-1"}


def test_readme_is_at_most_12000_characters():
    assert len(README.read_text(encoding="utf-8")) <= README_LIMIT


def test_quick_start_is_exactly_two_commands_one_builds_one_tests():
    commands = quick_start_commands(README.read_text(encoding="utf-8"))
    assert len(commands) == 2, commands
    build, test = commands
    assert "pip install" in build and build.endswith("january20 build")
    assert test == "bash scripts/test.sh"

"""Docs that tests keep honest: every CLI verb has help, an example and a README entry."""

import re
from pathlib import Path

import pytest

from analysis.cli import cli

PROJECT_ROOT = Path(__file__).resolve().parent.parent
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name):
    help_text = cli.commands[name].help or ""
    assert help_text.strip(), f"{name} has no help"
    assert "Example: samestory " + name in help_text


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name):
    assert re.search(rf"^samestory {re.escape(name)}\b", README, re.MULTILINE), name


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:bash|sh)?\n(.*?)```", quick_start, re.DOTALL)
    lines = [line for block in commands for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2, lines
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1].strip().lstrip("./") in ci


def test_readme_screenshot_exists():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (PROJECT_ROOT / image).exists(), image

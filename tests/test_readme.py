"""The README cannot drift from the command line: what it documents, ``--help`` must show."""

from __future__ import annotations

import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from s3graph.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert found, f"README has no '## {title}' section"
    return found.group(1)


def code_lines(text: str) -> list[str]:
    """The non-blank lines of the fenced code blocks, without trailing comments."""
    lines = []
    for block in FENCE.findall(text):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line:
                lines.append(line)
    return lines


def s3graph_commands(line: str) -> list[list[str]]:
    """The arguments of every ``s3graph`` call in a shell line (split at ``&&``, ``;``, ``|``)."""
    calls = []
    for part in re.split(r"&&|\|\|?|;", line):
        words = shlex.split(part)
        if words and words[0] == "s3graph":
            calls.append(words[1:])
    return calls


@cache
def help_text(*command: str) -> str:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_quick_start_has_exactly_two_one_line_commands() -> None:
    quick_start = section("Quick start")
    blocks = FENCE.findall(quick_start)

    assert len(blocks) == 2, blocks
    for block in blocks:
        assert len(block.strip().splitlines()) == 1, block
    assert blocks[0].strip().endswith("s3graph ingest --examples && s3graph serve")
    assert blocks[1].strip().endswith("pip install -e '.[test]' && python -m pytest")


def _documented_calls() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    calls = [call for line in code_lines(text) for call in s3graph_commands(line)]
    inline = re.findall(r"`(s3graph [^`]+)`", text)
    calls += [call for span in inline for call in s3graph_commands(span)]
    return calls


@pytest.mark.parametrize("call", _documented_calls(), ids=" ".join)
def test_documented_command_exists(call: list[str]) -> None:
    global_help = help_text()
    words = iter(call)
    for word in words:
        if not word.startswith("-"):
            command = word
            break
        assert re.search(rf"(^|[\s,/]){re.escape(word)}\b", global_help), word
        if word in ("--store", "--server", "--base"):
            next(words)  # the option's value
    else:
        return  # only global options (``s3graph --help``)
    if command == "COMMAND":  # the placeholder of ``s3graph COMMAND --help``
        return
    assert command in main.commands, f"README documents unknown command {command!r}"
    command_help = help_text(command)
    for word in words:
        if word.startswith("-"):
            option = word.split("=", 1)[0]
            assert re.search(rf"(^|[\s,/]){re.escape(option)}\b", command_help), (command, option)


def test_every_documented_option_exists() -> None:
    text = README.read_text(encoding="utf-8")
    all_help = help_text() + "".join(help_text(name) for name in main.commands)
    for option in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))):
        assert option in all_help, f"README documents {option}, which no --help shows"


#: Variables the tests read (the README's table says so), which no command takes.
TEST_ONLY = {"S3GRAPH_SHARED", "S3GRAPH_SCREENSHOTS"}


def test_environment_variables_are_in_help() -> None:
    text = README.read_text(encoding="utf-8")
    all_help = help_text() + "".join(help_text(name) for name in main.commands)
    for variable in sorted(set(re.findall(r"S3GRAPH_[A-Z]+", text)) - TEST_ONLY):
        assert variable in all_help, variable


def test_exit_codes_match_help() -> None:
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section("Usage by task"), re.M)
    documented = {code for code, _ in rows}
    in_help = set(re.findall(r"^\s+(\d+)\s+\S", help_text().split("Exit codes:")[1], re.M))

    assert documented == {"0", "1", "2", "3", "70"}
    assert documented == in_help

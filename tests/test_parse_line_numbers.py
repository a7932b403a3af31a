"""Every message counts lines as the parser and editors do: LF, CRLF or a lone CR (issue 12).

Found by the fuzzing: in a file with lone-CR line ends, the UTF-8 error said line 1 where the
parser and an editor say line 50.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from s3graph.cli import main


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_a_bad_byte_is_placed_on_its_line_whatever_the_line_ends(
    shared_dir: Path, tmp_path: Path, end: bytes
) -> None:
    lines = (shared_dir / "corpus" / "mining-industry-2020-h1.txt").read_bytes().splitlines()
    lines[49] += b" caf\xe9"  # Latin-1, on line 50
    path = tmp_path / "report.txt"
    path.write_bytes(end.join(lines) + end)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:50: expected UTF-8 text")

"""The parser against the hand-checked corpus: scored fields, mandatory fields, answer lines."""

from __future__ import annotations

import hashlib
import json
from typing import Any

MIN_CORPUS = 7


def test_corpus_is_complete(corpus_files) -> None:
    assert len(corpus_files) >= MIN_CORPUS, [c.name for c in corpus_files]
    for case in corpus_files:
        assert case.expected_path.is_file(), f"{case.txt.name} has no expected file"


def test_report_matches_expected(corpus_case, api, check_contract) -> None:
    contract = api.contract_of_file(corpus_case.txt)
    matched, total = check_contract(
        contract, corpus_case.expected(), corpus_case.text(), corpus_case.name
    )
    print(f"{corpus_case.name}: {matched}/{total}")


def test_missing_mandatory(corpus_case, api) -> None:
    contract = api.contract_of_file(corpus_case.txt)
    expected = corpus_case.expected()["missing_mandatory"]
    assert sorted(contract["missing_mandatory"]) == sorted(expected)


def test_no_answer_line_is_dropped(corpus_case, api, check_answers) -> None:
    contract = api.contract_of_file(corpus_case.txt)
    check_answers(contract, corpus_case.text())


def test_parse_text_agrees_with_parse_file(corpus_case, api) -> None:
    """``parse_file`` only reads and decodes: parsing the decoded text gives the same contract."""
    by_file = api.contract_of_file(corpus_case.txt)
    by_text = api.contract_of_text(corpus_case.text(), name=str(corpus_case.txt))
    by_file.pop("source", None)  # how parse_file names the source is its own business
    by_text.pop("source", None)
    assert by_text == by_file


def test_source_is_described(corpus_case, api) -> None:
    data = corpus_case.txt.read_bytes()
    contract = api.contract_of_file(corpus_case.txt)
    source = json.dumps(contract.get("source"))
    assert hashlib.sha256(data).hexdigest() in source, source
    assert corpus_case.txt.name in source, source


def test_total_parse_score(corpus_files, api, score, capsys) -> None:
    """Prints ``parse score: M/T`` over the whole corpus (also without ``-s``)."""
    matched = total = 0
    failures: list[str] = []
    for case in corpus_files:
        expected = case.expected()
        try:
            contract: dict[str, Any] = api.contract_of_file(case.txt)
        except Exception as exc:  # a crash scores zero for that file, like the shared scorer
            contract = {}
            failures.append(f"{case.name}: {type(exc).__name__}: {exc}")
        m, t, misses = score(expected, contract)
        matched += m
        total += t
        failures.extend(f"{case.name}: {miss}" for miss in misses)
    line = f"parse score: {matched}/{total}"
    with capsys.disabled():
        print(f"\n{line}")
    assert matched == total, line + "\n" + "\n".join(failures[:80])

"""The named folds of s3graph.folding: what each one makes equal, and what it keeps apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from s3graph.folding import (
    ascii_fold,
    collapse_space,
    fold_accents,
    fold_key,
    fold_label,
    fold_same_length,
    fold_words,
    strip_accents,
    tidy_text,
)
from s3graph.slug import slugify


def test_fold_key_reads_place_names_alike() -> None:
    assert fold_key("Castilla y León") == "castilla y leon"
    assert fold_key("ŁÓDZKIE") == fold_key("Lodzkie") == "lodzkie"
    assert fold_key("Sud - Muntenia") == fold_key("Sud-Muntenia") == fold_key("Sud\u2013Muntenia")
    assert fold_key("Provence-Alpes-Côte d\u2019Azur") == "provence alpes cote d'azur"
    assert fold_key("Castilla y'Leon") != fold_key("Castilla y León")  # apostrophes stay
    assert fold_key("Østfold") == "ostfold"
    assert fold_key("Straße") == "strasse"


def test_fold_accents_keeps_punctuation_and_stroke_letters() -> None:
    assert fold_accents("  Trøndelag \u2013 Île-de-France ") == "trøndelag \u2013 ile-de-france"
    assert fold_accents("Bruxelles-Capitale") != fold_accents("Bruxelles Capitale")


def test_fold_label_ignores_decoration_but_keeps_accents() -> None:
    assert fold_label("*Reporting   period ") == "reporting period"
    assert fold_label("Région") == "région"


def test_fold_same_length_keeps_positions() -> None:
    text = "Énergie\u00a0\u2013 l\u2019Hydrogène"
    folded = fold_same_length(text)
    assert folded == "Energie - l'Hydrogene"
    assert len(folded) == len(text)


def test_ascii_folds_give_slug_words() -> None:
    assert ascii_fold("AI & HMI") == "ai  and  hmi"
    words = ["castilla", "y", "leons", "3d", "printing"]
    assert fold_words("Castilla y León's  3D-printing") == words
    assert slugify("Traceability & Big Data") == "traceability-and-big-data"


def test_space_folds() -> None:
    assert collapse_space(" a \t b\n") == "a b"
    assert tidy_text("Re\u0301gion  Centre") == "Région Centre"
    assert strip_accents("Région") == "Region"


@given(st.text(max_size=40))
def test_folds_are_idempotent(text: str) -> None:
    for fold in (fold_key, fold_accents, fold_label, collapse_space, tidy_text):
        assert fold(fold(text)) == fold(text)
    assert len(fold_same_length(text)) == len(text)
    assert ascii_fold(text).isascii()

"""The layering stated in ``docs/architecture.md``, checked over the real import graph.

Every module of ``s3graph/`` is parsed with :mod:`ast` (nothing is imported, so a module that is
half written still gets checked) and each ``s3graph`` import it makes is collected: at the top,
inside functions and under ``TYPE_CHECKING`` alike, since each is a dependency a reader follows.

The layers below are listed lowest first. A layer holds components, each named by module prefixes
(so a module added to a package is covered by the package's entry); a module may import its own
component and any component of a lower layer, never a component beside it or above it.
``docs/architecture.md`` draws the same table as its arrow and lists every module under its
component; both are checked here too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import s3graph

ROOT = "s3graph"
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"

#: (layer, {component: module prefixes}), lowest layer first. ``s3graph`` alone is the package's
#: ``__init__`` (its version); every other prefix also covers the modules below it.
LAYERS: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    (
        "base",
        {
            "base": (
                ROOT,
                "s3graph.errors",
                "s3graph.model",
                "s3graph.resources",
                "s3graph.process",
                "s3graph.slug",
                "s3graph.folding",
                "s3graph.sparql_lex",
            ),
        },
    ),
    (
        "text and RDF core",
        {
            "parse": ("s3graph.parse",),
            "rdf core": ("s3graph.rdf", "s3graph.namespaces"),
        },
    ),
    ("reference data", {"vocab": ("s3graph.vocab",)}),
    ("linking", {"linking": ("s3graph.linking",)}),
    (
        "one report out",
        {
            "mapping": ("s3graph.mapping",),
            "contract": ("s3graph.contract",),
            "validate": ("s3graph.validate",),
            "reference": ("s3graph.reference",),
        },
    ),
    ("between reports", {"changes": ("s3graph.changes",)}),
    (
        "pipeline and store",
        {
            "pipeline": ("s3graph.pipeline",),
            "store": ("s3graph.store",),
            "remote": ("s3graph.remote",),
        },
    ),
    ("queries", {"sparql": ("s3graph.sparql",)}),
    (
        "vocabularies in the store, query workers",
        {
            "vocab/sources": ("s3graph.vocab.sources",),
            "querypool": ("s3graph.querypool",),
        },
    ),
    (
        "ingest and export",
        {
            "ingest": ("s3graph.ingest", "s3graph.removal", "s3graph.judging", "s3graph.recompute"),
            "export": ("s3graph.export", "s3graph.transfer"),
        },
    ),
    ("api", {"api": ("s3graph.api",)}),
    ("cli", {"cli": ("s3graph.cli",)}),
)

#: Components that must stay free of an RDF library (the parser is plain text in, dataclasses out).
NO_RDF_LIBRARY = ("base", "parse")
RDF_LIBRARIES = ("rdflib", "pyoxigraph", "pyshacl", "oxrdflib")


def _covers(prefix: str, module: str) -> bool:
    return module == prefix or (prefix != ROOT and module.startswith(prefix + "."))


def place(module: str) -> tuple[int, str] | None:
    """(layer index, component) of a module: the longest prefix of the table that covers it."""
    best: tuple[int, int, str] | None = None
    for index, (_layer, components) in enumerate(LAYERS):
        for component, prefixes in components.items():
            for prefix in prefixes:
                if _covers(prefix, module) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), index, component)
    return None if best is None else (best[1], best[2])


def module_names(package_dir: Path) -> dict[str, Path]:
    """Every module of the package folder, by dotted name (a package by its own name)."""
    names: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_of(module: str, path: Path, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import the file makes, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                # ``from s3graph import namespaces`` imports a module, not a name of the package.
                submodule = f"{target}.{alias.name}"
                yield node.lineno, submodule if submodule in known else target


def violations(package_dir: Path) -> list[str]:
    """Each import against the arrow, and each module the layer table does not place."""
    modules = module_names(package_dir)
    known = set(modules)
    shown = package_dir.parent
    found: list[str] = []
    for module, path in modules.items():
        where = place(module)
        if where is None:
            found.append(f"{module}: no layer in tests/test_layers.py covers it")
            continue
        layer, component = where
        for line, target in imports_of(module, path, known):
            if target.split(".")[0] in RDF_LIBRARIES and component in NO_RDF_LIBRARY:
                found.append(f"{path.relative_to(shown)}:{line}: {module} imports {target}")
            if target != ROOT and not target.startswith(ROOT + "."):
                continue
            there = place(target)
            if there is None:
                continue  # reported once as a module without a layer
            if there[0] > layer or (there[0] == layer and there[1] != component):
                found.append(
                    f"{path.relative_to(shown)}:{line}: {module} ({component}, layer "
                    f"{LAYERS[layer][0]!r}) imports {target} ({there[1]}, layer "
                    f"{LAYERS[there[0]][0]!r})"
                )
    return found


def package_dir() -> Path:
    return Path(s3graph.__file__).resolve().parent


def test_every_import_goes_with_the_layer_arrow() -> None:
    found = violations(package_dir())
    assert not found, "imports against the layers of docs/architecture.md:\n  " + "\n  ".join(found)


def test_every_layer_entry_names_a_module() -> None:
    """A stale entry (a module moved away) would quietly stop covering what replaced it."""
    modules = set(module_names(package_dir()))
    stale = [
        prefix
        for _layer, components in LAYERS
        for prefixes in components.values()
        for prefix in prefixes
        if not any(_covers(prefix, m) for m in modules)
    ]
    assert not stale, f"layer entries that name no module of s3graph/: {stale}"


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("parse/text.py", "def later():\n    from s3graph.mapping import to_graph\n"),
        ("parse/text.py", "import rdflib\n"),
        ("store.py", "from s3graph.api import app\n"),
        ("querypool/pool.py", "from ..cli import main\n"),
        ("mapping/report.py", "from s3graph import contract\n"),
        ("api/app.py", "if False:\n    import s3graph.cli.serve\n"),
    ],
)
def test_the_layer_check_fails_on_an_import_against_the_arrow(
    tmp_path: Path, module: str, source: str
) -> None:
    """The checker itself: a small tree with one bad import is refused, naming that import."""
    root = tmp_path / ROOT
    for name in ("__init__.py", "contract.py", "store.py", "mapping/__init__.py", "cli/main.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).parent.joinpath("__init__.py").touch()
        (root / name).write_text("")
    for name in ("parse/text.py", "mapping/report.py", "querypool/pool.py", "api/app.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).parent.joinpath("__init__.py").touch()
        (root / name).write_text("from s3graph import store\n" if name == "api/app.py" else "")
    assert violations(root) == []
    (root / module).write_text(source)
    found = violations(root)
    assert len(found) == 1 and found[0].startswith(f"{ROOT}/{module}:"), found


def _arrow(text: str) -> list[list[str]]:
    """The components of each layer as the document's arrow draws them, lowest first."""
    block = text.split("Data flows one way", 1)[1].split("```", 2)[1]
    return [[part.strip() for part in layer.split("|")] for layer in block.split("<-")]


def test_the_architecture_draws_the_layers_of_this_test() -> None:
    drawn = _arrow(ARCHITECTURE.read_text(encoding="utf-8"))
    assert drawn == [list(components) for _layer, components in LAYERS]


def test_the_architecture_lists_every_module_under_its_component() -> None:
    """Each file of ``s3graph/`` in a table under its component's heading; none that is gone."""
    heading = ""
    listed: dict[str, str] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            heading = line[4:].split(":", 1)[0]
        elif heading and line.startswith("| `s3graph/"):
            listed[line.split("`")[1]] = heading
    modules = module_names(package_dir())
    shown = package_dir().parent
    wrong = []
    for module, path in modules.items():
        file = path.relative_to(shown).as_posix()
        where = place(module)
        components = [part.strip() for part in listed.get(file, "").split("|")]
        if file not in listed:
            wrong.append(f"{file}: not listed")
        elif where is not None and where[1] not in components:
            wrong.append(f"{file}: listed under {listed[file]!r}, its component is {where[1]!r}")
    files = {p.relative_to(shown).as_posix() for p in modules.values()}
    wrong.extend(f"{file}: listed, but no such module" for file in listed if file not in files)
    assert not wrong, "docs/architecture.md:\n  " + "\n  ".join(wrong)

"""Where the declarative folders (``ontology/``, ``shapes/``, ``queries/``) are.

An installed wheel carries them inside the package (``s3graph/queries`` ...: the build
force-includes the top-level folders there). A source checkout or an editable install keeps them at
the top of the repository, next to the ``s3graph`` package. The packaged copy wins when both exist.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal, get_args

ResourceName = Literal["ontology", "shapes", "queries"]

#: The folders :func:`resource_dir` knows.
RESOURCE_NAMES: tuple[str, ...] = get_args(ResourceName)


def resource_dir(name: ResourceName) -> Path:
    """The folder ``name`` of the installed package, else of the source checkout.

    Raises :class:`ValueError` for a name that is not a resource folder and
    :class:`FileNotFoundError` (naming both places looked at) when neither exists: the
    installation is broken.
    """
    if name not in RESOURCE_NAMES:
        raise ValueError(f"unknown resource folder {name!r}: expected one of {RESOURCE_NAMES}")
    candidates = _candidates(name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = " or ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"the {name}/ folder of s3graph is missing (looked in {looked}); "
        "reinstall s3graph, or run from a complete source checkout"
    )


def _candidates(name: str) -> list[Path]:
    """The packaged folder (when the package lives on a file system), then the checkout's."""
    found: list[Path] = []
    packaged = resources.files("s3graph") / name
    if isinstance(packaged, Path):  # a zipped package has no folder to hand out
        found.append(packaged)
    found.append(Path(__file__).resolve().parents[1] / name)
    return found

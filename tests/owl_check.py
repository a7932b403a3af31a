"""Check OWL ontologies with the OWL API and HermiT, in a JVM of this process.

Run as ``python tests/owl_check.py FILE... [--data FILE...]``: prints one JSON object per file,
in order, each with ``violations`` (the OWL 2 DL profile violations the OWL API's
``OWL2DLProfile`` finds, as its class name and text) and ``consistent`` (HermiT's answer; null
when the ontology is not in the profile, where HermiT's answer would mean little). The files after
``--data`` are the ontology with data: only their consistency is checked (the data uses terms of
vocabularies the ontology does not declare, and long literals overflow the profile checker).
The OWL API and HermiT come from the ``HermiT.jar`` that the ``owlready2`` package ships (it
bundles OWL API 3.4 with HermiT), driven through JPype.

A script of its own, run in a child process by ``tests/test_ontology_owl.py``: a JVM started inside
pytest would stay for the whole session, and several tests fork.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jpype
import owlready2


def hermit_jar() -> Path:
    """The HermiT jar of the installed owlready2 (it holds the OWL API too)."""
    return Path(owlready2.__file__).resolve().parent / "hermit" / "HermiT.jar"


def check(path: Path, *, profile: bool = True) -> dict[str, Any]:
    manager = jpype.JClass("org.semanticweb.owlapi.apibinding.OWLManager")
    dl_profile = jpype.JClass("org.semanticweb.owlapi.profiles.OWL2DLProfile")
    factory = jpype.JClass("org.semanticweb.HermiT.Reasoner$ReasonerFactory")
    file = jpype.JClass("java.io.File")
    ontology = manager.createOWLOntologyManager().loadOntologyFromOntologyDocument(
        file(str(path))
    )
    violations = [
        {"kind": str(v.getClass().getSimpleName()), "text": str(v.toString())}
        for v in (dl_profile().checkOntology(ontology).getViolations() if profile else [])
    ]
    consistent = None
    if not violations:
        consistent = bool(factory().createReasoner(ontology).isConsistent())
    return {"file": str(path), "violations": violations, "consistent": consistent}


def main(files: list[str]) -> int:
    jpype.startJVM(classpath=[str(hermit_jar())], convertStrings=False)
    data = False
    for name in files:
        if name == "--data":
            data = True
            continue
        print(json.dumps(check(Path(name), profile=not data)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

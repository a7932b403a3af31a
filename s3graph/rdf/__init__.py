"""The RDF core under every other layer: what rdflib and pyoxigraph code must agree on.

* :mod:`s3graph.rdf.namespaces`: each namespace IRI once, as strings, rdflib terms and pyoxigraph
  nodes, and the one prefix table;
* :mod:`s3graph.rdf.formats`: the table of RDF and results formats and the one ``Accept``
  negotiator;
* :mod:`s3graph.rdf.results`: one streaming writer per SPARQL results format;
* :mod:`s3graph.rdf.graphs`: named graphs as N-Triples lines and the updates that replace them.

Nothing here imports another s3graph package: the mapping, the store, the export and the API all
build on it.
"""

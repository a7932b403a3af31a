"""The web front door: a FastAPI app over the store (SPARQL Protocol, Graph Store, pages).

Build it with :func:`s3graph.api.app.create_app`; media types and negotiation live in
:mod:`s3graph.api.negotiation`.
"""

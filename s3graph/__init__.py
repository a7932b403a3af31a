"""s3graph: monitoring reports of the S3 thematic partnerships as a linked-data knowledge graph."""

__version__ = "0.1.0"

"""The ingestion pipeline: decoding, extraction, fetching, URLs, feeds, feed polling and the
`Ingestor` every way of adding articles goes through."""

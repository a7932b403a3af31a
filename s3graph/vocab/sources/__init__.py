"""Where reference data comes from and goes to: downloads, the user's cache, the store.

``s3graph.vocab`` itself holds the reference data as pure values (the NUTS index, region names,
the partnership registry, the SDG goals) and their parsers; this package holds everything that
reaches outside the process to get or keep them: :mod:`.urls` (the official sources),
:mod:`.fetch` (HTTP with retries and a revalidated cache), :mod:`.wikidata` (English names of
NUTS regions, fetched into the cache), :mod:`.loading` (one file or download into the store),
:mod:`.batch` (several files at once, read before the one write), :mod:`.base` (the SDG goals
and the registry every store holds) and :mod:`.stored` (the reference data read back).
"""

"""Country abbreviations and English names as reports write them (EU, EFTA, UK, candidates).

Facts, not logic: the NUTS country codes (EL for Greece, UK for the United Kingdom) plus the ISO
codes that reports use instead (GR, GB), so that a mention can be recognised and later judged.
"""

from __future__ import annotations

COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "AT": ("Austria",),
    "BE": ("Belgium",),
    "BG": ("Bulgaria",),
    "CY": ("Cyprus",),
    "CZ": ("Czechia", "Czech Republic"),
    "DE": ("Germany",),
    "DK": ("Denmark",),
    "EE": ("Estonia",),
    "EL": ("Greece",),
    "GR": ("Greece",),
    "ES": ("Spain",),
    "FI": ("Finland",),
    "FR": ("France",),
    "HR": ("Croatia",),
    "HU": ("Hungary",),
    "IE": ("Ireland",),
    "IT": ("Italy",),
    "LT": ("Lithuania",),
    "LU": ("Luxembourg",),
    "LV": ("Latvia",),
    "MT": ("Malta",),
    "NL": ("Netherlands", "The Netherlands"),
    "PL": ("Poland",),
    "PT": ("Portugal",),
    "RO": ("Romania",),
    "SE": ("Sweden",),
    "SI": ("Slovenia",),
    "SK": ("Slovakia",),
    "UK": ("United Kingdom", "UK"),
    "GB": ("United Kingdom",),
    "CH": ("Switzerland",),
    "IS": ("Iceland",),
    "LI": ("Liechtenstein",),
    "NO": ("Norway",),
    "AL": ("Albania",),
    "ME": ("Montenegro",),
    "MK": ("North Macedonia",),
    "RS": ("Serbia",),
    "TR": ("Turkey", "Türkiye"),
}

#: Two-letter prefixes a stated NUTS code may start with (GR and GB too: judged later).
CODE_PREFIXES: frozenset[str] = frozenset(COUNTRY_NAMES)

#: English country names, longest first so that "The Netherlands" wins over "Netherlands".
NAMES: tuple[str, ...] = tuple(
    sorted({n for names in COUNTRY_NAMES.values() for n in names}, key=len, reverse=True)
)

"""Map projections for the NUTS boundaries: EPSG:3035 read back to longitude/latitude, and the
equal-area frame the maps are drawn in.

GISCO publishes every NUTS geometry in EPSG:4326 (longitude, latitude) and in EPSG:3035
(ETRS89 Lambert azimuthal equal-area, metres). s3graph keeps longitude/latitude (the default
CRS of a GeoSPARQL WKT literal), so a user's file in EPSG:3035 is turned back with the inverse
ellipsoidal formulas of the EPSG guidance (Snyder's series for the latitude). Maps are drawn in
the spherical form of the same projection, centred where EPSG:3035 is: areas compare truly, and
Europe looks as it does in Eurostat's own maps. Pure arithmetic, no library.
"""

from __future__ import annotations

import math

#: GRS 80, the ellipsoid of ETRS89.
_A = 6378137.0
_E2 = 0.006694380022900787
_E = math.sqrt(_E2)
#: EPSG:3035: natural origin 52 N 10 E, false easting 4 321 000 m, false northing 3 210 000 m.
ORIGIN_LAT = 52.0
ORIGIN_LON = 10.0
_FALSE_EASTING = 4321000.0
_FALSE_NORTHING = 3210000.0


def _q(sin_phi: float) -> float:
    """Snyder's q, the authalic-latitude function of the ellipsoid."""
    es = _E * sin_phi
    return (1 - _E2) * (sin_phi / (1 - _E2 * sin_phi**2) - math.log((1 - es) / (1 + es)) / (2 * _E))


_QP = _q(1.0)
_RQ = _A * math.sqrt(_QP / 2)
_SIN_PHI0 = math.sin(math.radians(ORIGIN_LAT))
_BETA0 = math.asin(_q(_SIN_PHI0) / _QP)
_D = (
    _A
    * math.cos(math.radians(ORIGIN_LAT))
    / (math.sqrt(1 - _E2 * _SIN_PHI0**2) * _RQ * math.cos(_BETA0))
)
_S2 = _E2 / 3 + 31 * _E2**2 / 180 + 517 * _E2**3 / 5040
_S4 = 23 * _E2**2 / 360 + 251 * _E2**3 / 3780
_S6 = 761 * _E2**3 / 45360


def laea_to_lonlat(easting: float, northing: float) -> tuple[float, float]:
    """An EPSG:3035 position (metres) as (longitude, latitude) in degrees, ETRS89.

    >>> lon, lat = laea_to_lonlat(3962799.45, 2999718.85)  # the EPSG guidance's example
    >>> round(lon, 6), round(lat, 6)
    (5.0, 50.0)
    """
    x, y = easting - _FALSE_EASTING, northing - _FALSE_NORTHING
    rho = math.hypot(x / _D, _D * y)
    if rho == 0:
        return ORIGIN_LON, ORIGIN_LAT
    c = 2 * math.asin(min(1.0, rho / (2 * _RQ)))
    sin_c, cos_c = math.sin(c), math.cos(c)
    beta = math.asin(cos_c * math.sin(_BETA0) + _D * y * sin_c * math.cos(_BETA0) / rho)
    lon = ORIGIN_LON + math.degrees(
        math.atan2(
            x * sin_c,
            _D * rho * math.cos(_BETA0) * cos_c - _D**2 * y * math.sin(_BETA0) * sin_c,
        )
    )
    lat = beta + _S2 * math.sin(2 * beta) + _S4 * math.sin(4 * beta) + _S6 * math.sin(6 * beta)
    return lon, math.degrees(lat)


_SIN_LAT0 = math.sin(math.radians(ORIGIN_LAT))
_COS_LAT0 = math.cos(math.radians(ORIGIN_LAT))


def equal_area(lon: float, lat: float) -> tuple[float, float]:
    """(longitude, latitude) in the spherical Lambert azimuthal equal-area frame of EPSG:3035,
    on the unit sphere: x grows eastwards, y northwards (a map flips y)."""
    phi, dlon = math.radians(lat), math.radians(lon - ORIGIN_LON)
    cos_phi = math.cos(phi)
    denominator = 1 + _SIN_LAT0 * math.sin(phi) + _COS_LAT0 * cos_phi * math.cos(dlon)
    k = math.sqrt(2 / denominator) if denominator > 1e-12 else 0.0
    return (
        k * cos_phi * math.sin(dlon),
        k * (_COS_LAT0 * math.sin(phi) - _SIN_LAT0 * cos_phi * math.cos(dlon)),
    )


__all__ = ["ORIGIN_LAT", "ORIGIN_LON", "equal_area", "laea_to_lonlat"]

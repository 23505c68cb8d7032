"""The jurisdiction tree of the seed: one city over DISTRICTS districts, STREETS streets in each,
COMMUNITIES communities in each street, with GB/T 2260-style codes (city 6 digits ending in 00,
districts its first 4 digits + 2, streets + 3, communities + 3) and names from the place words.

A city's districts share its first four digits, so a city holds at most 99 of them (01–99): the seed
has 99 districts, 990 streets and 9,900 communities. The first district is the bench district."""

from __future__ import annotations

import random

from .words import PLACE_CHARS

CITY_CODE = "990100"
CITY_NAME = "云州市"
DISTRICTS = 99
STREETS = 10
COMMUNITIES = 10
RURAL_STREETS = 3  # of each district's streets, the last ones are townships (镇) with villages (村)

REGION_COLUMNS = ("id", "code", "name", "level", "parent_id", "district_id", "path", "is_active", "area_kind")
PLACE_COLUMNS = (
    "d", "c", "community_id", "street_id", "district_id", "community_name", "street_name", "district_name",
    "district_code", "street_code", "community_code", "community_path", "street_path", "rural",
)  # fmt: skip
PLACE_TABLE = """
CREATE TEMP TABLE seed_place (
    d int, c int, community_id bigint, street_id bigint, district_id bigint, community_name text,
    street_name text, district_name text, district_code text, street_code text, community_code text,
    community_path text, street_path text, rural boolean, PRIMARY KEY (d, c)
)
"""


def _stems(rng: random.Random):
    """Endless two-character place stems, no stem twice until all pairs are used."""
    pairs = [a + b for a in PLACE_CHARS for b in PLACE_CHARS if a != b]
    while True:
        rng.shuffle(pairs)
        yield from pairs


def build(base: int) -> tuple[list[tuple], list[tuple]]:
    """Rows of accounts_region (ids above `base`) and of the session's seed_place table (one per
    community: district index d from 0, community index c 0–99 within its district)."""
    rng = random.Random(14)
    stems = _stems(rng)
    city_id = base + 1
    city_path = f"{CITY_CODE}/"
    regions = [(city_id, CITY_CODE, CITY_NAME, "city", None, None, city_path, True, "")]
    places = []
    next_id = city_id + 1
    district_names = set()
    for d in range(DISTRICTS):
        name = next(stems) + "区"
        while name in district_names:
            name = next(stems) + "区"
        district_names.add(name)
        district_id, district_code = next_id, f"{CITY_CODE[:4]}{d + 1:02d}"
        next_id += 1
        district_path = f"{city_path}{district_code}/"
        regions.append((district_id, district_code, name, "district", city_id, district_id, district_path, True, ""))
        for s in range(STREETS):
            rural = s >= STREETS - RURAL_STREETS
            street_id, street_code = next_id, f"{district_code}{s + 1:03d}"
            next_id += 1
            street_name = next(stems) + ("镇" if rural else "街道")
            street_path = f"{district_path}{street_code}/"
            kind = "rural" if rural else "urban"
            regions.append((street_id, street_code, street_name, "street", district_id, district_id, street_path,
                            True, kind))  # fmt: skip
            for c in range(COMMUNITIES):
                community_id, community_code = next_id, f"{street_code}{c + 1:03d}"
                next_id += 1
                community_name = next(stems) + ("村" if rural else "社区")
                community_path = f"{street_path}{community_code}/"
                regions.append((community_id, community_code, community_name, "community", street_id, district_id,
                                community_path, True, kind))  # fmt: skip
                places.append((d, s * COMMUNITIES + c, community_id, street_id, district_id, community_name,
                               street_name, name, district_code, street_code, community_code, community_path,
                               street_path, rural))  # fmt: skip
    return regions, places


def seed(run) -> None:
    import time

    began = time.perf_counter()
    regions, places = build(run.base("accounts_region"))
    run.copy("accounts_region", REGION_COLUMNS, regions)
    run.sql(PLACE_TABLE)
    run.copy("seed_place", PLACE_COLUMNS, places)
    run.sql("ANALYZE seed_place")
    run.done("regions", len(regions), time.perf_counter() - began)

"""The cells of a roster: the district's streets and communities by name (`RegionIndex`) and the
cleaners that turn one cell into a value or a ValueError with the message for the clerk. Pure
functions, no database (registry.roster_import reads the sheet and uses these per row)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core import sheet_reader
from core.sheet_reader import header_key, normalize


@dataclass
class RegionIndex:
    """The district's streets and their communities by name, for resolving 所属街道 / 所属社区."""

    streets: dict[str, int] = field(default_factory=dict)  # folded name → street id
    communities: dict[tuple[int, str], int] = field(default_factory=dict)  # (street id, folded name) → id
    # folded community name → [(street id, community id)] across the district, for a blank street
    by_community: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # id → name, for the dry run

    @classmethod
    def from_regions(cls, streets: Iterable[tuple[int, str, str]], communities: Iterable[tuple[int, str, str, int]]):
        """streets: (id, code, name); communities: (id, code, name, street id)."""
        index = cls()
        for pk, code, name in streets:
            index.streets[region_key(name)] = pk
            index.streets[code] = pk
            index.names[pk] = name
        for pk, code, name, street_id in communities:
            index.communities[(street_id, region_key(name))] = pk
            index.communities[(street_id, code)] = pk
            index.names[pk] = name
            for key in {region_key(name), code}:
                index.by_community.setdefault(key, []).append((street_id, pk))
        return index

    def street(self, text: str) -> int | None:
        key = region_key(text)
        found = self.streets.get(key)
        if found is None:
            # "北山" for 北山街道, "三墩" for 三墩镇.
            for suffix in ("街道", "街道办事处", "镇", "乡"):
                found = found or self.streets.get(key + suffix)
        return found

    def community(self, street_id: int, text: str) -> int | None:
        key = region_key(text)
        found = self.communities.get((street_id, key))
        if found is None:
            for suffix in ("社区", "村", "社区居委会", "村委会"):
                found = found or self.communities.get((street_id, key + suffix))
        return found

    def communities_named(self, text: str) -> list[tuple[int, int]]:
        """(street id, community id) of every community of the district with this name."""
        key = region_key(text)
        for candidate in (key, *(key + suffix for suffix in ("社区", "村", "社区居委会", "村委会"))):
            if candidate in self.by_community:
                return self.by_community[candidate]
        return []


def region_key(text: Any) -> str:
    return re.sub(r"\s+", "", normalize(text))


# ---- cell cleaners: return a value or raise ValueError with the message for the user ----


def clean_text(value: Any, max_length: int = 200) -> str:
    text = re.sub(r"\s+", " ", str(value).replace("\u3000", " ")).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if len(text) > max_length:
        raise ValueError(_("is longer than %(n)d characters") % {"n": max_length})
    return text


def clean_name(value: Any) -> str:
    # Names keep their full-width brackets（）, only blanks go.
    return re.sub(r"[\s\u3000]+", "", str(value)) if value is not None else ""


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """A founding date as people type it (core.sheet_reader.parse_date), not in the future and not
    before 1949."""
    result = sheet_reader.parse_date(value)
    if result is None:
        return None
    if result > (today or dt.date.today()):
        raise ValueError(_("%(value)s is in the future") % {"value": result.isoformat()})
    if result.year < 1949:
        raise ValueError(_("%(value)s is too early") % {"value": result.isoformat()})
    return result


def parse_choice(value: Any, mapping: dict[str, str], suffixes: Sequence[str] = ()) -> str | None:
    key = header_key(value)
    if not key:
        return None
    code = normalize(value).lower()
    if code in mapping.values():  # the code itself, e.g. from an exported roster
        return code
    if key in mapping:
        return mapping[key]
    for suffix in suffixes:
        if key.endswith(suffix) and key[: -len(suffix)] in mapping:
            return mapping[key[: -len(suffix)]]
    raise ValueError(
        _("“%(value)s” is not one of: %(choices)s")
        % {"value": normalize(value), "choices": "、".join(dict.fromkeys(k for k in mapping if len(k) > 2))}
    )


def parses(value: Any, mapping: dict[str, str], suffixes: Sequence[str]) -> bool:
    try:
        return parse_choice(value, mapping, suffixes) is not None
    except ValueError:
        return False


def parse_amount(value: Any) -> Decimal | None:
    """Funds in 万元 (the unit may be written after the number)."""
    return sheet_reader.parse_amount(value, suffixes=("万元", "万"))


def parse_phone(value: Any) -> str:
    """Blanks removed; two numbers in one cell kept, joined by "、" (core.sheet_reader)."""
    return sheet_reader.parse_phone(value, max_length=30)


def normalize_uscc(value: Any) -> str:
    return re.sub(r"[\s\-]", "", normalize(value)).upper()

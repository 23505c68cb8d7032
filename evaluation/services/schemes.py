"""Evaluation schemes: indicators (weights summing to 100, each with its source), rater dimensions
(weights summing to 100 when experts score any indicator) and star thresholds (strictly
decreasing). A scheme a round uses is frozen; copying makes a new one the district keeps."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction

from .. import permissions as rules
from ..choices import Dimension, IndicatorSource
from ..models import Scheme, SchemeDimension, SchemeIndicator
from ..models.schemes import DEFAULT_THRESHOLDS
from ..selectors import scheme_in_use
from ._common import HUNDRED, decimal_in, district_error, raise_errors, require

THRESHOLD_FIELDS = ("five_star_min", "four_star_min", "three_star_min", "two_star_min")
NAME_MAX = Scheme._meta.get_field("name").max_length
INDICATOR_NAME_MAX = SchemeIndicator._meta.get_field("name").max_length
TEXT_MAX = 2000


def _indicators(indicators, errors: dict) -> list[dict]:
    what = _("Indicators")
    rows, names, rules_seen = [], set(), set()
    if not isinstance(indicators, list | tuple) or not indicators:
        errors["indicators"] = _("%(what)s: add at least one indicator.") % {"what": what}
        return []
    for position, item in enumerate(indicators, start=1):
        if not isinstance(item, dict):
            errors.setdefault(
                "indicators", _("%(what)s: row %(n)d is not an indicator.") % {"what": what, "n": position}
            )
            continue
        row_what = _("Indicators, row %(n)d") % {"n": position}
        name = str(item.get("name") or "").strip()
        source = item.get("source")
        if not name:
            errors.setdefault("indicators", _("%(what)s: give the indicator a name.") % {"what": row_what})
        elif len(name) > INDICATOR_NAME_MAX:
            errors.setdefault(
                "indicators", _("%(what)s: at most %(n)d characters.") % {"what": row_what, "n": INDICATOR_NAME_MAX}
            )
        elif name in names:
            errors.setdefault(
                "indicators", _("%(what)s: two indicators are named %(name)s.") % {"what": what, "name": name}
            )
        names.add(name)
        if source not in IndicatorSource.values:
            errors.setdefault(
                "indicators",
                _("%(what)s: choose the source among %(choices)s.")
                % {"what": row_what, "choices": "、".join(str(label) for label in IndicatorSource.labels)},
            )
        elif source != IndicatorSource.EXPERT:
            if source in rules_seen:
                errors.setdefault(
                    "indicators",
                    _("%(what)s: the source “%(source)s” is used once per scheme.")
                    % {"what": what, "source": IndicatorSource(source).label},
                )
            rules_seen.add(source)
        weight = decimal_in(
            item.get("weight"), field="indicators", what=_("%(row)s weight") % {"row": row_what}, errors=errors
        )
        guidance = str(item.get("guidance") or "").strip()
        if len(guidance) > TEXT_MAX:
            errors.setdefault(
                "indicators",
                _("%(what)s: the guidance has at most %(n)d characters.") % {"what": row_what, "n": TEXT_MAX},
            )
        rows.append({"name": name, "source": source, "weight": weight, "guidance": guidance, "sequence": position})
    if "indicators" not in errors:
        total = sum((r["weight"] for r in rows), Decimal(0))
        if total != HUNDRED:
            errors["indicators"] = _("%(what)s: the weights add up to %(total)s; they must add up to exactly 100.") % {
                "what": what,
                "total": f"{total.normalize():f}",
            }
    return rows


def _dimensions(dimensions, indicators: list[dict], errors: dict) -> list[dict]:
    what = _("Rater dimensions")
    rows, seen = [], set()
    if not isinstance(dimensions, list | tuple):
        errors["dimensions"] = _("%(what)s: choose the dimensions and their weights.") % {"what": what}
        return []
    for item in dimensions:
        dimension = item.get("dimension") if isinstance(item, dict) else None
        if dimension not in Dimension.values:
            errors.setdefault(
                "dimensions",
                _("%(what)s: choose among %(choices)s.")
                % {"what": what, "choices": "、".join(str(label) for label in Dimension.labels)},
            )
            continue
        label = Dimension(dimension).label
        if dimension in seen:
            errors.setdefault(
                "dimensions", _("%(what)s: %(dimension)s is listed twice.") % {"what": what, "dimension": label}
            )
        seen.add(dimension)
        weight = decimal_in(
            item.get("weight"),
            field="dimensions",
            what=_("Rater dimensions, weight of %(dimension)s") % {"dimension": label},
            errors=errors,
        )
        rows.append({"dimension": dimension, "weight": weight})
    experts = any(r["source"] == IndicatorSource.EXPERT for r in indicators)
    if experts and "dimensions" not in errors:
        total = sum((r["weight"] for r in rows), Decimal(0))
        if total != HUNDRED:
            errors["dimensions"] = _(
                "%(what)s: experts score an indicator, so the dimensions' weights must add up to exactly 100 "
                "(now %(total)s)."
            ) % {"what": what, "total": f"{total.normalize():f}"}
    return rows


def _thresholds(thresholds, errors: dict) -> dict:
    if thresholds is None:
        return {name: DEFAULT_THRESHOLDS[stars] for name, stars in zip(THRESHOLD_FIELDS, (5, 4, 3, 2), strict=True)}
    if not isinstance(thresholds, dict):
        errors["thresholds"] = _("Star thresholds: give the least score for five, four, three and two stars.")
        return {}
    values = {}
    for name in THRESHOLD_FIELDS:
        what = str(Scheme._meta.get_field(name).verbose_name)
        value = decimal_in(thresholds.get(name), field=name, what=what, errors=errors)
        if value is not None and value <= 0:
            errors[name] = _("%(what)s: enter a number greater than 0.") % {"what": what}
            value = None
        values[name] = value
    if not any(name in errors for name in THRESHOLD_FIELDS):
        for higher, lower in itertools.pairwise(THRESHOLD_FIELDS):
            if values[lower] >= values[higher]:
                errors[lower] = _("%(lower)s: must be below %(higher)s (%(value)s).") % {
                    "lower": Scheme._meta.get_field(lower).verbose_name,
                    "higher": Scheme._meta.get_field(higher).verbose_name,
                    "value": values[higher],
                }
                break
    return values


def _name(name, region, errors: dict, *, exclude=None) -> str:
    name = str(name or "").strip()
    what = _("Name")
    if not name:
        errors["name"] = _("%(what)s: please fill this in.") % {"what": what}
    elif len(name) > NAME_MAX:
        errors["name"] = _("%(what)s: at most %(n)d characters.") % {"what": what, "n": NAME_MAX}
    elif region is not None:
        clash = Scheme.objects.filter(region=region, name=name)
        if exclude is not None:
            clash = clash.exclude(pk=exclude.pk)
        if clash.exists():
            errors["name"] = _("%(what)s: %(region)s already has a scheme named %(name)s.") % {
                "what": what,
                "region": region.name,
                "name": name,
            }
    return name


def _save_parts(scheme: Scheme, indicators: list[dict] | None, dimensions: list[dict] | None) -> None:
    if indicators is not None:
        scheme.indicators.all().delete()
        SchemeIndicator.objects.bulk_create(SchemeIndicator(scheme=scheme, **row) for row in indicators)
    if dimensions is not None:
        scheme.dimensions.all().delete()
        SchemeDimension.objects.bulk_create(SchemeDimension(scheme=scheme, **row) for row in dimensions)


def _parts_json(scheme: Scheme) -> dict:
    """The indicators and dimensions as the audit record keeps them."""
    return {
        "indicators": [
            {"name": i.name, "source": i.source, "weight": str(i.weight)}
            for i in scheme.indicators.order_by("sequence", "pk")
        ],
        "dimensions": [{"dimension": d.dimension, "weight": str(d.weight)} for d in scheme.dimensions.order_by("pk")],
    }


@transaction.atomic
def scheme_create(*, by, region, name, description="", indicators, dimensions, thresholds=None) -> Scheme:
    """A scheme of `region` (a district). See the module's docstring for the rules."""
    errors: dict = {}
    if message := district_error(region):
        raise_errors({"region": message})
    require(rules.may_keep_scheme(by, region=region))
    name = _name(name, region, errors)
    description = str(description or "").strip()
    if len(description) > TEXT_MAX:
        errors["description"] = _("Description: at most %(n)d characters.") % {"n": TEXT_MAX}
    indicator_rows = _indicators(indicators, errors)
    dimension_rows = _dimensions(dimensions, indicator_rows, errors)
    threshold_values = _thresholds(thresholds, errors)
    raise_errors(errors)
    scheme = Scheme.objects.create(name=name, region=region, description=description, **threshold_values)
    _save_parts(scheme, indicator_rows, dimension_rows)
    audit.record(actor=by, action=AuditAction.CREATE, obj=scheme, message=str(_parts_json(scheme)))
    return scheme


@transaction.atomic
def scheme_update(
    scheme, *, by, name=None, description=None, indicators=None, dimensions=None, thresholds=None, is_active=None
) -> Scheme:
    """Replace the parts given (None: kept). Refused while a round uses the scheme."""
    scheme = Scheme.objects.select_for_update(of=("self",)).select_related("region").get(pk=scheme.pk)
    require(rules.may_keep_scheme(by, scheme))
    if scheme_in_use(scheme):
        raise_errors(
            {
                "scheme": _(
                    "The scheme is used by an evaluation round and cannot be changed; copy it to change the copy."
                )
            }
        )
    errors: dict = {}
    before = {**audit.snapshot(scheme), **_parts_json(scheme)}
    if name is not None:
        scheme.name = _name(name, scheme.region, errors, exclude=scheme)
    if description is not None:
        scheme.description = str(description).strip()
        if len(scheme.description) > TEXT_MAX:
            errors["description"] = _("Description: at most %(n)d characters.") % {"n": TEXT_MAX}
    if is_active is not None:
        scheme.is_active = bool(is_active)
    indicator_rows = _indicators(indicators, errors) if indicators is not None else None
    current_indicators = indicator_rows if indicator_rows is not None else list(scheme.indicators.values("source"))
    if dimensions is not None:
        dimension_rows = _dimensions(dimensions, current_indicators, errors)
    elif indicator_rows is not None:  # the dimensions kept must still fit the new indicators
        kept = [{"dimension": d.dimension, "weight": d.weight} for d in scheme.dimensions.all()]
        _dimensions(kept, current_indicators, errors)
        dimension_rows = None
    else:
        dimension_rows = None
    if thresholds is not None:
        for field, value in _thresholds(thresholds, errors).items():
            setattr(scheme, field, value)
    raise_errors(errors)
    scheme.save()
    _save_parts(scheme, indicator_rows, dimension_rows)
    audit.record(actor=by, action=AuditAction.UPDATE, obj=scheme, before=before, message=str(_parts_json(scheme)))
    return scheme


@transaction.atomic
def scheme_copy(scheme, *, by, region, name="") -> Scheme:
    """A copy of `scheme` (any the user reads, the default one included) kept by `region`."""
    if message := district_error(region):
        raise_errors({"region": message})
    require(rules.may_copy_scheme(by, scheme))
    require(rules.may_keep_scheme(by, region=region))
    if by is not None and not Scheme.objects.restrict(by).filter(pk=scheme.pk).exists():
        require((False, _("This is outside your jurisdiction.")))
    errors: dict = {}
    name = _name(name or _("%(name)s (copy)") % {"name": scheme.name}, region, errors)
    raise_errors(errors)
    copy = Scheme.objects.create(
        name=name,
        region=region,
        description=scheme.description,
        copied_from=scheme,
        **{field: getattr(scheme, field) for field in THRESHOLD_FIELDS},
    )
    _save_parts(
        copy,
        [
            {"name": i.name, "source": i.source, "weight": i.weight, "guidance": i.guidance, "sequence": i.sequence}
            for i in scheme.indicators.order_by("sequence", "pk")
        ],
        [{"dimension": d.dimension, "weight": d.weight} for d in scheme.dimensions.order_by("pk")],
    )
    audit.record(
        actor=by, action=AuditAction.CREATE, obj=copy, message=_("Copied from %(name)s") % {"name": scheme.name}
    )
    return copy

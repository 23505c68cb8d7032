"""The default evaluation scheme (no region: every district reads it and copies it to make its own),
created by migration 0002 and re-created by `ensure_default_scheme` wherever a database may have lost
it (a flushed test database, `manage.py flush` before `seed_demo`)."""

from __future__ import annotations

from decimal import Decimal

DEFAULT_SCHEME_NAME = "星级评定默认方案"
DESCRIPTION = "区民政局可复制本方案后调整指标、权重和星级分数线。"
# (name, source, weight, guidance)
INDICATORS = [
    ("项目质量", "expert", 40, "专家根据项目设计、服务内容、专业方法和成效评分。"),
    ("进度", "progress", 20, "由项目台账计算：指标完成率与季度报送及时率。"),
    ("群众知晓率", "awareness", 10, "由服务对象反馈计算：知道本项目的人数占比。"),
    ("参与率", "participation", 10, "由服务对象反馈计算，并与台账参与人数对照目标。"),
    ("满意度", "satisfaction", 20, "由服务对象反馈计算：满意度 1–5 分折算为百分制。"),
]
DIMENSIONS = [("technical", 40), ("department", 30), ("media", 10), ("resident", 20)]
THRESHOLDS = {"five_star_min": 90, "four_star_min": 80, "three_star_min": 70, "two_star_min": 60}


def ensure_default_scheme(scheme_model=None):
    """The default scheme, created with its indicators and dimensions if it is missing. `scheme_model`
    is the historical model inside a migration."""
    if scheme_model is None:
        from .models import Scheme as scheme_model
    scheme = scheme_model.objects.filter(region__isnull=True, name=DEFAULT_SCHEME_NAME).first()
    if scheme is not None:
        return scheme
    scheme = scheme_model.objects.create(
        name=DEFAULT_SCHEME_NAME,
        description=DESCRIPTION,
        **{field: Decimal(value) for field, value in THRESHOLDS.items()},
    )
    for sequence, (name, source, weight, guidance) in enumerate(INDICATORS, start=1):
        scheme.indicators.create(name=name, source=source, weight=Decimal(weight), sequence=sequence, guidance=guidance)
    for dimension, weight in DIMENSIONS:
        scheme.dimensions.create(dimension=dimension, weight=Decimal(weight))
    return scheme

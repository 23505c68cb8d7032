"""The default evaluation scheme every district reads (no region) and copies to make its own."""

from decimal import Decimal

from django.db import migrations

NAME = "星级评定默认方案"
INDICATORS = [
    ("项目质量", "expert", 40, "专家根据项目设计、服务内容、专业方法和成效评分。"),
    ("进度", "progress", 20, "由项目台账计算：指标完成率与季度报送及时率。"),
    ("群众知晓率", "awareness", 10, "由服务对象反馈计算：知道本项目的人数占比。"),
    ("参与率", "participation", 10, "由服务对象反馈计算，并与台账参与人数对照目标。"),
    ("满意度", "satisfaction", 20, "由服务对象反馈计算：满意度 1–5 分折算为百分制。"),
]
DIMENSIONS = [("technical", 40), ("department", 30), ("media", 10), ("resident", 20)]


def create(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    if Scheme.objects.filter(region__isnull=True, name=NAME).exists():
        return
    scheme = Scheme.objects.create(
        name=NAME,
        description="区民政局可复制本方案后调整指标、权重和星级分数线。",
        five_star_min=Decimal(90),
        four_star_min=Decimal(80),
        three_star_min=Decimal(70),
        two_star_min=Decimal(60),
    )
    for sequence, (name, source, weight, guidance) in enumerate(INDICATORS, start=1):
        scheme.indicators.create(name=name, source=source, weight=Decimal(weight), sequence=sequence, guidance=guidance)
    for dimension, weight in DIMENSIONS:
        scheme.dimensions.create(dimension=dimension, weight=Decimal(weight))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

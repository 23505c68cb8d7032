"""Evaluation schemes (评价方案): indicators with their weights and sources, rater dimensions with
their weights, and the star thresholds. A scheme a round uses is frozen; copying makes a new one.
The default scheme (no region: every district reads it) is created by migration 0002."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel

from ..choices import Dimension, IndicatorSource
from .policies import SCHEME_PART_POLICY, SCHEME_POLICY

WEIGHT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}
SCORE = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}
DEFAULT_THRESHOLDS = {5: Decimal(90), 4: Decimal(80), 3: Decimal(70), 2: Decimal(60)}


class Scheme(ScopedModel):
    name = models.CharField(_("name"), max_length=100)
    # The district whose bureau keeps it; none for the default scheme every district reads.
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_schemes",
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    # Star thresholds: the least final score for each number of stars (1★ below the 2★ threshold).
    five_star_min = models.DecimalField(_("5 stars from"), default=DEFAULT_THRESHOLDS[5], **SCORE)
    four_star_min = models.DecimalField(_("4 stars from"), default=DEFAULT_THRESHOLDS[4], **SCORE)
    three_star_min = models.DecimalField(_("3 stars from"), default=DEFAULT_THRESHOLDS[3], **SCORE)
    two_star_min = models.DecimalField(_("2 stars from"), default=DEFAULT_THRESHOLDS[2], **SCORE)
    is_active = models.BooleanField(_("offered for new rounds"), default=True)

    access_policy = SCHEME_POLICY

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(five_star_min__gt=F("four_star_min"))
                & Q(four_star_min__gt=F("three_star_min"))
                & Q(three_star_min__gt=F("two_star_min"))
                & Q(two_star_min__gt=0)
                & Q(five_star_min__lte=100),
                name="evaluation_scheme_thresholds_decreasing",
            ),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="scheme_name_id"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:scheme_detail", args=[self.pk])

    @property
    def thresholds(self) -> list[tuple[int, Decimal]]:
        """(stars, least score) from five stars down to two."""
        return [
            (5, self.five_star_min),
            (4, self.four_star_min),
            (3, self.three_star_min),
            (2, self.two_star_min),
        ]


class SchemeIndicator(ScopedModel):
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=50)
    source = models.CharField(_("source"), max_length=20, choices=IndicatorSource.choices)
    weight = models.DecimalField(_("weight"), **WEIGHT)
    sequence = models.PositiveSmallIntegerField(_("order"), default=1, validators=[MaxValueValidator(99)])
    guidance = models.TextField(_("scoring guidance"), blank=True, max_length=2000)

    access_policy = SCHEME_PART_POLICY

    class Meta:
        verbose_name = _("scheme indicator")
        verbose_name_plural = _("scheme indicators")
        ordering = ["scheme", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="evaluation_indicator_name_per_scheme"),
            # Several indicators may be scored by experts; each computed or feedback rule counts once.
            models.UniqueConstraint(
                fields=["scheme", "source"],
                condition=~Q(source=IndicatorSource.EXPERT),
                name="evaluation_indicator_rule_once_per_scheme",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="evaluation_indicator_weight"),
        ]

    def __str__(self):
        return self.name


class SchemeDimension(ScopedModel):
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="dimensions")
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    weight = models.DecimalField(_("weight"), **WEIGHT)

    access_policy = SCHEME_PART_POLICY

    class Meta:
        verbose_name = _("rater dimension")
        verbose_name_plural = _("rater dimensions")
        ordering = ["scheme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "dimension"], name="evaluation_dimension_once_per_scheme"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="evaluation_dimension_weight"),
        ]

    def __str__(self):
        return self.get_dimension_display()

"""Every write to users and regions: atomic, validated, audited."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core import audit
from core.choices import Action, AuditAction

from .choices import CHILD_LEVEL, CITY_PREFIX_LENGTH, CODE_LENGTH, ROLE_LEVELS, ROOT_LEVELS, RegionLevel, Role
from .models import Region, User

_USER_FIELDS = ("full_name", "phone", "email", "role", "region", "is_active")


def _check_may(by, action, obj_region: Region | None, model=User):
    """Refuse unless `by` may take `action` on rows of `model` at `obj_region`."""
    if by is None:  # system jobs and management commands
        return
    policy = model.access_policy
    if not policy.allows(by, action):
        raise PermissionDenied(_("Your role may not do this."))
    if by.is_superuser:
        return
    if obj_region is None or by.region is None or not by.region.contains(obj_region):
        raise PermissionDenied(_("This is outside your jurisdiction."))


def region_check(*, code: str, parent: Region | None, level: str | None = None) -> str:
    """The level a new node with this code under `parent` takes, or a ValidationError naming the
    field (the admin's form asks before saving)."""
    level = _region_level(parent, level)
    _check_code((code or "").strip(), level, parent)
    return level


def _region_level(parent: Region | None, level: str | None) -> str:
    """The level of a new node: its parent's child level; with no parent a district, or a city
    when asked for."""
    if parent is None:
        level = level or RegionLevel.DISTRICT
        if level not in ROOT_LEVELS:
            raise ValidationError({"parent": _("Parent: a street or community belongs to a parent region.")})
        return level
    child = CHILD_LEVEL.get(parent.level)
    if child is None:
        raise ValidationError({"parent": _("A community cannot have sub-regions.")})
    if level and level != child:
        raise ValidationError(
            {
                "level": _("Level: a region under a %(parent)s is a %(child)s.")
                % {"parent": RegionLevel(parent.level).label, "child": RegionLevel(child).label}
            }
        )
    return child


def _check_code(code: str, level: str, parent: Region | None) -> None:
    # ASCII digits only: "²".isdigit() is true, and a code is compared and sliced as digits.
    if len(code) != CODE_LENGTH[level] or not (code.isascii() and code.isdigit()):
        raise ValidationError(
            {
                "code": _("A %(level)s code has %(n)d digits.")
                % {"level": RegionLevel(level).label, "n": CODE_LENGTH[level]}
            }
        )
    if level == RegionLevel.CITY and not code.endswith("00"):
        raise ValidationError({"code": _("Code: a city's code ends in 00, e.g. 330100.")})
    if parent is not None and parent.level == RegionLevel.CITY:
        prefix = parent.code[:CITY_PREFIX_LENGTH]
        if not code.startswith(prefix) or code == parent.code:
            raise ValidationError(
                {
                    "code": _("Code: a district's code begins with its city's first 4 digits %(prefix)s.")
                    % {"prefix": prefix}
                }
            )
    elif parent is not None and not code.startswith(parent.code):
        raise ValidationError(
            {"code": _("The code must begin with the parent's code %(code)s.") % {"code": parent.code}}
        )


def check_area_kind(level: str, area_kind: str) -> None:
    """Urban or rural is a setting of streets and communities only (the dashboard's 城乡分布)."""
    if area_kind and level not in (RegionLevel.STREET, RegionLevel.COMMUNITY):
        raise ValidationError({"area_kind": _("Only a street or a community is set as urban or rural.")})


@transaction.atomic
def region_create(
    *,
    code: str,
    name: str,
    parent: Region | None = None,
    level: str | None = None,
    by: User | None = None,
    area_kind: str = "",
) -> Region:
    """A new node under `parent`: a street under a district, a district under a city … With no
    parent, a district (a deployment without a city) or, with `level="city"`, a city. A street or a
    community may be set urban or rural (`area_kind`; a community left blank takes its street's)."""
    code = (code or "").strip()
    level = _region_level(parent, level)
    check_area_kind(level, area_kind or "")
    _check_may(by, Action.ADD, parent, Region)
    _check_code(code, level, parent)
    if Region.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Region code %(code)s already exists.") % {"code": code}})
    region = Region(
        code=code,
        name=name.strip(),
        level=level,
        parent=parent,
        district=parent.district if parent is not None and level != RegionLevel.DISTRICT else None,
        path=f"{parent.path if parent else ''}{code}/",
        area_kind=area_kind or "",
    )
    region.full_clean(exclude=["district"])
    region.save()
    if level == RegionLevel.DISTRICT:
        region.district = region
        region.save(update_fields=["district"])
    audit.record(actor=by, action=AuditAction.CREATE, obj=region)
    return region


@transaction.atomic
def region_update(
    *,
    region: Region,
    by: User | None,
    name: str | None = None,
    is_active: bool | None = None,
    area_kind: str | None = None,
) -> Region:
    _check_may(by, Action.CHANGE, region, Region)
    region = Region.objects.select_for_update().get(pk=region.pk)
    before = audit.snapshot(region)
    if name is not None:
        region.name = name.strip()
    if area_kind is not None:
        check_area_kind(region.level, area_kind)
        region.area_kind = area_kind
    if is_active is not None:
        region.is_active = is_active
    region.full_clean()
    region.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=region, before=before)
    return region


def _validate_role_region(role: str, region: Region | None):
    if not role:
        return
    if region is None:
        raise ValidationError({"region": _("A user with a role must be assigned a region.")})
    if region.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {
                "region": _("The role %(role)s is held at a %(levels)s.")
                % {
                    "role": Role(role).label,
                    "levels": "、".join(str(RegionLevel(lv).label) for lv in sorted(ROLE_LEVELS[role])),
                }
            }
        )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    by: User | None,
    role: str = "",
    region: Region | None = None,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    is_staff: bool | None = None,
) -> User:
    _check_may(by, Action.ADD, region)
    _validate_role_region(role, region)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The user name %(name)s is taken.") % {"name": username}})
    user = User(username=username, role=role, region=region, full_name=full_name, phone=phone, email=email)
    # Bureau administrators manage their district through the admin site.
    user.is_staff = (role == Role.BUREAU_ADMIN) if is_staff is None else is_staff
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=user)
    return user


@transaction.atomic
def user_update(*, user: User, by: User | None, **changes) -> User:
    unknown = set(changes) - set(_USER_FIELDS)
    if unknown:
        raise TypeError(f"user_update does not change {sorted(unknown)}")
    _check_may(by, Action.CHANGE, user.region)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user)
    for name, value in changes.items():
        setattr(user, name, value)
    _validate_role_region(user.role, user.region)
    _check_may(by, Action.CHANGE, user.region)
    if "role" in changes:
        user.is_staff = user.role == Role.BUREAU_ADMIN or user.is_superuser
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=by, action=AuditAction.UPDATE, obj=user, before=before)
    if before["is_active"] and not user.is_active:
        _revoke_api_tokens(user, by)
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str | None, by: User | None) -> User:
    """Set a new password, or with None disable password log-in; either way the user's API tokens
    die with the old password."""
    if by is not None and by.pk != user.pk:
        _check_may(by, Action.CHANGE, user.region)
    if password is None:
        user.set_unusable_password()
        message = _("Password log-in disabled")
    else:
        validate_password(password, user)
        user.set_password(password)
        message = _("Password changed")
    user.save(update_fields=["password"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=user, after=None, message=message)
    _revoke_api_tokens(user, by)
    return user


def api_token_expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_TTL_DAYS)


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The user's API token: the one they hold while it lives, otherwise a new one."""
    # Locking the user serialises two log-ins racing to create the (one per user) token.
    User.objects.select_for_update().filter(pk=user.pk).first()
    token = Token.objects.filter(user=user).first()
    if token is not None and api_token_expires_at(token) > timezone.now():
        return token
    if token is not None:
        token.delete()
    token = Token.objects.create(user=user)
    audit.record(actor=user, action=AuditAction.UPDATE, obj=user, after=None, message=_("API token issued"))
    return token


@transaction.atomic
def api_token_revoke(*, user: User, by: User | None) -> int:
    """Delete the user's API tokens (their own, or by someone who may change the user)."""
    if by is not None and by.pk != user.pk:
        _check_may(by, Action.CHANGE, user.region)
    return _revoke_api_tokens(user, by)


@transaction.atomic
def api_token_expire(*, token: Token) -> None:
    # By key, not by user: a token issued a moment ago in place of this one must survive.
    if Token.objects.filter(key=token.key).delete()[0]:
        audit.record(actor=None, action=AuditAction.UPDATE, obj=token.user, after=None, message=_("API token expired"))


def _revoke_api_tokens(user: User, by: User | None) -> int:
    deleted = Token.objects.filter(user=user).delete()[0]
    if deleted:
        # The audit trail names the user, never the token: its key is the secret.
        audit.record(actor=by, action=AuditAction.UPDATE, obj=user, after=None, message=_("API token revoked"))
    return deleted

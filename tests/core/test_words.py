"""Words and formats a person reads (issue 8, item 5): history in verbose names, choice labels and
local time; people by name; one date style; quarters as 2026年第四季度; filters offering 全部;
success messages that say what happened."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from accounts import services as account_services
from projects import periods
from registry import services
from registry.choices import ApplicationKind, Category

from ..registry.factories import make_application, make_organization


def test_history_speaks_in_field_names_choice_labels_and_local_time(users, places, client_for):
    admin = users["bureau_admin"]
    account_services.user_update(user=admin, by=None, full_name="王建国")
    org = make_organization(places.community11, category=Category.RESIDENT_SERVICES, by=admin)
    with transaction.atomic():
        locked = type(org).objects.select_for_update().get(pk=org.pk)
        services.organization_apply_changes(org=locked, by=admin, changes={"category": Category.MUTUAL_AID})
    content_type = ContentType.objects.get_for_model(org)
    page = client_for("bureau_admin").get(reverse("core:object_history", args=[content_type.pk, org.pk]))
    text = page.content.decode()
    assert "类别" in text and "邻里互助" in text and "为民服务" in text
    assert "mutual_aid" not in text and "category" not in text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text)  # no raw ISO time
    assert "王建国" in text


def test_the_audit_log_names_people(users, places, client_for):
    admin = users["bureau_admin"]
    account_services.user_update(user=admin, by=None, full_name="王建国")
    make_organization(places.community11, by=admin)
    text = client_for("bureau_admin").get(reverse("core:auditrecord_list")).content.decode()
    assert f"王建国（{admin.username}）" in text


def test_quarters_read_as_people_write_them():
    assert periods.quarter_label(2026, 4) == "2026年第四季度"
    assert periods.quarter_key(2026, 4) == "2026Q4"


def test_filters_offer_all_not_dashes(client_for):
    text = client_for("bureau_admin").get(reverse("registry:organization_list")).content.decode()
    assert "---------" not in text
    assert ">全部</option>" in text


def test_a_street_pass_through_says_it_went_to_the_bureau(users, places, client_for):
    application = make_application(users["bureau_staff"], ApplicationKind.FILE, region=places.community11)
    application = services.application_submit(application=application, by=users["bureau_staff"])
    response = client_for("street_officer").post(
        reverse("registry:application_transition", args=[application.pk, "approve"]), follow=True
    )
    text = response.content.decode()
    assert "已转交区民政局审核" in text
    assert "已办理" not in text


def test_proposed_dates_read_in_the_page_style(users, places, client_for):
    application = make_application(
        users["bureau_staff"], ApplicationKind.FILE, region=places.community11, established_on="2019-03-05"
    )
    text = client_for("bureau_staff").get(application.get_absolute_url()).content.decode()
    assert "2019年3月5日" in text and "2019-03-05" not in text


def test_an_empty_list_says_so_and_offers_to_clear_the_filter(client_for):
    client = client_for("bureau_admin")
    text = client.get(reverse("registry:organization_list"), {"q": "不存在的组织名称"}).content.decode()
    assert "没有符合筛选条件的记录" in text
    assert 'href="/registry/organizations/">清除筛选</a>' in text
    assert "暂无记录" in client.get(reverse("registry:organization_list")).content.decode()


def test_an_invalid_export_filter_reads_as_chinese_not_form_html(client_for):
    response = client_for("bureau_admin").get(reverse("projects:project_list"), {"year": "0", "export": "xlsx"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "<ul" not in text and "errorlist" not in text
    assert "年" in text and "：" in text


def test_one_word_for_a_step_across_to_do_filter_and_button():
    """A quarter is 受理'd: the to-do, the list's filter and the reviewer's button say the same."""
    from django.utils.translation import gettext

    assert "受理" in gettext("Quarters awaiting my acceptance")
    assert "受理" in gettext("awaiting my review")
    assert "受理" in gettext("Accept the quarter")


def test_a_message_has_one_translation_across_the_apps_catalogues():
    """Django merges the apps' catalogues into one, and the app listed first wins a message they share:
    a second app's translation of the same words (and context) is silently never shown — the party
    app's 座谈 for a contact's "Meeting" turned the projects ledger's 会议 rows into errors. Words that
    mean different things in two apps take a context (pgettext); the same words read the same."""
    translations: dict = {}
    base = Path(settings.BASE_DIR)
    for path in sorted(
        [base / "locale/zh_Hans/LC_MESSAGES/django.po", *base.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")]
    ):
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.obsolete:
                translations.setdefault((entry.msgctxt, entry.msgid), {})[path.parts[-5]] = entry.msgstr
    clashes = {key: apps for key, apps in translations.items() if len(set(apps.values())) > 1}
    assert clashes == {}


def test_form_errors_read_as_every_other_form_says_them():
    """A project catalogue that also translates one of Django's form and validator messages wins over
    the frameworks' wording on every form of the site (project apps come first), so a second wording
    changes what every form says: the evaluation catalogue's 这个字段是必填项 replaced the 该字段是必填项
    every form showed. These messages read as the libraries' and Django's catalogues, merged in
    INSTALLED_APPS order, say them."""
    from importlib import import_module

    import django

    django_mo = Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo"
    # Django's own catalogue (forms, validators, dates; not the contrib apps' words such as 添加, 过滤器).
    form_messages = {entry.msgid for entry in polib.mofile(str(django_mo)) if not entry.msgctxt}
    libraries = [  # libraries ship compiled catalogues (DRF: no .po)
        Path(import_module(app.split(".apps.")[0]).__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.mo"
        for app in settings.INSTALLED_APPS
        if app.split(".")[0] not in settings.PROJECT_APPS
    ]
    shown: dict = {}
    for path in [*libraries, django_mo]:
        if path.exists():
            for entry in polib.mofile(str(path)):
                if entry.msgid in form_messages and entry.msgstr and not entry.msgctxt:
                    shown.setdefault(entry.msgid, entry.msgstr)
    differ = {}
    for path in Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.msgctxt and entry.msgid in shown and entry.msgstr != shown[entry.msgid]:
                differ[(path.parts[-5], entry.msgid)] = (entry.msgstr, shown[entry.msgid])
    assert differ == {}

"""Accessibility in Chromium. axe-core (axe-playwright-python, which ships axe.min.js: no CDN) in Chromium over the demo
district, for every role and the public: the home page, every list in the role's menu, the first
record of each list, and the forms linked from them. Any serious or critical violation fails,
except on the third-party Swagger page (/api/docs/), which is not crawled.

One browser, one logged-in context per role, one page per URL shape (digits stand for ids) per
role. Every role opens all of its pages, and axe checks each role's home page (the header and the
role's menu); a later role's page is not checked again when a page of the same shape had, for an
earlier role, the same structure in its main content (`skeleton`: elements, roles, classes, ARIA,
labels and names, with repeated rows counted once): axe would only repeat the verdict. The totals
per role (pages opened, checked, violations by impact, all impacts) are printed: run with -s to see
them. Keyboard use: the skip link and a form's error summary take the focus.
"""

import re
from collections import Counter
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.models import User
from tests.accounts.factories import PASSWORD, Jurisdiction, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo@2026"
ROLES = ("admin", "staff", "viewer", "street", "party", "org", "expert")
FAILING_IMPACTS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")

# Pages that are forms: linked from lists and records.
FORM_PATH = re.compile(r"/(add|new|edit|correct|upload|submit)(/|$)|/new/\w+/$|/password/")
# Not pages of ours, or not HTML pages: third-party UIs, the API, files, and actions.
SKIP_PATH = re.compile(
    r"^/(api|admin|static|i18n)/|/accounts/logout|/attachments/|/voucher|/template/|/ledger/export/|/download"
)


def shape(url: str) -> str:
    """A URL with its ids replaced, so each kind of page is checked once per role."""
    return re.sub(r"/\d+(?=/)", "/{id}", urlparse(url).path)


# The structure of the main content that axe's verdict depends on, as one string: each element's tag,
# role, type, classes, ARIA attributes, whether it has text, a name, a label, an alt text; an element's
# children with a run of identical siblings (table rows, list items) written once. Texts, ids, links
# and record values are left out, so that two records' pages of the same kind compare equal.
SKELETON = """() => {
  const root = document.querySelector("main") || document.body;
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  const duplicated = Object.values(ids).some(n => n > 1);
  const valued = ["class", "role", "type", "scope", "tabindex"];
  const present = ["alt", "title", "for", "href", "name", "placeholder", "disabled", "required", "hidden"];
  function sig(el) {
    const parts = [el.tagName];
    for (const attr of el.attributes) {
      const name = attr.name;
      if (valued.includes(name)) {
        parts.push(name + "=" + attr.value);
      } else if (name.startsWith("aria-") || present.includes(name)) {
        parts.push(name + (attr.value.trim() ? "+" : "-"));
      }
    }
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (own) parts.push("text");
    if (el.labels && el.labels.length) parts.push("labelled");
    const named = el.textContent.trim() || el.getAttribute("aria-label");
    if (["A", "BUTTON"].includes(el.tagName) && !named) parts.push("unnamed");
    const children = [];
    for (const child of el.children) {
      const s = sig(child);
      if (children[children.length - 1] !== s) children.push(s);
    }
    return parts.join(" ") + (children.length ? "(" + children.join(",") + ")" : "");
  }
  return (duplicated ? "duplicate-ids " : "") + sig(root);
}"""


def links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "elements => elements.map(e => e.getAttribute('href'))")
    return [href for href in hrefs if href and href.startswith("/") and not SKIP_PATH.search(href)]


class Crawl:
    def __init__(self, page, axe, checked: set):
        self.page, self.axe = page, axe
        self.seen: set[str] = set()
        self.checked = checked  # (shape, skeleton) of the pages axe checked, for every role so far
        self.impacts: Counter = Counter()
        self.failures: list[str] = []
        self.pages = 0
        self.axe_runs = 0

    def check(self, url: str, always: bool = False) -> bool:
        """Open and check `url` unless a page of its shape was opened; False if it is no page. axe
        runs unless an earlier role's page of this shape had the same skeleton (`always`: it runs)."""
        if "export=" in url or shape(url) in self.seen:
            return False
        self.seen.add(shape(url))
        try:
            response = self.page.goto(url)
        except PlaywrightError:  # a download, not a page
            return False
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            return False
        self.pages += 1
        key = (shape(url), self.page.evaluate(SKELETON))
        if key in self.checked and not always:
            return True
        self.checked.add(key)
        self.axe_runs += 1
        results = self.axe.run(self.page).response
        for violation in results["violations"]:
            self.impacts[violation["impact"]] += 1
            if violation["impact"] in FAILING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"][:3]]
                self.failures.append(f"{url}: {violation['id']} ({violation['impact']}) {targets}")
        return True

    def list_and_beyond(self, list_url: str):
        if not self.check(list_url):
            return
        records = links(self.page, "#object-list tbody a")
        forms = [href for href in links(self.page, "main a") if FORM_PATH.search(href)]
        for record in records[:1]:
            if self.check(record):
                forms += [href for href in links(self.page, "main a") if FORM_PATH.search(href)]
        for form in forms:
            self.check(form)

    def summary(self, role: str) -> str:
        counts = " ".join(f"{impact}={self.impacts[impact]}" for impact in IMPACTS)
        return f"axe {role}: {self.pages} pages, {self.axe_runs} checked, violations by impact: {counts}"


def evaluation_pages(role: str) -> list[str]:
    """The demo's star-rating pages that no menu, list or form link reaches: a round's tabs, a survey
    with its codes, poster and paper batch, a result with its computation and an objection (the
    bureau); the expert's submitted (locked) scoring page; the organization's result and objection; the
    review awaiting the party secretary; and for the public the publicity, the survey (open and closed)
    and the register page showing a rating."""
    from django.urls import reverse

    from evaluation.choices import RoundStatus
    from evaluation.models import Assignment, CommunityReview, Objection, PaperBatch, Round, RoundProject

    closed = Round.objects.filter(status=RoundStatus.CLOSED).order_by("pk").first()
    scoring = Round.objects.filter(status=RoundStatus.SCORING).order_by("pk").first()
    if closed is None or scoring is None:
        return []
    result = RoundProject.objects.filter(round=closed).select_related("survey", "project").order_by("pk").first()
    entry = RoundProject.objects.filter(round=scoring).select_related("survey").order_by("pk").first()
    objection = Objection.objects.filter(round_project__round=closed).first()
    if role == "anonymous":
        return [
            reverse("evaluation_public:round_list"),
            reverse("evaluation_public:round_detail", args=[closed.pk]),
            reverse("evaluation_public:survey", args=[entry.survey.token]),
            reverse("evaluation_public:survey", args=[result.survey.token]),
            reverse("evaluation_public:survey_thanks", args=[entry.survey.token]),
            reverse("registry_public:organization_detail", args=[result.project.organization_id]),
        ]
    user = User.objects.get(username=role)
    if user.role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BUREAU_VIEWER):
        batch = PaperBatch.objects.filter(survey__round_project__round=closed).first()
        return [
            *(reverse(name, args=[scoring.pk]) for name in ("evaluation:round_detail", "evaluation:round_projects")),
            *(reverse(name, args=[scoring.pk]) for name in ("evaluation:round_assign", "evaluation:round_completion")),
            reverse("evaluation:round_detail", args=[closed.pk]),
            reverse("evaluation:result_detail", args=[result.pk]),
            reverse("evaluation:objection_detail", args=[objection.pk]),
            reverse("evaluation:survey_detail", args=[entry.survey.pk]),
            reverse("evaluation:survey_codes", args=[entry.survey.pk]),
            reverse("evaluation:survey_poster", args=[entry.survey.pk]),
            reverse("evaluation:paperbatch_create", args=[entry.survey.pk]),
            reverse("evaluation:paperbatch_detail", args=[batch.pk]),
        ]
    if user.role == Role.EXPERT:
        return [a.get_absolute_url() for a in Assignment.objects.filter(expert__user=user, status="submitted")[:1]]
    if user.role == Role.ORG_USER:
        return [result.get_absolute_url(), reverse("evaluation:objection_detail", args=[objection.pk])]
    if user.role == Role.COMMUNITY_PARTY:
        return [r.get_absolute_url() for r in CommunityReview.objects.filter(status="scored")[:1]]
    return []


def test_no_serious_or_critical_accessibility_violation_for_any_role(seeded_demo, browser, live_server, login):
    axe = Axe()
    failures, summaries, checked = [], [], set()
    for role in ("anonymous", *ROLES):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
        context.set_default_timeout(15000)
        page = context.new_page()
        crawl = Crawl(page, axe, checked)
        if role == "anonymous":
            crawl.check("/accounts/login/")
            crawl.list_and_beyond("/public/")
            for url in evaluation_pages(role):
                crawl.check(url)
        else:
            login(page, role, DEMO_PASSWORD)
            crawl.check("/", always=True)  # the header and this role's menu
            menu = links(page, "#sidebar a")
            todos = links(page, "#todos a")
            for url in [*menu, *todos]:
                crawl.list_and_beyond(url)
            crawl.check("/accounts/password/")
            crawl.check("/core/notifications/preferences/")  # linked from the user menu, not the sidebar
            for url in evaluation_pages(role):
                crawl.check(url)
        context.close()
        summaries.append(crawl.summary(role))
        failures += [f"{role} {failure}" for failure in crawl.failures]
        assert crawl.pages >= 2, f"{role}: the crawl found no pages"
        assert crawl.axe_runs >= 1, f"{role}: axe checked none of its pages"
    print("\n" + "\n".join(summaries))
    assert failures == [], "\n".join(failures)


def test_keyboard_users_skip_to_the_content_and_land_on_a_forms_errors(page, login):
    places = Jurisdiction()
    clerk = make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    login(page, clerk.username, PASSWORD)
    page.goto("/projects/add/")

    # The first Tab shows the skip link; following it puts the focus on the main content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到主要内容")
    assert skip.bounding_box()["width"] > 20
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # Saved with errors: the summary at the top has the focus and links each error to its field.
    page.click("main button[type=submit]")
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    first = summary.locator("a").first
    field_id = first.get_attribute("href")[1:]
    first.click()
    expect(page.locator(f"#{field_id}")).to_be_focused()

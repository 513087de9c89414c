"""The portal's own structure, from portal/content/structure.json: the program overview as
the home page, the pages under it (resources, news, about, cohorts with next year's cohort
as a draft, contact, how to apply, the privacy notice, the accessibility statement, the
members' dashboard), the site settings, the areas of interest and
the reminder wording. It holds no personal data and no account.

``site_bootstrap`` builds it on a new database (``manage.py bootstrap_site``, run by every
deploy), and on a site that already runs the portal adds the standard pages of later releases
(``standard_pages_ensure``). The demo loader (portal/demo_content.py) builds the same
structure with the same functions, then adds its demo pages, accounts and pairs.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

STRUCTURE_PATH = Path(__file__).resolve().parent / "content" / "structure.json"
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
# The host and port Wagtail's first migration gives the default site.
WAGTAIL_DEFAULT_ADDRESS = ("localhost", 80)
SPEC_ONLY_KEYS = {"type", "body", "topics", "document", "form_fields", "children"}


@dataclass
class BuildReport:
    """What a build created, so a command can say it; nothing created means nothing changed."""

    created: list[str] = field(default_factory=list)
    new_page_ids: set[int] = field(default_factory=set)

    def add(self, label: str) -> None:
        self.created.append(label)


def structure_read(*, path: Path = STRUCTURE_PATH) -> dict:
    """The structure's specification: site settings, pages, areas and next year's cohort."""
    return json.loads(path.read_text(encoding="utf-8"))


def site_bootstrap(*, site_url: str | None = None, path: Path = STRUCTURE_PATH) -> BuildReport:
    """Create whatever part of the portal's structure is missing, in one transaction.

    The home page is built on a database where the default site has none yet (a new
    database shows Wagtail's welcome page). Each standard page under it is created once,
    published, and recorded (``standard_pages_ensure``): it then belongs to the editors, so a
    page they renamed, moved, unpublished or deleted stays that way, and a site that runs an
    earlier release gets only the pages added since. Site settings are created only for a
    site that has none, the areas of interest only while there are none, and the wording
    only of reminder kinds that have none. Nothing existing is ever changed, except the
    default site's address while it is still Wagtail's own ``localhost:80``: it then takes
    its host name and port from ``site_url`` (SITE_URL).
    """
    data = structure_read(path=path)
    report = BuildReport()
    with transaction.atomic():
        site = site_root_ensure(spec=data["home"], report=report, site_url=site_url)
        home = site.root_page.specific
        _pages_build(home=home, data=data, report=report)
        site_settings_ensure(site=site, values=data["site_settings"], report=report)
        areas_ensure(names=data["areas"], report=report)
        reminder_wording_ensure(report=report)
    return report


def _pages_build(*, home: Page, data: dict, report: BuildReport) -> None:
    """The standard pages the site has never had, published; with a new home page, the
    home page too and next year's cohort as a draft."""
    new_home = home.pk in report.new_page_ids
    pages = standard_pages_ensure(home=home, specs=data["children"], report=report)
    specs = specs_by_slug(data["home"], *data["children"])
    pages_publish(pages=[home, *pages] if new_home else pages, specs=specs, home=home)
    if not new_home:
        return
    index = home.get_children().type(apps.get_model("cohorts", "CohortIndexPage")).first()
    if index is not None:
        cohort_draft_ensure(index=index.specific, spec=data["next_cohort"], report=report)


# ---- The site and its page tree ----


def site_root_ensure(*, spec: dict, report: BuildReport, site_url: str | None = None) -> Site:
    """Make a portal home page the default site's root, in place of Wagtail's welcome page,
    and give a new site (or one still at Wagtail's ``localhost:80``) the address of
    ``site_url``. A home page created here is unpublished until ``pages_publish``."""
    HomePage = apps.get_model("home", "HomePage")
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=locale)
    home = HomePage.objects.first()
    if home is None:
        for welcome in root.get_children().filter(title=WAGTAIL_WELCOME_TITLE, numchild=0):
            if welcome.specific_class is Page:
                welcome.delete()
        home = page_new(parent=root, spec=spec, locale=locale)
        report.new_page_ids.add(home.pk)
        report.add(f"page {home.title}")
    hostname, port = site_address(site_url=site_url or settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=""
        )
        report.add(f"default site {hostname}:{port}")
        return site
    changed = []
    if site.root_page_id != home.pk and not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
        changed.append("root_page")
    if (site.hostname, site.port) == WAGTAIL_DEFAULT_ADDRESS != (hostname, port):
        site.hostname, site.port = hostname, port
        changed += ["hostname", "port"]
        report.add(f"site address {hostname}:{port}")
    if changed:
        site.save(update_fields=changed)
    return site


def site_address(*, site_url: str) -> tuple[str, int]:
    """The host name and port of a public address: ``https://a.org`` is ``("a.org", 443)``."""
    parts = urlsplit(site_url)
    default_port = 443 if parts.scheme == "https" else 80
    return (parts.hostname or "localhost"), (parts.port or default_port)


def page_children_ensure(
    *, parent: Page, specs: list[dict], report: BuildReport, topics=None, documents=None
) -> list[Page]:
    """Add each specified page that `parent` has no child with the slug of, unpublished."""
    created = []
    existing = set(parent.get_children().values_list("slug", flat=True))
    for spec in specs:
        if spec["slug"] in existing:
            continue
        page = page_new(
            parent=parent, spec=spec, locale=parent.locale, topics=topics, documents=documents
        )
        created.append(page)
        report.add(f"page {page.title}")
    return created


def standard_pages_ensure(*, home: Page, specs: list[dict], report: BuildReport) -> list[Page]:
    """Add under `home`, unpublished, each standard page (by its slug in `specs`) that the
    site has never had, and record it; returns the pages added.

    A page has been had when it is recorded (``portal.StructureRecord``: created before,
    whatever became of it since) or when `home` has a child with its slug, which is then
    recorded as it is. So a standard page an editor deleted, renamed or moved is not
    created again, and a page an editor made at that address is left as it is."""
    from portal.models import StructureRecord

    recorded = set(StructureRecord.objects.values_list("key", flat=True))
    children = dict(home.get_children().values_list("slug", "pk"))
    StructureRecord.objects.bulk_create(
        StructureRecord(key=spec["slug"], page_id=children[spec["slug"]])
        for spec in specs
        if spec["slug"] in children and spec["slug"] not in recorded
    )
    missing = [spec for spec in specs if spec["slug"] not in recorded | children.keys()]
    created = page_children_ensure(parent=home, specs=missing, report=report)
    StructureRecord.objects.bulk_create(
        StructureRecord(key=page.slug, page=page) for page in created
    )
    return created


def page_new(*, parent: Page, spec: dict, locale, topics=None, documents=None) -> Page:
    """Add an unpublished page with the spec's simple fields; ``pages_publish`` fills in its
    body once every page it may link to exists."""
    model = apps.get_model(spec["type"])
    simple = {key: value for key, value in spec.items() if key not in SPEC_ONLY_KEYS}
    if "date" in simple:
        simple["date"] = datetime.date.fromisoformat(simple["date"])
    page = model(live=False, locale=locale, **simple)
    if "document" in spec:
        page.document = documents[spec["document"]]
    parent.add_child(instance=page)
    if "topics" in spec:
        page.topics.set([topics[slug] for slug in spec["topics"]])
    for order, form_field in enumerate(spec.get("form_fields", [])):
        page.form_fields.create(sort_order=order, **form_field)
    return page


def pages_publish(*, pages: list[Page], specs: dict[str, dict], home: Page) -> None:
    """Publish each page with the body of its spec (by slug); "@slug" in a body links to
    the child of `home` with that slug."""
    for page in pages:
        page_publish(page=page, spec=specs.get(page.slug, {}), home=home)


def page_publish(*, page: Page, spec: dict, home: Page) -> None:
    """Publish `page`, with the body of `spec` when it has one."""
    # Children were added since this instance was loaded; a stale numchild would be saved.
    page.refresh_from_db()
    if "body" in spec:
        page.body = json.dumps(_body_resolved(spec["body"], home))
    page.save_revision().publish()


def _body_resolved(body: list[dict], home: Page) -> list[dict]:
    """The blocks of a spec's body with "@slug" turned into the id of the home page's child
    with that slug; a block that links to a page the site no longer has is left out."""
    targets = dict(home.get_children().values_list("slug", "pk"))
    blocks = []
    for block in body:
        try:
            blocks.append(_resolve_page_references(block, targets))
        except KeyError:
            continue
    return blocks


def _resolve_page_references(value: Any, targets: dict[str, int]) -> Any:
    """`value` with each "@slug" in it turned into ``targets[slug]``; KeyError when
    `targets` has no such slug."""
    if isinstance(value, dict):
        return {key: _resolve_page_references(item, targets) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve_page_references(item, targets) for item in value]
    if isinstance(value, str) and value.startswith("@"):
        return targets[value[1:]]
    return value


def specs_by_slug(*specs: dict) -> dict[str, dict]:
    return {spec["slug"]: spec for spec in specs}


def cohort_draft_ensure(*, index, spec: dict, report: BuildReport) -> None:
    """Next year's cohort under a cohort index that has none: an unpublished draft on the
    seed's cycle (the program year whose application deadline is still ahead), with its
    application page, for an editor to review and publish."""
    from cohorts.program.models import CohortPage
    from cohorts.program.models.pages import cycle_dates, next_cycle_year
    from cohorts.program.services.cohorts import cohort_title_and_slug

    if CohortPage.objects.child_of(index).exists():
        return
    dates = cycle_dates(next_cycle_year())
    title, slug = cohort_title_and_slug(
        formal_start=dates["formal_start"], formal_end=dates["formal_end"]
    )
    cohort = page_new(
        parent=index, spec={**spec, **dates, "title": title, "slug": slug}, locale=index.locale
    )
    cohort.save_revision()
    for child in page_children_ensure(parent=cohort, specs=spec["children"], report=report):
        child.save_revision()
    report.add(f"draft page {title}")


# ---- What is not a page: site settings, areas of interest, reminder wording ----


def site_settings_ensure(*, site: Site, values: dict, report: BuildReport) -> None:
    """The site's settings from `values`, unless the site already has settings."""
    SiteSettings = apps.get_model("home", "SiteSettings")
    if not SiteSettings.objects.filter(site=site).exists():
        SiteSettings.objects.create(site=site, **values)
        report.add("site settings")


def areas_ensure(*, names: list[str], report: BuildReport) -> None:
    """The starting list of areas of interest, while there are none (an editor's list,
    deletions included, is never topped up)."""
    AreaOfInterest = apps.get_model("members", "AreaOfInterest")
    if AreaOfInterest.objects.exists():
        return
    AreaOfInterest.objects.bulk_create(
        AreaOfInterest(name=name, sort_order=order * 10) for order, name in enumerate(names)
    )
    report.add(f"{len(names)} areas of interest")


def reminder_wording_ensure(*, report: BuildReport) -> None:
    """The built-in wording of every reminder kind that has no wording yet; editors may
    change a kind's wording but neither add nor delete one."""
    from cohorts.reminders.services.wording import reminder_wording_ensure as ensure

    for kind in ensure():
        report.add(f"reminder wording {kind}")

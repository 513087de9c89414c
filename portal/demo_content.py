"""Builds the demo site: the portal's own structure (portal/site_structure.py, the same
functions ``manage.py bootstrap_site`` uses), then from portal/demo/content.json the chair in
the site settings, resources, news, demo accounts, and two cohorts with applications (the
cohort under way also holds a published pair).

Only what is missing is created: a second run changes nothing, and pages an editor has
since changed are left as they are.
"""

import datetime
import json
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from members.choices import MembershipStatus, VerificationMethod
from portal.site_structure import (
    BuildReport,
    areas_ensure,
    page_children_ensure,
    page_new,
    page_publish,
    pages_publish,
    reminder_wording_ensure,
    site_root_ensure,
    site_settings_ensure,
    specs_by_slug,
    standard_pages_ensure,
    structure_read,
)

DEMO_CONTENT_PATH = Path(__file__).resolve().parent / "demo" / "content.json"
DEMO_CONTENT_REFUSED = (
    "Demo content and demo accounts are not for this environment (DEMO_CONTENT_ALLOWED is off). "
    "Use --force if you really mean it."
)
# What a load created; the name the demo command and its tests know it by.
DemoReport = BuildReport


def demo_content_load(*, force: bool = False, path: Path = DEMO_CONTENT_PATH) -> BuildReport:
    """Create whatever part of the demo site is missing, in one transaction."""
    if not (settings.DEMO_CONTENT_ALLOWED or force):
        raise PermissionError(DEMO_CONTENT_REFUSED)
    data = json.loads(path.read_text(encoding="utf-8"))
    structure = structure_read()
    report = BuildReport()
    with transaction.atomic():
        site = site_root_ensure(spec=structure["home"], report=report)
        home = site.root_page.specific
        new_pages = [home] if home.pk in report.new_page_ids else []
        new_pages += standard_pages_ensure(home=home, specs=structure["children"], report=report)
        topics = _ensure_topics(data["topics"], report)
        documents = _ensure_documents(data["documents"], report)
        for slug, specs in (("resources", data["resources"]), ("news", data["news"])):
            new_pages += page_children_ensure(
                parent=home.get_children().get(slug=slug).specific,
                specs=specs,
                report=report,
                topics=topics,
                documents=documents,
            )
        specs = specs_by_slug(
            structure["home"], *structure["children"], *data["resources"], *data["news"]
        )
        pages_publish(pages=new_pages, specs=specs, home=home)
        values = {**structure["site_settings"], **data["site_settings"]}
        site_settings_ensure(site=site, values=values, report=report)
        _fill_blank_settings(site, data["site_settings"], report)
        areas_ensure(names=structure["areas"], report=report)
        reminder_wording_ensure(report=report)
        _ensure_accounts(data["accounts"], report)
        _ensure_roster(path.parent / "roster.csv", report)
        cohort_index = home.get_children().get(slug="cohorts").specific
        for spec in data["cohorts"]:
            _ensure_cohort(cohort_index, spec, data["applications"], report)
    return report


def _ensure_topics(specs, report) -> dict:
    ResourceTopic = apps.get_model("resources", "ResourceTopic")
    topics = {}
    for spec in specs:
        topic, created = ResourceTopic.objects.get_or_create(slug=spec["slug"], defaults=spec)
        topics[topic.slug] = topic
        if created:
            report.add(f"topic {topic.name}")
    return topics


def _ensure_documents(specs, report) -> dict:
    Document = get_document_model()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    documents = {}
    for spec in specs:
        document = Document.objects.filter(title=spec["title"]).first()
        if document is None:
            document = Document(title=spec["title"])
            document.file.save(spec["filename"], ContentFile(spec["text"].encode()), save=False)
            document.save()
            report.add(f"document {document.title}")
        documents[spec["title"]] = document
    return documents


def _fill_blank_settings(site, values: dict, report: BuildReport) -> None:
    """The demo's chair in settings that have none (``bootstrap_site`` leaves it blank)."""
    SiteSettings = apps.get_model("home", "SiteSettings")
    site_settings = SiteSettings.objects.get(site=site)
    blank = [name for name in values if not getattr(site_settings, name)]
    if blank:
        for name in blank:
            setattr(site_settings, name, values[name])
        site_settings.save(update_fields=blank)
        report.add(f"site settings: {', '.join(blank)}")


def _ensure_accounts(specs, report) -> None:
    """Create each demo account with a confirmed e-mail, its roles and its membership."""
    User = get_user_model()
    for spec in specs:
        if User.objects.filter(email=spec["email"]).exists():
            continue
        maker = (
            User.objects.create_superuser if spec.get("superuser") else User.objects.create_user
        )
        user = maker(
            email=spec["email"],
            password=spec["password"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.groups.set(Group.objects.filter(name__in=spec.get("groups", [])))
        if "membership" in spec:
            _ensure_membership(user, spec)
        report.add(f"account {user.email}")


def _ensure_membership(user, spec) -> None:
    MemberProfile = apps.get_model("members", "MemberProfile")
    AreaOfInterest = apps.get_model("members", "AreaOfInterest")
    verified = spec["membership"] == MembershipStatus.VERIFIED
    profile = MemberProfile.objects.create(
        user=user,
        membership_status=spec["membership"],
        member_number=spec.get("member_number", ""),
        verification_method=VerificationMethod.ROSTER if verified else "",
        verified_at=timezone.now() if verified else None,
        membership_expires=_demo_expiry() if verified else None,
        **spec.get("profile", {}),
    )
    profile.areas.set(AreaOfInterest.objects.filter(name__in=spec.get("areas", [])))


def _ensure_roster(roster_path: Path, report) -> None:
    """Import the demo roster through the coordinators' own import; its bad rows are
    rejected as they would be for a coordinator."""
    from members.services.roster import roster_import_apply, roster_import_preview

    preview = roster_import_preview(text=roster_path.read_text(encoding="utf-8"))
    if preview.to_add or preview.to_update:
        result = roster_import_apply(preview=preview)
        report.add(f"roster ({result.added} entries)")


def _demo_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


# ---- Cohorts: dated relative to the day the demo is loaded ----


def _resolve_dates(spec: dict, today: datetime.date) -> dict:
    """Turn "dates_from_today" ({"formal_start": -150, ...}) into dates counted from today,
    so the demo always has one cohort under way and one taking applications."""
    resolved = {key: value for key, value in spec.items() if key != "dates_from_today"}
    for name, days in spec.get("dates_from_today", {}).items():
        resolved[name] = today + datetime.timedelta(days=days)
    return resolved


def _ensure_cohort(index, spec: dict, applications: list[dict], report: BuildReport) -> None:
    """A published cohort named after its formal mentoring years, its application page and
    the demo members' applications. An existing cohort with that address is kept, unless it
    is the never-published draft ``bootstrap_site`` made: the demo then gives it its dates."""
    from cohorts.program.services.cohorts import cohort_title_and_slug

    fields = _resolve_dates(spec, timezone.localdate())
    title, slug = cohort_title_and_slug(
        formal_start=fields["formal_start"], formal_end=fields["formal_end"]
    )
    page_spec = {key: fields[key] for key in fields if key not in COHORT_SPEC_ONLY}
    page_spec |= {"title": title, "slug": slug}
    cohort = index.get_children().filter(slug=slug).first()
    if cohort is None:
        cohort = page_new(parent=index, spec=page_spec, locale=index.locale)
        page_publish(page=cohort, spec={}, home=index)
        report.add(f"page {title}")
    elif cohort.first_published_at is None:
        _publish_draft_with(cohort.specific, page_spec, index, report)
    cohort = cohort.specific
    for page in page_children_ensure(parent=cohort, specs=spec.get("children", []), report=report):
        page_publish(page=page, spec={}, home=index)
    _ensure_applications(cohort, applications, spec["application_status"], report)
    _ensure_pairs(cohort, spec.get("pairs", []), report)
    _ensure_pair_records(cohort, spec.get("pairs", []), report)


def _publish_draft_with(cohort, fields: dict, index, report: BuildReport) -> None:
    """Publish a cohort no one ever published, and its pages, with the demo's fields."""
    for name, value in fields.items():
        if name != "type":
            setattr(cohort, name, value)
    cohort.save()
    page_publish(page=cohort, spec={}, home=index)
    for child in cohort.get_children().filter(first_published_at__isnull=True):
        page_publish(page=child.specific, spec={}, home=index)
    report.add(f"page {cohort.title}, published with the demo's dates")


COHORT_SPEC_ONLY = {"children", "application_status", "pairs"}


def _ensure_applications(cohort, specs: list[dict], status: str, report: BuildReport) -> None:
    """Each demo member's application to the cohort, filled in from their profile."""
    Application = apps.get_model("cohorts", "Application")
    User = get_user_model()
    opened = datetime.datetime.combine(cohort.applications_open, datetime.time(10))
    for order, spec in enumerate(specs, start=1):
        user = User.objects.select_related("profile").get(email=spec["email"])
        if Application.objects.filter(cohort=cohort, applicant=user).exists():
            continue
        submitted = timezone.make_aware(opened + datetime.timedelta(days=order))
        profile = user.profile
        application = Application.objects.create(
            cohort=cohort,
            applicant=user,
            career_stage=profile.career_stage,
            years_experience=profile.years_experience,
            contact_methods=profile.contact_methods,
            time_zone=profile.time_zone,
            commitment=True,
            status=status,
            submitted_at=min(submitted, timezone.now()),
            **{key: value for key, value in spec.items() if key != "email"},
        )
        application.areas.set(profile.areas.all())
        report.add(f"application {user.email} to {cohort.title}")


def _ensure_pairs(cohort, specs: list[dict], report: BuildReport) -> None:
    """Published demo pairs, scored as the solver scores them. Their "you are matched"
    e-mails count as sent: loading the demo e-mails nobody."""
    from cohorts.choices import PairSource, PairStatus
    from cohorts.matching.engine import pair_score
    from cohorts.matching.selectors import (
        matching_moment,
        matching_settings_for,
        matching_weights,
        person_from_application,
    )
    from cohorts.models import Application, Pair

    User = get_user_model()
    weights = matching_weights(settings=matching_settings_for(cohort=cohort))
    at = matching_moment(cohort=cohort)
    for spec in specs:
        mentor, mentee = (
            Application.objects.get(cohort=cohort, applicant__email=spec[side])
            for side in ("mentor", "mentee")
        )
        if Pair.objects.filter(mentee=mentee).exists():
            continue
        score = pair_score(
            mentor=person_from_application(application=mentor, at=at),
            mentee=person_from_application(application=mentee, at=at),
            weights=weights,
        )
        confirmed_at = timezone.make_aware(
            datetime.datetime.combine(cohort.pairing_completed_by, datetime.time(9))
        )
        Pair.objects.create(
            cohort=cohort,
            mentor=mentor,
            mentee=mentee,
            status=PairStatus.PUBLISHED,
            locked=True,
            source=PairSource.SUGGESTED,
            score=round(score.total, 2),
            reasons=score.reasons,
            confirmed_by=User.objects.get(email=spec["confirmed_by"]),
            confirmed_at=confirmed_at,
            published_by=User.objects.get(email=spec["published_by"]),
            published_at=confirmed_at,
        )
        report.add(f"pair {spec['mentor']} and {spec['mentee']} in {cohort.title}")


# ---- The demo pairs' shared record: contacts, agreement, goals and confidential notes ----


def _ensure_pair_records(cohort, specs: list[dict], report: BuildReport) -> None:
    """Each demo pair's "record", written through the members' own services, so the notes
    are encrypted and every rule holds. Each kind is created only while the pair has none
    of it; none of these services sends e-mail."""
    from cohorts.choices import PairStatus
    from cohorts.models import Pair

    for spec in specs:
        pair = (
            Pair.objects.filter(
                cohort=cohort,
                mentor__applicant__email=spec["mentor"],
                mentee__applicant__email=spec["mentee"],
                status=PairStatus.PUBLISHED,
            )
            .select_related("cohort", "mentor__applicant", "mentee__applicant")
            .first()
        )
        record = spec.get("record")
        if pair is None or not record:
            continue
        people = {"mentor": pair.mentor.applicant, "mentee": pair.mentee.applicant}
        label = f"pair {spec['mentor']} and {spec['mentee']}"
        _ensure_contacts(pair, people, record.get("contacts", []), report, label)
        _ensure_agreement(pair, people, record.get("agreement"), report, label)
        _ensure_goals(pair, people, record.get("goals", []), report, label)
        _ensure_notes(pair, people, record.get("notes", []), report, label)


def _ensure_contacts(pair, people, specs, report, label) -> None:
    """Contacts dated from the formal start, never after today or the formal end."""
    from cohorts.models import ContactLog
    from cohorts.pairs.services.pairs import contact_add

    start = pair.cohort.formal_start
    latest = min(timezone.localdate(), pair.cohort.formal_end)
    if not specs or latest < start or ContactLog.objects.filter(pair=pair).exists():
        return
    for spec in specs:
        contact_add(
            pair=pair,
            user=people[spec["by"]],
            date=min(start + datetime.timedelta(days=spec["days_after_start"]), latest),
            minutes=spec["minutes"],
            method=spec["method"],
            conference=spec.get("conference", ""),
            summary=spec.get("summary", ""),
        )
    report.add(f"{len(specs)} contacts of {label}")


def _ensure_agreement(pair, people, spec, report, label) -> None:
    from cohorts.models import PairAgreement
    from cohorts.pairs.services.pairs import agreement_save

    if not spec or PairAgreement.objects.filter(pair=pair).exists():
        return
    agreement_save(
        pair=pair, user=people[spec["by"]], frequency=spec["frequency"], methods=spec["methods"]
    )
    report.add(f"agreement of {label}")


def _ensure_goals(pair, people, specs, report, label) -> None:
    from cohorts.models import PairGoal
    from cohorts.pairs.services.pairs import goal_add, goal_mark

    if not specs or PairGoal.objects.filter(pair=pair).exists():
        return
    for spec in specs:
        user = people[spec["by"]]
        goal = goal_add(pair=pair, user=user, text=spec["text"])
        if spec.get("done"):
            goal_mark(pair=pair, user=user, goal_id=goal.pk, done=True)
    report.add(f"{len(specs)} goals of {label}")


def _ensure_notes(pair, people, specs, report, label) -> None:
    """Confidential notes, encrypted by note_add under NOTES_ENCRYPTION_KEYS."""
    from cohorts.models import ConfidentialNote
    from cohorts.pairs.services.notes import note_add

    if not specs or ConfidentialNote.objects.filter(pair=pair).exists():
        return
    for spec in specs:
        note_add(pair=pair, user=people[spec["by"]], text=spec["text"], shared=spec["shared"])
    report.add(f"{len(specs)} notes of {label}")

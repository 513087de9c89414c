"""E-mails about a person's membership."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.links import absolute_url
from home.selectors import program_name, site_settings_for
from members.models import MemberProfile

DECISION_TEMPLATES = {
    "verified": ("Your membership is verified", "members/email/membership_verified.txt"),
    "declined": ("We could not verify your membership", "members/email/membership_declined.txt"),
}


def membership_decision_send(*, profile_id: int, decision: str) -> None:
    profile = MemberProfile.objects.select_related("user").get(pk=profile_id)
    subject, template = DECISION_TEMPLATES[decision]
    site_settings = site_settings_for()
    context = {
        "profile": profile,
        "user": profile.user,
        "site_settings": site_settings,
        "profile_url": absolute_url(reverse("member_profile")),
    }
    send_mail(
        f"{program_name(site_settings)}: {subject}",
        render_to_string(template, context),
        None,
        [profile.user.email],
    )

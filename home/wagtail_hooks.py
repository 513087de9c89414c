"""Admin hooks for the public site: who reads the contact page's messages in the admin's
Forms, and where an editor lands after publishing the home page."""

from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets.slug import SlugInput
from wagtail.models import Page

from home.models import ContactPage
from home.selectors import contact_messages_readable


# Wagtail lists a form's submissions to whoever may edit the page. Contact messages are
# program data: editors edit the contact page but do not read them; the chair and the
# coordinators read them without any page permission.
# https://docs.wagtail.org/en/stable/reference/hooks.html#filter-form-submissions-for-user
@hooks.register("filter_form_submissions_for_user")
def contact_messages_for_the_subcommittee(user, editable_forms):
    if not contact_messages_readable(user=user):
        return editable_forms.not_type(ContactPage)
    contact_pages = Page.objects.type(ContactPage).values("pk")
    return Page.objects.filter(Q(pk__in=editable_forms.values("pk")) | Q(pk__in=contact_pages))


# Publishing (or submitting) a page sends the editor to its parent's listing. The home
# page's parent is the tree's root, where Wagtail warns "Pages created here will not be
# accessible": land on the home page's own sections instead.
# https://docs.wagtail.org/en/stable/reference/hooks.html#after-edit-page
LEAVING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


@hooks.register("after_edit_page")
def land_on_the_home_page_s_sections(request, page):
    leaving = any(request.POST.get(action) for action in LEAVING_ACTIONS)
    asked_for = request.POST.get("next") or request.GET.get("next")
    if leaving and page.depth == 2 and not asked_for:
        return redirect("wagtailadmin_explore", page.pk)
    return None


# A slug made from a title keeps a range's years apart: "2027–2028" (en dash), "2027—2028"
# (em dash) and the other dashes and minus signs become a hyphen before the admin's slug
# controller drops what is not a letter, digit or hyphen ("20272028").
SLUG_DASHES = "[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]"
register_form_field_override(
    models.SlugField, override={"widget": SlugInput(formatters=[(SLUG_DASHES, "-")])}
)

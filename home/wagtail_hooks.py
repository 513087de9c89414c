"""Admin hooks for the public site: who reads the contact page's messages in the admin's
Forms."""

from django.db.models import Q
from wagtail import hooks
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

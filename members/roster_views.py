"""Coordinator screens for the member roster: the list, and the CSV import with its preview."""

from wagtail.admin.viewsets.model import ModelViewSet

from .models import MemberRoster


class MemberRosterViewSet(ModelViewSet):
    model = MemberRoster
    icon = "list-ul"
    menu_label = "Member roster"
    list_display = ["member_number", "first_name", "last_name", "email", "membership_expires"]
    search_fields = ["member_number", "first_name", "last_name", "email"]
    form_fields = ["member_number", "email", "first_name", "last_name", "membership_expires"]

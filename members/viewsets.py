"""Coordinator screens for members: who is waiting for verification, and deciding."""

from wagtail.admin.viewsets.model import ModelViewSet

from .models import MemberProfile


class MemberProfileViewSet(ModelViewSet):
    model = MemberProfile
    icon = "user"
    menu_label = "Members"
    list_display = ["user", "membership_status", "member_number", "membership_expires"]
    list_filter = ["membership_status"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "member_number"]
    form_fields = ["membership_expires"]
    add_to_admin_menu = False

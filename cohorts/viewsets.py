"""Coordinator screens for the program: applications per cohort."""

from wagtail.admin.viewsets.model import ModelViewSet

from .models import Application


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "form"
    menu_label = "Applications"
    url_prefix = "mentoring/applications"
    url_namespace = "cohorts_application"
    list_display = ["applicant", "role", "status", "cohort"]
    form_fields = ["status"]

"""The portal's roles and their permissions, declared here and applied after each migrate.

A role is a Django group. Later capabilities add their permissions to these lists.
Coordinators never get permission to add or change users: in Wagtail that would let them
make themselves (or anyone) a superuser.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

COORDINATORS = "Coordinators"
CHAIR = "Chair"
EDITORS = "Editors"

PROGRAM_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "members.view_memberprofile",
    "members.change_memberprofile",
    "members.view_memberroster",
    "members.add_memberroster",
    "members.change_memberroster",
    "members.delete_memberroster",
    "cohorts.view_application",
    "cohorts.change_application",
    "cohorts.view_pair",
    "cohorts.change_pair",
    "cohorts.view_outboxmessage",
    # Sending a failed message again; no screen edits an outbox row.
    "cohorts.change_outboxmessage",
    "cohorts.view_checkinanswer",
    "cohorts.view_announcement",
    "cohorts.add_announcement",
    # Survey answers carry no person; coordinators read them, editors only build surveys.
    "surveys.view_surveyresponse",
    # The data retention screen: what is due to be erased, counted; the figures kept.
    "cohorts.view_cohortfigures",
    # The contact page's messages to the chair, in the admin's Forms (home/wagtail_hooks.py);
    # editors edit that page but never read its messages.
    "wagtailforms.view_formsubmission",
]

ROLE_PERMISSIONS = {
    COORDINATORS: PROGRAM_PERMISSIONS,
    CHAIR: PROGRAM_PERMISSIONS,
    EDITORS: [
        "wagtailadmin.access_admin",
        "home.change_sitesettings",
        "resources.view_resourcetopic",
        "resources.add_resourcetopic",
        "resources.change_resourcetopic",
        "resources.delete_resourcetopic",
        "members.view_areaofinterest",
        "members.add_areaofinterest",
        "members.change_areaofinterest",
        "members.delete_areaofinterest",
        # One wording snippet per reminder kind exists from the start: editors change them
        # but never add or delete one (without it, a kind falls back to built-in wording).
        "cohorts.view_remindertemplate",
        "cohorts.change_remindertemplate",
    ],
}


def roles_sync(apps=global_apps, **kwargs) -> None:
    """Create the role groups and add the permissions declared above (never removes any).

    Run from a migration, a permission whose model is created by a later migration does
    not exist yet; it is skipped there and added by the sync after the whole migrate.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def roles_sync_after_migrate(sender, apps=global_apps, **kwargs) -> None:
    # `flush` (run between live-server tests) sends post_migrate without `apps`.
    roles_sync(apps=apps)

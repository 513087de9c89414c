"""Each role sees exactly the admin menus it should, and can do only what it should."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page

from members.roles import CHAIR, COORDINATORS, EDITORS
from tests.factories import member

pytestmark = pytest.mark.django_db

ALWAYS = {"Help"}


def main_menu(client) -> dict[str, list[str]]:
    """Top-level admin menu labels, each with the labels of its submenu."""
    html = client.get("/admin/").content.decode()
    props = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)[1])
    [module] = [m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule"]
    menu = {}
    for item in module["_args"][0]:
        label = item["_args"][0]["label"]
        children = item["_args"][1] if item["_type"] == "wagtail.sidebar.SubMenuItem" else []
        menu[label] = [child["_args"][0]["label"] for child in children]
    return {label: items for label, items in menu.items() if label not in ALWAYS}


@pytest.mark.parametrize("role", [COORDINATORS, CHAIR])
def test_coordinators_and_the_chair_see_only_the_mentoring_menu(client, site, role):
    client.force_login(member(groups=[role]))
    assert main_menu(client) == {
        "Mentoring": [
            "Needs attention",
            "Applications",
            "Matching",
            "Pairs",
            "Reports",
            "Members",
            "Member roster",
            "Announcements",
            "Check-in answers",
            "Outbox",
            "Data retention",
        ]
    }


def test_editors_see_content_menus_and_no_program_data(client, site):
    client.force_login(member(groups=[EDITORS]))
    menu = main_menu(client)
    assert {"Pages", "Images", "Documents", "Snippets"} <= set(menu)
    assert "Mentoring" not in menu
    assert "Site settings" in menu["Settings"]
    assert "Users" not in menu.get("Settings", [])
    for url in [reverse("members_member:index"), reverse("members_roster:index")]:
        assert client.get(url).status_code in {302, 403}, url


def test_coordinators_cannot_manage_users_or_publish_pages(client, site):
    coordinator = member(groups=[COORDINATORS])
    client.force_login(coordinator)
    assert client.get("/admin/users/").status_code in {302, 403}
    assert client.get("/admin/users/new/").status_code in {302, 403}
    assert not coordinator.has_perm("members.add_user")
    assert not coordinator.has_perm("members.change_user")
    home = Page.objects.get(depth=2)
    assert not home.permissions_for_user(coordinator).can_publish()
    assert not home.permissions_for_user(coordinator).can_edit()


def test_editors_publish_pages_and_edit_site_settings(site):
    editor = member(groups=[EDITORS])
    home = Page.objects.get(depth=2)
    assert home.permissions_for_user(editor).can_publish()
    assert editor.has_perm("home.change_sitesettings")
    assert editor.has_perm("members.add_areaofinterest")
    assert not editor.has_perm("members.view_memberprofile")
    assert not editor.has_perm("members.view_memberroster")


def test_members_without_a_role_cannot_enter_the_admin(client, site):
    client.force_login(member())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_coordinator_dashboard_counts_people_waiting_for_verification(client, site):
    from members.choices import MembershipStatus

    for n in range(3):
        member(f"waiting{n}@example.org", status=MembershipStatus.PENDING)
    client.force_login(member(groups=[COORDINATORS]))
    html = client.get("/admin/").content.decode()
    assert "<strong>3</strong> people are waiting for you to verify their membership." in html
    assert 'href="/admin/mentoring/members/?membership_status=pending"' in html


def test_editors_dashboard_has_no_membership_panel(client, site):
    client.force_login(member(groups=[EDITORS]))
    assert "Membership verification" not in client.get("/admin/").content.decode()


def test_every_declared_role_permission_exists_and_is_granted():
    from django.contrib.auth.models import Group, Permission

    from members.roles import ROLE_PERMISSIONS

    for role, codes in ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        for code in codes:
            app_label, codename = code.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), code
            assert code in granted, (role, code)


def test_the_members_list_shows_each_membership_expiry_as_a_date(client, site):
    # A day in the future read "Just now" for every member (a relative time of day).
    member("renewed@example.org", membership_expires=datetime.date(2031, 6, 30))
    member("lapsed@example.org", membership_expires=datetime.date(2020, 1, 31))
    client.force_login(member(groups=[COORDINATORS]))
    page = client.get(reverse("members_member:index")).content.decode()
    tables = BeautifulSoup(page, "html.parser").find_all("table")
    shown = " ".join(" ".join(t.get_text(" ", strip=True) for t in tables).split())
    assert "June 30, 2031" in shown and "Jan. 31, 2020" in shown
    assert "years ago" not in shown  # how the lapsed member's expiry read before

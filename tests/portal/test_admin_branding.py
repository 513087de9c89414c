"""The admin carries the program's name and mark, from its login to every screen."""

import re

import pytest

from home.models import SiteSettings
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(site):
    settings_record = SiteSettings.for_site(site)
    settings_record.program_name = "Riverside Mentoring Program"
    settings_record.save()
    return settings_record.program_name


def test_the_admin_login_names_the_program(client, program):
    response = client.get("/admin/login/?next=/admin/pages/", follow=True)
    html = response.content.decode()
    assert "Log in to the Riverside Mentoring Program admin" in html
    assert 'name="login"' in html and 'name="password"' in html  # the form itself
    assert "Wagtail" not in html


def test_the_members_login_stays_as_it_was(client, program):
    html = client.get("/accounts/login/?next=/my-mentoring/").content.decode()
    assert "admin" not in html.split("<h1")[1].split("</h1>")[0]


def test_admin_screens_carry_the_program_s_name_and_mark(client, program):
    editor = member("editor@example.org")
    editor.is_superuser = editor.is_staff = True
    editor.save()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "<title>Dashboard - Riverside Mentoring Program admin</title>" in html
    assert 'href="/static/img/favicon.svg"' in html
    assert 'alt="Riverside Mentoring Program"' in html
    assert re.search(r'<h1 class="w-h1 w-mt-0">\s*Riverside Mentoring Program\s*</h1>', html)

"""`manage.py import_roster FILE`: previews, asks, and writes only when told to."""

import io

import pytest
from django.core.management import CommandError, call_command

from members.management.commands.import_roster import (
    ADDITIVE_NOTE,
    NOT_INTERACTIVE,
    NOTHING_TO_IMPORT,
    NOTHING_WRITTEN,
)
from members.models import MemberRoster
from members.services.roster import BAD_DATE, MISSING_COLUMNS, MISSING_NUMBER
from tests.helpers import DATA_DIR

pytestmark = pytest.mark.django_db

MALFORMED = str(DATA_DIR / "roster-malformed.csv")
SAMPLE = str(DATA_DIR / "roster-sample.csv")


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, holding what the person types."""

    def isatty(self):
        return True


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    call_command("import_roster", *args, stdout=out, stdin=stdin or io.StringIO())
    return out.getvalue()


def test_dry_run_prints_the_preview_and_writes_nothing():
    output = run(MALFORMED, "--dry-run")

    assert "3 to add, 0 to update, 0 unchanged, 11 rejected." in output
    assert f"Line 4: {MISSING_NUMBER}" in output
    assert f"Line 6: {BAD_DATE}" in output
    assert f"Line 15: {BAD_DATE}" in output
    assert "Ignored columns: Branch" in output
    assert ADDITIVE_NOTE in output
    assert output.rstrip().endswith(f"Dry run. {NOTHING_WRITTEN}")
    assert not MemberRoster.objects.exists()


def test_yes_applies_without_asking():
    output = run(MALFORMED, "--yes")

    assert "Apply these changes?" not in output
    assert "Roster imported: 3 added, 0 updated; 0 pending accounts verified." in output
    assert set(MemberRoster.objects.values_list("member_number", flat=True)) == {
        "M500001",
        "M500002",
        "M500011",
    }


def test_input_that_is_not_a_terminal_writes_nothing_without_yes():
    output = run(MALFORMED, stdin=io.StringIO("y\n"))

    assert NOT_INTERACTIVE in output
    assert not MemberRoster.objects.exists()


def test_answering_yes_applies():
    output = run(SAMPLE, stdin=Terminal("y\n"))

    assert "Apply these changes? [y/N] " in output
    assert "Roster imported: 64 added" in output
    assert MemberRoster.objects.count() == 64


@pytest.mark.parametrize("answer", ["n\n", "\n", "", "whatever\n"])
def test_any_other_answer_writes_nothing(answer):
    output = run(SAMPLE, stdin=Terminal(answer))

    assert output.rstrip().endswith(NOTHING_WRITTEN)
    assert not MemberRoster.objects.exists()


def test_running_it_again_finds_nothing_to_import():
    run(SAMPLE, "--yes")

    output = run(SAMPLE, "--yes")

    assert "0 to add, 0 to update, 64 unchanged, 8 rejected." in output
    assert NOTHING_TO_IMPORT in output
    assert MemberRoster.objects.count() == 64


def test_verbose_output_lists_additions_and_changes():
    MemberRoster.objects.create(
        member_number="M500001", email="ana@example.edu", membership_expires="2027-06-30"
    )

    output = run(MALFORMED, "--dry-run", "--verbosity", "2")

    assert "Line 3: add M500002 ben.okoro@example.edu" in output
    assert "Line 2: update M500001: e-mail ana@example.edu -> ana.silva@example.edu" in output


def test_a_file_that_cannot_be_read_is_an_error(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("number,email\nM1,a@example.edu\n")

    with pytest.raises(CommandError) as missing_columns:
        run(str(bad), "--yes")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "absent.csv"), "--yes")

    assert str(missing_columns.value) == MISSING_COLUMNS.format(
        missing="member_number, first_name, last_name, membership_expires"
    )
    assert not MemberRoster.objects.exists()

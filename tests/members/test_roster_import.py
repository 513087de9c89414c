"""The roster import service: what the preview accepts and rejects, and what apply writes."""

import csv
import datetime
import io
import zipfile

import pytest

from members.choices import MembershipStatus, VerificationMethod
from members.models import MemberProfile, MemberRoster
from members.services import roster as service
from members.services.roster import (
    BAD_DATE,
    BAD_EMAIL,
    CONTROL_CHARACTER,
    DUPLICATE_COLUMN,
    DUPLICATE_EMAIL,
    DUPLICATE_NUMBER,
    EMAIL_TAKEN,
    FILE_EMPTY,
    FILE_TOO_LARGE,
    LOOKS_LIKE_FORMULA,
    MISSING_COLUMNS,
    MISSING_NUMBER,
    NOT_TEXT,
    ROSTER_CHANGED,
    TOO_LONG,
    TOO_MANY_ROWS,
    FieldChange,
    RosterChangedError,
    RosterImportError,
    roster_csv_decode,
    roster_import_apply,
    roster_import_preview,
)
from tests.factories import UserFactory
from tests.helpers import DATA_DIR

pytestmark = pytest.mark.django_db

HEADER = ["member_number", "email", "first_name", "last_name", "membership_expires"]
FUTURE = "2099-12-31"
PAST = "2020-01-31"


def csv_text(*rows, header=HEADER, line_ending="\r\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_ending)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def entry(number="M1", email="mei@example.edu", first="Mei", last="Haddad", expires=FUTURE):
    return MemberRoster.objects.create(
        member_number=number,
        email=email,
        first_name=first,
        last_name=last,
        membership_expires=datetime.date.fromisoformat(expires),
    )


def reasons_by_line(preview) -> dict[int, tuple[str, ...]]:
    return {row.line: row.reasons for row in preview.rejected}


def pending_user(email, *, member_number="", last_name="Haddad"):
    user = UserFactory(email=email, last_name=last_name)
    MemberProfile.objects.create(user=user, member_number=member_number)
    return user


# The malformed file: one problem per line, every reason


def test_malformed_file_rejects_each_bad_line_with_its_reason():
    entry("M000001", "taken@example.edu", "Held", "Address")
    text = (DATA_DIR / "roster-malformed.csv").read_text(encoding="utf-8")

    preview = roster_import_preview(text=text)

    assert reasons_by_line(preview) == {
        4: (MISSING_NUMBER,),
        5: (BAD_EMAIL,),
        6: (BAD_DATE,),
        7: (BAD_DATE,),
        8: (DUPLICATE_NUMBER.format(number="M500006", lines="8, 9"),),
        9: (DUPLICATE_NUMBER.format(number="M500006", lines="8, 9"),),
        10: (DUPLICATE_EMAIL.format(email="shared@example.edu", lines="10, 11"),),
        11: (DUPLICATE_EMAIL.format(email="shared@example.edu", lines="10, 11"),),
        12: (LOOKS_LIKE_FORMULA.format(column="first name"),),
        13: (TOO_LONG.format(column="last name", limit=150),),
        14: (EMAIL_TAKEN.format(email="taken@example.edu", number="M000001"),),
        15: (BAD_DATE,),
    }
    assert [row.line for row in preview.to_add] == [2, 3]
    assert preview.ignored_columns == ("Branch",)
    assert MemberRoster.objects.count() == 1


def test_rejected_rows_keep_their_raw_values():
    text = (DATA_DIR / "roster-malformed.csv").read_text(encoding="utf-8")

    rejected = {row.line: row for row in roster_import_preview(text=text).rejected}

    assert rejected[5].values == ("M500003", "not-an-email", "Bad", "Email", "2027-06-30")
    assert rejected[6].values[4] == "30/06/2027"
    assert rejected[12].values[2] == '=HYPERLINK("http://x.invalid","click")'
    assert rejected[13].shown_values[3] == "A" * 40 + "…"


def test_a_row_with_several_problems_gets_every_reason():
    preview = roster_import_preview(text=csv_text(["", "nope", "A", "B", "31/12/2027"]))

    assert preview.rejected[0].reasons == (MISSING_NUMBER, BAD_EMAIL, BAD_DATE)
    assert preview.rejected[0].reason == f"{MISSING_NUMBER} {BAD_EMAIL} {BAD_DATE}"


def test_preview_writes_nothing():
    entry("M1", "old@example.edu")
    text = csv_text(
        ["M1", "new@example.edu", "Mei", "Haddad", FUTURE],
        ["M2", "noah@example.edu", "Noah", "Lindqvist", FUTURE],
    )
    before = list(MemberRoster.objects.values())

    preview = roster_import_preview(text=text)

    assert len(preview.to_add) == len(preview.to_update) == 1
    assert list(MemberRoster.objects.values()) == before


# Apply


def test_apply_writes_the_valid_rows_and_counts_them():
    entry("M1", "old@example.edu", expires=PAST)
    text = csv_text(
        ["M1", "Mei.Haddad@Example.EDU ", " Mei ", "Haddad", FUTURE],
        ["m2", "noah@example.edu", "Noah", "Lindqvist", "12/31/2099"],
        ["", "nobody@example.edu", "No", "Number", FUTURE],
    )

    result = roster_import_apply(preview=roster_import_preview(text=text))

    assert (result.added, result.updated, result.verified) == (1, 1, 0)
    assert result.summary == "Roster imported: 1 added, 1 updated; 0 pending accounts verified."
    assert list(
        MemberRoster.objects.order_by("member_number").values_list(
            "member_number", "email", "first_name", "membership_expires"
        )
    ) == [
        ("M1", "mei.haddad@example.edu", "Mei", datetime.date(2099, 12, 31)),
        ("M2", "noah@example.edu", "Noah", datetime.date(2099, 12, 31)),
    ]


def test_reimporting_the_same_file_changes_nothing():
    text = (DATA_DIR / "roster-sample.csv").read_text(encoding="utf-8")
    first = roster_import_apply(preview=roster_import_preview(text=text))
    stamps = dict(MemberRoster.objects.values_list("member_number", "updated_at"))

    preview = roster_import_preview(text=text)
    second = roster_import_apply(preview=preview)

    assert (first.added, first.updated) == (64, 0)
    assert (second.added, second.updated) == (0, 0)
    assert preview.unchanged == 64 and not preview.has_changes
    assert dict(MemberRoster.objects.values_list("member_number", "updated_at")) == stamps


def test_an_update_lists_each_changed_field_old_and_new():
    old = entry("M1", "mei@example.edu", "Mei", "Haddad", PAST)
    stamp = old.updated_at
    text = csv_text(["M1", "mei.h@example.edu", "Mei", "Haddad-Okafor", FUTURE])

    preview = roster_import_preview(text=text)

    (update,) = preview.to_update
    assert update.entry_id == old.pk
    assert update.changes == (
        FieldChange("email", "e-mail", "mei@example.edu", "mei.h@example.edu"),
        FieldChange("last_name", "last name", "Haddad", "Haddad-Okafor"),
        FieldChange(
            "membership_expires",
            "membership expiry",
            datetime.date(2020, 1, 31),
            datetime.date(2099, 12, 31),
        ),
    )
    roster_import_apply(preview=preview)
    old.refresh_from_db()
    assert (old.email, old.last_name) == ("mei.h@example.edu", "Haddad-Okafor")
    assert old.updated_at > stamp


def test_member_numbers_match_without_regard_to_case():
    entry("m1", "mei@example.edu")

    preview = roster_import_preview(
        text=csv_text(["M1", "mei@example.edu", "Mei", "Haddad", FUTURE])
    )

    assert not preview.to_add
    assert preview.to_update[0].changes == (
        FieldChange("member_number", "member number", "m1", "M1"),
    )


def test_entries_missing_from_the_file_are_kept():
    entry("M1", "mei@example.edu")

    roster_import_apply(
        preview=roster_import_preview(text=csv_text(["M2", "noah@example.edu", "N", "L", FUTURE]))
    )

    assert set(MemberRoster.objects.values_list("member_number", flat=True)) == {"M1", "M2"}


def test_apply_refuses_when_a_new_number_arrived_since_the_preview():
    preview = roster_import_preview(text=csv_text(["M1", "mei@example.edu", "Mei", "H", FUTURE]))
    entry("M1", "someone@example.edu")

    with pytest.raises(RosterChangedError, match=ROSTER_CHANGED):
        roster_import_apply(preview=preview)

    assert MemberRoster.objects.get().email == "someone@example.edu"


def test_apply_refuses_when_an_entry_was_edited_since_the_preview():
    old = entry("M1", "mei@example.edu")
    text = csv_text(
        ["M1", "mei@example.edu", "Mei", "Haddad", PAST], ["M2", "n@example.edu", "N", "L", FUTURE]
    )
    preview = roster_import_preview(text=text)
    MemberRoster.objects.filter(pk=old.pk).update(last_name="Okafor")

    with pytest.raises(RosterChangedError, match=ROSTER_CHANGED):
        roster_import_apply(preview=preview)

    assert list(MemberRoster.objects.values_list("member_number", "last_name")) == [
        ("M1", "Okafor")
    ]


# Verification of pending accounts


def test_import_verifies_a_pending_account_whose_email_it_adds(django_capture_on_commit_callbacks):
    user = pending_user("mei.haddad@example.edu")
    already = UserFactory(email="noah@example.edu")
    MemberProfile.objects.create(user=already, membership_status=MembershipStatus.DECLINED)
    text = csv_text(
        ["M1", "Mei.Haddad@example.edu", "Mei", "Haddad", FUTURE],
        ["M2", "noah@example.edu", "Noah", "L", FUTURE],
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import_apply(preview=roster_import_preview(text=text))

    assert result.verified == 1
    assert result.summary.endswith("1 pending account verified.")
    profile = MemberProfile.objects.get(user=user)
    assert profile.membership_status == MembershipStatus.VERIFIED
    assert profile.verification_method == VerificationMethod.ROSTER
    assert (profile.member_number, profile.membership_expires) == (
        "M1",
        datetime.date(2099, 12, 31),
    )
    assert MemberProfile.objects.get(user=already).membership_status == MembershipStatus.DECLINED


def test_import_verifies_by_member_number_with_the_same_last_name():
    matching = pending_user("personal@example.org", member_number="m7", last_name="Osei")
    other = pending_user("other@example.org", member_number="M8", last_name="Somebody")
    text = csv_text(
        ["M7", "work@example.edu", "Diego", "Osei", FUTURE],
        ["M8", "m8@example.edu", "Leila", "Okafor", FUTURE],
    )

    result = roster_import_apply(preview=roster_import_preview(text=text))

    assert result.verified == 1
    assert MemberProfile.objects.get(user=matching).membership_status == MembershipStatus.VERIFIED
    assert MemberProfile.objects.get(user=other).membership_status == MembershipStatus.PENDING


def test_an_expired_row_verifies_nobody():
    user = pending_user("mei@example.edu")

    result = roster_import_apply(
        preview=roster_import_preview(text=csv_text(["M1", "mei@example.edu", "M", "H", PAST]))
    )

    assert (result.added, result.verified) == (1, 0)
    assert MemberProfile.objects.get(user=user).membership_status == MembershipStatus.PENDING


def test_an_update_that_renews_a_membership_verifies_the_pending_account():
    entry("M1", "mei@example.edu", expires=PAST)
    user = pending_user("mei@example.edu")

    result = roster_import_apply(
        preview=roster_import_preview(
            text=csv_text(["M1", "mei@example.edu", "Mei", "Haddad", FUTURE])
        )
    )

    assert (result.updated, result.verified) == (1, 1)
    assert MemberProfile.objects.get(user=user).membership_status == MembershipStatus.VERIFIED


# Formats: BOM, line endings, encodings, dates, headers


def test_bom_crlf_and_spaced_capitalised_headers_are_read():
    text = "\ufeff Member Number ,E-mail,FIRST NAME,last-name,Membership Expires\r\n"
    text += "M1,mei@example.edu,Mei,Haddad,2027-06-15\r\nM2,noah@example.edu,Noah,L,6/5/2027\r\n"

    preview = roster_import_preview(text=text)

    assert [(row.line, row.membership_expires) for row in preview.to_add] == [
        (2, datetime.date(2027, 6, 15)),
        (3, datetime.date(2027, 6, 5)),
    ]
    assert not preview.rejected and not preview.ignored_columns


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
def test_files_in_common_spreadsheet_encodings_are_decoded(encoding):
    text = "member_number,email,first_name,last_name,membership_expires\r\n"
    text += "M1,z@example.edu,Zoë,Núñez,2027-06-15\r\n"

    preview = roster_import_preview(text=roster_csv_decode(data=text.encode(encoding)))

    assert (preview.to_add[0].first_name, preview.to_add[0].last_name) == ("Zoë", "Núñez")


def test_a_spreadsheet_saved_as_xlsx_is_not_text():
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as archive:
        part = zipfile.ZipInfo("xl/sharedStrings.xml")
        part.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(part, "<sst><si><t>M100001</t></si><si><t>Zoë</t></si></sst>" * 50)

    with pytest.raises(RosterImportError) as error:
        roster_csv_decode(data=xlsx.getvalue())

    assert str(error.value) == NOT_TEXT


def test_semicolon_separated_files_are_read():
    text = "member_number;email;first_name;last_name;membership_expires\n"
    text += "M1;m@example.edu;M;H;2027-01-02\n"

    assert roster_import_preview(text=text).to_add[0].email == "m@example.edu"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-06-15", datetime.date(2027, 6, 15)),
        ("2027-6-5", datetime.date(2027, 6, 5)),
        ("6/15/2027", datetime.date(2027, 6, 15)),
        ("06/05/2027", datetime.date(2027, 6, 5)),
        ("2/29/2028", datetime.date(2028, 2, 29)),
        ("15/06/2027", None),
        ("2027-02-30", None),
        ("2/29/2027", None),
        ("6/15/27", None),
        ("15.06.2027", None),
        ("June 15, 2027", None),
        ("2027-06-15 00:00:00", None),
        ("", None),
    ],
)
def test_dates_are_iso_or_us_and_real(value, expected):
    preview = roster_import_preview(text=csv_text(["M1", "m@example.edu", "M", "H", value]))

    if expected is None:
        assert reasons_by_line(preview) == {2: (BAD_DATE,)}
    else:
        assert preview.to_add[0].membership_expires == expected


def test_blank_lines_are_skipped_and_line_numbers_stay_physical():
    text = csv_text(
        ["M1", "a@example.edu", "Multi\nLine", "H", FUTURE],
        [],
        ["", "", "", "", ""],
        ["", "b@example.edu", "B", "H", FUTURE],
    )

    preview = roster_import_preview(text=text)

    assert reasons_by_line(preview) == {
        2: (CONTROL_CHARACTER.format(column="first name"),),
        6: (MISSING_NUMBER,),
    }


# Unsafe values


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", " ="])
@pytest.mark.parametrize(
    ("column", "label"),
    [
        (0, "member number"),
        (1, "e-mail"),
        (2, "first name"),
        (3, "last name"),
        (4, "membership expiry"),
    ],
)
def test_values_that_a_spreadsheet_would_run_are_rejected(start, column, label):
    row = ["M1", "m@example.edu", "Mei", "Haddad", FUTURE]
    row[column] = start + "1+1"

    preview = roster_import_preview(text=csv_text(row))

    assert reasons_by_line(preview) == {2: (LOOKS_LIKE_FORMULA.format(column=label),)}


@pytest.mark.parametrize("value", ["Mei\x00", "Mei\x1b[31m", "\u202eMei", "Mei\u2066x"])
def test_control_and_bidi_override_characters_are_rejected(value):
    preview = roster_import_preview(text=csv_text(["M1", "m@example.edu", value, "H", FUTURE]))

    assert reasons_by_line(preview) == {2: (CONTROL_CHARACTER.format(column="first name"),)}
    assert "\x00" not in preview.rejected[0].shown_values[2]
    assert "\x1b" not in preview.rejected[0].shown_values[2]


@pytest.mark.parametrize(
    ("column", "length", "reason"),
    [
        (0, 33, TOO_LONG.format(column="member number", limit=32)),
        (1, 255, TOO_LONG.format(column="e-mail", limit=254)),
        (2, 151, TOO_LONG.format(column="first name", limit=150)),
        (4, 11, BAD_DATE),
    ],
)
def test_overlong_values_are_rejected(column, length, reason):
    row = ["M1", "m@example.edu", "Mei", "Haddad", FUTURE]
    row[column] = (
        "x" * (length - len("@example.edu")) + "@example.edu" if column == 1 else "1" * length
    )

    preview = roster_import_preview(text=csv_text(row))

    assert reasons_by_line(preview) == {2: (reason,)}


def test_values_at_the_length_limit_are_accepted():
    number, name = "M" * 32, "N" * 150
    preview = roster_import_preview(text=csv_text([number, "m@example.edu", name, name, FUTURE]))

    assert preview.to_add[0].member_number == number


# Duplicates and addresses held by others


def test_every_line_sharing_a_member_number_is_rejected_however_it_is_written():
    text = csv_text(
        ["M1", "a@example.edu", "A", "H", FUTURE],
        [" m1 ", "b@example.edu", "B", "H", FUTURE],
        ["M1", "c@example.edu", "C", "H", "bad"],
    )

    preview = roster_import_preview(text=text)

    duplicate = DUPLICATE_NUMBER.format(number="M1", lines="2, 3, 4")
    assert reasons_by_line(preview) == {2: (duplicate,), 3: (duplicate,), 4: (BAD_DATE, duplicate)}
    assert not preview.to_add


def test_an_address_another_member_keeps_is_rejected():
    entry("M1", "Mei@Example.edu")

    preview = roster_import_preview(text=csv_text(["M2", "mei@example.edu", "M", "H", FUTURE]))

    assert reasons_by_line(preview) == {
        2: (EMAIL_TAKEN.format(email="mei@example.edu", number="M1"),)
    }


def test_an_address_moving_between_members_in_one_file_is_accepted():
    entry("M1", "shared@example.edu")
    text = csv_text(
        ["M1", "own@example.edu", "A", "H", FUTURE],
        ["M2", "shared@example.edu", "B", "H", FUTURE],
    )

    preview = roster_import_preview(text=text)

    assert not preview.rejected
    assert roster_import_apply(preview=preview).added == 1
    assert MemberRoster.objects.get(member_number="M2").email == "shared@example.edu"


def test_a_rejected_move_keeps_the_address_taken():
    entry("M1", "shared@example.edu")
    text = csv_text(
        ["M1", "own@example.edu", "A", "H", "not a date"],
        ["M2", "shared@example.edu", "B", "H", FUTURE],
    )

    preview = roster_import_preview(text=text)

    assert reasons_by_line(preview) == {
        2: (BAD_DATE,),
        3: (EMAIL_TAKEN.format(email="shared@example.edu", number="M1"),),
    }


# File-level errors


def test_missing_columns_are_one_error_naming_the_expected_columns():
    with pytest.raises(RosterImportError) as error:
        roster_import_preview(
            text="member number,e-mail,name,expires\r\nM1,a@example.edu,A,2027-01-01\r\n"
        )

    assert str(error.value) == MISSING_COLUMNS.format(
        missing="first_name, last_name, membership_expires"
    )
    assert "member_number, email, first_name, last_name, membership_expires" in str(error.value)


@pytest.mark.parametrize("text", ["", "\ufeff", "\r\n\r\n", ",,,\r\n"])
def test_an_empty_file_is_refused(text):
    with pytest.raises(RosterImportError, match=FILE_EMPTY):
        roster_import_preview(text=text)


def test_a_column_named_twice_is_refused():
    with pytest.raises(RosterImportError) as error:
        roster_import_preview(text=csv_text(header=[*HEADER, "E-Mail"]))

    assert str(error.value) == DUPLICATE_COLUMN.format(column="email")


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(service, "MAX_ROWS", 2)
    rows = [[f"M{n}", f"m{n}@example.edu", "M", "H", FUTURE] for n in range(3)]

    assert len(roster_import_preview(text=csv_text(*rows[:2])).to_add) == 2
    with pytest.raises(RosterImportError) as error:
        roster_import_preview(text=csv_text(*rows))
    assert str(error.value) == TOO_MANY_ROWS.format(limit=2)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(service, "MAX_FILE_BYTES", 1024 * 1024)
    text = csv_text(["M1", "m@example.edu", "x" * 100, "H", FUTURE]) * 12_000

    for call in (
        lambda: roster_import_preview(text=text),
        lambda: roster_csv_decode(data=text.encode()),
    ):
        with pytest.raises(RosterImportError) as error:
            call()
        assert str(error.value) == FILE_TOO_LARGE.format(limit_mb=1)


# The shared sample export


def test_the_sample_export_previews_as_documented():
    text = (DATA_DIR / "roster-sample.csv").read_text(encoding="utf-8")

    preview = roster_import_preview(text=text)

    assert (len(preview.to_add), len(preview.to_update), preview.unchanged) == (64, 0, 0)
    assert reasons_by_line(preview) == {
        2: (DUPLICATE_NUMBER.format(number="M100001", lines="2, 71"),),
        3: (DUPLICATE_EMAIL.format(email="grace.lindqvist2@example.edu", lines="3, 72"),),
        32: (MISSING_NUMBER,),
        33: (BAD_EMAIL,),
        34: (BAD_DATE,),
        71: (DUPLICATE_NUMBER.format(number="M100001", lines="2, 71"),),
        72: (DUPLICATE_EMAIL.format(email="grace.lindqvist2@example.edu", lines="3, 72"),),
        73: (LOOKS_LIKE_FORMULA.format(column="e-mail"),),
    }

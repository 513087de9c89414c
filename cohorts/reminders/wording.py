"""The built-in wording of every reminder kind: what a kind says until an editor changes it
under Snippets → Reminder wording (migration 0004 copies these into snippets)."""

from ..choices import ReminderKind as Kind

SIGNATURE = "<p>{chair_name}<br/>{chair_title}</p>"

DEFAULT_WORDING: dict[str, tuple[str, str]] = {
    Kind.APPLICATIONS_OPEN: (
        "{program}: applications for {cohort} are open",
        "<p>Dear {first_name},</p><p>Applications for {cohort} are open until {date}. "
        "Mentors and mentees commit to one year and at least {hours} hours of contact.</p>"
        '<p><a href="{link}">Apply now</a></p>' + SIGNATURE,
    ),
    Kind.DEADLINE_APPROACHING: (
        "{program}: applications for {cohort} close on {date}",
        "<p>Dear {first_name},</p><p>Applications for {cohort} close at the end of {date}. "
        "If you started one, it is saved as a draft: submit it before then.</p>"
        '<p><a href="{link}">Go to the application</a></p>' + SIGNATURE,
    ),
    Kind.APPLICATION_RECEIVED: (
        "{program}: we received your application to {cohort}",
        "<p>Dear {first_name},</p><p>Thank you for applying to {cohort}. You can read, edit "
        "or withdraw your application until the deadline.</p>"
        '<p><a href="{link}">Your application</a></p>' + SIGNATURE,
    ),
    Kind.MATCHED: (
        "{program}: meet your mentoring partner",
        "<p>Dear {first_name},</p><p>You are paired with {partner_name} for {cohort}. "
        "Introduce yourselves and agree how often and how you will meet.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>' + SIGNATURE,
    ),
    Kind.ORIENTATION: (
        "{program}: orientation on {date}",
        "<p>Dear {first_name},</p><p>The orientation and training for {cohort} is on "
        "{date}. The calendar file attached has the details of how to join.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>' + SIGNATURE,
    ),
    Kind.PROGRAM_STARTS: (
        "{program}: formal mentoring starts today",
        "<p>Dear {first_name},</p><p>Formal mentoring in {cohort} starts today, {date}. "
        "Record your contacts with {partner_name} as you go: the program asks for at least "
        "{hours} hours over the year.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>' + SIGNATURE,
    ),
    Kind.CHECKIN: (
        "{program}: how is your mentoring going?",
        "<p>Dear {first_name},</p><p>It is time for the chair's check-in. How is your "
        "mentoring with {partner_name} going? One click below tells the subcommittee; "
        "choosing “we need help” asks us to get in touch.</p>" + SIGNATURE,
    ),
    Kind.BEHIND_ON_CONTACT: (
        "{program}: time to meet your partner",
        "<p>Dear {first_name},</p><p>Your pair has recorded fewer contact hours than the "
        "pace that reaches {hours} hours by {date}. A short call with {partner_name} soon "
        "keeps you on track; if something is in the way, ask the subcommittee for help.</p>"
        '<p><a href="{link}">Record a contact</a></p>' + SIGNATURE,
    ),
    Kind.SURVEY_OPEN: (
        "{program}: the survey is open",
        "<p>Dear {first_name},</p><p>The program's evaluation survey for {cohort} is open "
        "until {date}. Your answers are anonymous and shape next year's program.</p>"
        '<p><a href="{link}">Answer the survey</a></p>' + SIGNATURE,
    ),
    Kind.SURVEY_REMINDER: (
        "{program}: the survey closes on {date}",
        "<p>Dear {first_name},</p><p>The evaluation survey for {cohort} closes on {date}, "
        "and we have not heard from you yet.</p>"
        '<p><a href="{link}">Answer the survey</a></p>' + SIGNATURE,
    ),
    Kind.PROGRAM_ENDS: (
        "{program}: formal mentoring ends today",
        "<p>Dear {first_name},</p><p>Formal mentoring in {cohort} ends today, {date}. "
        "Thank you. You and {partner_name} may continue informally: say so on your "
        "mentoring page, and your history stays yours.</p><p>We hope you will mentor in the "
        'next cohort.</p><p><a href="{link}">Your mentoring page</a></p>' + SIGNATURE,
    ),
    Kind.CHANGE_CONSENT: (
        "{program}: your partner asked to change partner",
        "<p>Dear {first_name},</p><p>{partner_name} asked to end your pairing in {cohort} "
        "and change partner. A change needs your consent and the subcommittee's approval.</p>"
        '<p><a href="{link}">Answer the request</a></p>' + SIGNATURE,
    ),
    Kind.CHANGE_AGREED: (
        "{program}: your partner agreed to a change of partner",
        "<p>Dear {first_name},</p><p>{partner_name} agreed to your request. The "
        "subcommittee will now decide, and you will hear from us.</p>" + SIGNATURE,
    ),
    Kind.CHANGE_APPROVAL: (
        "{program}: a change of partner in {cohort} to decide",
        "<p>Dear {first_name},</p><p>Both partners of a pair in {cohort} agree to change "
        'partner. It waits for a coordinator\'s decision.</p><p><a href="{link}">Open the '
        "pair in the admin</a></p>",
    ),
    Kind.CHANGE_DECLINED_BY_PARTNER: (
        "{program}: your partner did not agree",
        "<p>Dear {first_name},</p><p>{partner_name} did not agree to change partner. If you "
        "need help, ask the subcommittee from your mentoring page.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>' + SIGNATURE,
    ),
    Kind.CHANGE_APPROVED: (
        "{program}: your pairing has ended by agreement",
        "<p>Dear {first_name},</p><p>The subcommittee approved the change: your pairing "
        "with {partner_name} in {cohort} has ended. We will be in touch about what "
        "comes next.</p>" + SIGNATURE,
    ),
    Kind.CHANGE_DECLINED: (
        "{program}: the request to change partner was declined",
        "<p>Dear {first_name},</p><p>The subcommittee declined the request to change "
        "partner; your pairing with {partner_name} continues. Ask us for help from your "
        'mentoring page at any time.</p><p><a href="{link}">Your mentoring page</a></p>'
        + SIGNATURE,
    ),
    Kind.CHANGE_WITHDRAWN: (
        "{program}: the request to change partner was withdrawn",
        "<p>Dear {first_name},</p><p>{partner_name} withdrew the request to change partner; "
        "your pairing continues.</p>" + SIGNATURE,
    ),
    Kind.ANNOUNCEMENT: (
        "{program}: news for {cohort}",
        "<p>Dear {first_name},</p>",
    ),
}

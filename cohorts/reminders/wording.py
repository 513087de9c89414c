"""The built-in wording of every reminder kind: what a kind says until an editor changes it
under Snippets → Reminder wording (every ``migrate`` copies the wording of a kind that has
no snippet into one: cohorts/reminders/services/wording.py). The
chair's name and title close every e-mail, below the wording."""

from cohorts.choices import ReminderKind as Kind

DEFAULT_WORDING: dict[str, tuple[str, str]] = {
    Kind.APPLICATIONS_OPEN: (
        "{program}: applications for {cohort} are open",
        "<p>Dear {first_name},</p><p>Applications for {cohort} are open until {date}. "
        "Mentors and mentees commit to one year and at least {hours} hours of contact.</p>"
        '<p><a href="{link}">Apply now</a></p>',
    ),
    Kind.DEADLINE_APPROACHING: (
        "{program}: applications for {cohort} close on {date}",
        "<p>Dear {first_name},</p><p>Applications for {cohort} close at the end of {date}. "
        "If you started one, it is saved as a draft: submit it before then.</p>"
        '<p><a href="{link}">Go to the application</a></p>',
    ),
    Kind.APPLICATION_RECEIVED: (
        "{program}: your application to {cohort} is received",
        "<p>Dear {first_name},</p><p>Thank you for applying to {cohort} as {role}. The "
        "mentoring subcommittee has received your application.</p><p>You can change or "
        'withdraw it until {date}: <a href="{link}">your application</a>.</p><p>The '
        "subcommittee matches mentors and mentees after the deadline and will write to you "
        "by {pairing_date}.</p>",
    ),
    Kind.MATCHED: (
        "{program}: meet your mentoring partner",
        "<p>Dear {first_name},</p><p>You are paired with {partner_name} for {cohort}. "
        "Introduce yourselves and agree how often and how you will meet.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>',
    ),
    Kind.ORIENTATION: (
        "{program}: orientation on {date}",
        "<p>Dear {first_name},</p><p>The orientation and training for {cohort} is on "
        "{date}. The calendar file attached has the details of how to join.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>',
    ),
    Kind.PROGRAM_STARTS: (
        "{program}: formal mentoring starts today",
        "<p>Dear {first_name},</p><p>Formal mentoring in {cohort} starts today, {date}. "
        "Record your contacts with {partner_name} as you go: the program asks for at least "
        "{hours} hours over the year.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>',
    ),
    Kind.CHECKIN: (
        "{program}: how is your mentoring going?",
        "<p>Dear {first_name},</p><p>It is time for the chair's check-in. How is your "
        "mentoring with {partner_name} going? One click below tells the subcommittee; "
        "choosing “we need help” asks us to get in touch.</p>",
    ),
    Kind.BEHIND_ON_CONTACT: (
        "{program}: time to meet your partner",
        "<p>Dear {first_name},</p><p>Your pair has recorded fewer contact hours than the "
        "pace that reaches {hours} hours by {date}. A short call with {partner_name} soon "
        "keeps you on track; if something is in the way, ask the subcommittee for help.</p>"
        '<p><a href="{link}">Record a contact</a></p>',
    ),
    Kind.SURVEY_OPEN: (
        "{program}: the survey is open",
        "<p>Dear {first_name},</p><p>The program's evaluation survey for {cohort} is open "
        "until {date}. Your answers are anonymous and shape next year's program.</p>"
        '<p><a href="{link}">Answer the survey</a></p>',
    ),
    Kind.SURVEY_REMINDER: (
        "{program}: the survey closes on {date}",
        "<p>Dear {first_name},</p><p>The evaluation survey for {cohort} closes on {date}, "
        "and we have not heard from you yet.</p>"
        '<p><a href="{link}">Answer the survey</a></p>',
    ),
    Kind.PROGRAM_ENDS: (
        "{program}: formal mentoring ends today",
        "<p>Dear {first_name},</p><p>Formal mentoring in {cohort} ends today, {date}. "
        "Thank you. You and {partner_name} may continue informally: say so on your "
        "mentoring page, and your history stays yours.</p><p>We hope you will mentor in the "
        'next cohort.</p><p><a href="{link}">Your mentoring page</a></p>',
    ),
    Kind.CHANGE_CONSENT: (
        "{program}: your partner asked to change partner",
        "<p>Dear {first_name},</p><p>Your partner in {cohort} has asked to change partner. "
        "A pairing changes only if you both agree and the mentoring subcommittee approves."
        "</p><p>Please answer on your mentoring dashboard whether you agree: "
        '<a href="{link}">{link}</a></p><p>Questions? Reply to this e-mail.</p>',
    ),
    Kind.CHANGE_AGREED: (
        "{program}: your partner agreed to a change of partner",
        "<p>Dear {first_name},</p><p>Your partner in {cohort} agreed to your request to "
        "change partner. A member of the mentoring subcommittee will now decide, and we will "
        'write to you both.</p><p><a href="{link}">Your mentoring dashboard</a></p>',
    ),
    Kind.CHANGE_APPROVAL: (
        "{program}: a change of partner in {cohort} to decide",
        "<p>Dear {first_name},</p><p>Both partners of a pair in {cohort} agree to change "
        "partner. The request waits for the subcommittee's approval.</p><p>Read it and "
        'approve or decline it in the admin: <a href="{link}">{link}</a></p>',
    ),
    Kind.CHANGE_DECLINED_BY_PARTNER: (
        "{program}: your partner did not agree",
        "<p>Dear {first_name},</p><p>Your partner in {cohort} did not agree to change "
        "partner, so your pairing continues.</p><p>If you would like to talk it over, the "
        "mentoring subcommittee is here to help: ask from your mentoring dashboard, or reply "
        'to this e-mail.</p><p><a href="{link}">Your mentoring dashboard</a></p>',
    ),
    Kind.CHANGE_APPROVED: (
        "{program}: your pairing has ended by agreement",
        "<p>Dear {first_name},</p><p>The mentoring subcommittee approved the change of "
        "partner in {cohort}: your pairing has ended by agreement. The subcommittee will be "
        "in touch about a new partner.</p>"
        '<p><a href="{link}">Your mentoring dashboard</a></p>',
    ),
    Kind.CHANGE_DECLINED: (
        "{program}: the request to change partner was declined",
        "<p>Dear {first_name},</p><p>The mentoring subcommittee declined the request to "
        "change partner in {cohort}, so your pairing continues.</p><p>If you would like to "
        "talk it over, ask the subcommittee for help from your mentoring dashboard: "
        '<a href="{link}">{link}</a></p>',
    ),
    Kind.CHANGE_WITHDRAWN: (
        "{program}: the request to change partner was withdrawn",
        "<p>Dear {first_name},</p><p>Your partner in {cohort} withdrew their request to "
        "change partner, so your pairing continues as before.</p>"
        '<p><a href="{link}">Your mentoring dashboard</a></p>',
    ),
    Kind.CHANGE_CLOSED: (
        "{program}: your request to change partner is closed",
        "<p>Dear {first_name},</p><p>{partner_name} has closed their side of your pair in "
        "{cohort}, now that formal mentoring is over, so your request to change partner can "
        "no longer be agreed to or decided: it is closed.</p><p>Your pair's record and your "
        "own notes stay on your mentoring page for you to read; you can still choose to "
        "continue informally or close your side there.</p>"
        '<p><a href="{link}">Your request on your mentoring page</a></p>',
    ),
    Kind.PARTNER_LEFT: (
        "{program}: your partner has left the program",
        "<p>Dear {first_name},</p><p>Your partner in {cohort} has deleted their account, so "
        "your pair has ended. Your contact log, goals and your own notes stay on your "
        "mentoring page for you to read.</p><p>The mentoring subcommittee will be in touch "
        "about a new partner.</p>"
        '<p><a href="{link}">Your mentoring page</a></p>',
    ),
    Kind.PARTNER_LEFT_SUBCOMMITTEE: (
        "{program}: a participant in {cohort} left the program",
        "<p>Dear {first_name},</p><p>A participant in {cohort} deleted their account, so "
        "their pair has ended (partner left the program). {partner_name}, their partner, "
        "is back among the unmatched in the matching workspace and can be paired again.</p>"
        '<p><a href="{link}">Open the matching workspace</a></p>',
    ),
    Kind.ANNOUNCEMENT: (
        "{program}: news for {cohort}",
        "<p>Dear {first_name},</p>",
    ),
    Kind.PARTNER_CLOSED: (
        "{program}: {partner_name} closed their side of your pair",
        "<p>Dear {first_name},</p><p>{partner_name} has closed their side of your pair in "
        "{cohort}, now that formal mentoring is over. Thank you both for your year.</p><p>Your "
        "pair's record, your own notes and, for a mentor, the letter of service stay on your "
        "mentoring page for you to read; you can still choose to continue informally or close "
        'your side there.</p><p><a href="{link}">Your mentoring page</a></p>',
    ),
    Kind.APPLICATION_ACCEPTED: (
        "{program}: your application is accepted ({cohort})",
        "<p>Dear {first_name},</p><p>Good news: your application to {cohort} is accepted. "
        "The subcommittee pairs mentors and mentees by {pairing_date} and will write to you "
        'then about your partner and the orientation.</p><p><a href="{link}">Your '
        "application</a></p>",
    ),
    Kind.APPLICATION_WAITLISTED: (
        "{program}: your application is on the waitlist ({cohort})",
        "<p>Dear {first_name},</p><p>Your application to {cohort} is on the waitlist. If a "
        "place opens up in this cohort, we will write to you again.</p>"
        '<p><a href="{link}">Your application</a></p>',
    ),
    Kind.APPLICATION_DECLINED: (
        "{program}: about your application ({cohort})",
        "<p>Dear {first_name},</p><p>Thank you for applying to {cohort}. We are sorry that "
        "we cannot offer you a place in this cohort.</p>"
        '<p><a href="{link}">Your application</a></p>',
    ),
    Kind.APPLICATION_REOPENED: (
        "{program}: your application is back under review ({cohort})",
        "<p>Dear {first_name},</p><p>Your application to {cohort} is back under review; we "
        'will write to you again when it is decided.</p><p><a href="{link}">Your '
        "application</a></p>",
    ),
    Kind.APPLICATION_WITHDRAWN: (
        "{program}: your application is withdrawn ({cohort})",
        "<p>Dear {first_name},</p><p>Your application to {cohort} is now withdrawn. You can "
        'apply again while applications are open.</p><p><a href="{link}">Your '
        "application</a></p>",
    ),
    Kind.HELP_ASKED: (
        "{program}: a participant in {cohort} asked for help",
        "<p>Dear {first_name},</p><p>A participant in {cohort} asked the mentoring "
        "subcommittee for help.</p><p>Read the request and answer it in the admin; the "
        'answer goes to them by e-mail: <a href="{link}">{link}</a></p>',
    ),
    Kind.HELP_ANSWERED: (
        "{program}: an answer to your request for help",
        "<p>Dear {first_name},</p><p>Thank you for writing to the mentoring subcommittee. "
        "The answer to your request for help is below.</p>"
        '<p><a href="{link}">Your mentoring dashboard</a></p>',
    ),
    Kind.MEMBERSHIP_VERIFIED: (
        "{program}: Your membership is verified",
        "<p>Dear {first_name},</p><p>A member of the mentoring subcommittee has verified "
        "your membership. You can now apply to the {program} as a mentor, a mentee or "
        'both.</p><p><a href="{link}">Your account</a></p>',
    ),
    Kind.MEMBERSHIP_DECLINED: (
        "{program}: We could not verify your membership",
        "<p>Dear {first_name},</p><p>The mentoring subcommittee could not verify your "
        "membership, so you cannot apply to the {program} yet. The reason is below.</p>"
        "<p>If you are a member, or have just renewed, reply to this e-mail with your member "
        'number and we will look again.</p><p><a href="{link}">Your account</a></p>',
    ),
}

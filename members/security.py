"""Login protection hooks of the members' login (allauth), which every login goes through,
the admin's included, and the idle timeout of a logged-in session."""

import time


def login_identifier(request, credentials) -> str | None:
    """The account a login attempt names, lower-cased, for django-axes to count failures on.

    allauth passes ``email``; Django's own ``authenticate()`` callers pass ``username``
    (which holds the e-mail address, as it is the login); a form post carries ``login`` or
    ``username``.
    """
    credentials = credentials or {}
    post = getattr(request, "POST", {}) if request is not None else {}
    for value in (
        credentials.get("email"),
        credentials.get("username"),
        post.get("login"),
        post.get("username"),
    ):
        if value:
            return str(value).strip().lower()
    return None


# A logged-in session's expiry moves forward at most this often: reading pages then costs no
# database write, and the idle timeout stays exact to within this many seconds.
SESSION_REFRESH_SECONDS = 60
SESSION_REFRESHED_AT = "_refreshed_at"


class IdleSessionMiddleware:
    """Ends a member's session after SESSION_IDLE_MINUTES without a request (the session's
    age, SESSION_COOKIE_AGE), and keeps it alive while they use the site: a request renews
    the session (database row and cookie) when its last renewal is a minute old or more.
    Goes right after SessionMiddleware, which saves the renewed session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import SESSION_KEY

        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or not session.get(SESSION_KEY):
            return response
        now = int(time.time())
        if now - session.get(SESSION_REFRESHED_AT, 0) >= SESSION_REFRESH_SECONDS:
            session[SESSION_REFRESHED_AT] = now
        return response

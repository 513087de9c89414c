"""Login protection hooks shared by the member login and the admin login."""


def login_identifier(request, credentials) -> str | None:
    """The account a login attempt names, lower-cased, for django-axes to count failures on.

    allauth passes ``email``; Wagtail's admin login passes ``username`` (which holds the
    e-mail address, as it is the login); a form post carries ``login`` or ``username``.
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

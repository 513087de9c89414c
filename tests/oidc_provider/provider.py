"""The OpenID Connect provider the single sign-on tests log in with: Node's oidc-provider
(server.mjs), installed by ``npm ci`` from the committed package-lock.json into
node_modules/ (ignored by git), started on a free loopback port.

``running_provider(...)`` starts one and stops it; ``OidcProvider`` describes members
(``accounts``), makes it misbehave (``faults``), and walks its own login page with a member's
login name (``authorize``), as a browser would, up to the portal's callback address.
"""

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "mentoring-portal"
CLIENT_SECRET = "test-client-secret-not-used-anywhere-else"
STARTUP_SECONDS = 30


def npm_install() -> None:
    """Install the pinned oidc-provider once (``npm ci`` checks the lock file's hashes); a
    lock keeps two test processes from installing at the same time."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError(
            "The sign-on tests need Node.js 20+ and npm (apt-get install nodejs npm)."
        )
    with open(HERE / "node_modules.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
            return
        subprocess.run(  # noqa: S603 (a fixed command)
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=HERE,
            check=True,
            capture_output=True,
            timeout=300,
        )


@dataclass
class OidcProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def _post(self, path: str, payload: dict) -> None:
        request = urllib.request.Request(  # noqa: S310 (the loopback provider)
            self.issuer + path,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()

    def accounts(self, **claims_by_login: dict) -> None:
        """The claims each login name receives from now on."""
        self._post("/_test/accounts", claims_by_login)

    def faults(self, **faults) -> None:
        """Misbehave: id_token={claim: value} rewrites every ID token, token_status=503
        makes the token endpoint fail; no argument clears both."""
        self._post("/_test/faults", faults)

    def authorize(self, authorization_url: str, login: str, redirect_prefix: str) -> str:
        """Log in on the provider's own pages as ``login``; the address it sends the browser
        back to (the portal's callback, starting with ``redirect_prefix``)."""
        session = requests.Session()
        url = authorization_url
        for _ in range(10):
            response = session.get(url, allow_redirects=False, timeout=10)
            while response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if url.startswith(redirect_prefix):
                    return url
                response = session.get(url, allow_redirects=False, timeout=10)
            form = _form(response.text)
            fields = {**form.hidden, "login": login, "password": "any password"}
            response = session.post(
                urljoin(url, form.action), data=fields, allow_redirects=False, timeout=10
            )
            url = urljoin(url, response.headers["Location"])
            if url.startswith(redirect_prefix):
                return url
        raise AssertionError("The provider's login never sent the browser back to the portal.")


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None
        self.hidden = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs.get("name")] = attrs.get("value", "")


def _form(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    if parser.action is None:
        raise AssertionError(f"No form on the provider's page: {html[:300]}")
    return parser


@contextlib.contextmanager
def running_provider(redirect_uris: list[str], post_logout_redirect_uris: list[str] = ()):
    """A provider on a free loopback port, stopped on exit."""
    npm_install()
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_redirect_uris),
    }
    process = subprocess.Popen(  # noqa: S603 (a fixed command)
        [shutil.which("node") or "node", str(HERE / "server.mjs")],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"ready (\S+)\n", line)
        if match is None:
            raise RuntimeError(f"The test OpenID Connect provider did not start: {line!r}")
        yield OidcProvider(issuer=match[1])
    finally:
        process.terminate()
        process.wait(timeout=10)

"""Browser tests: Playwright drives Debian's Chromium against a live server with the demo site."""

import os

import pytest
from playwright.sync_api import Page

from portal.demo_content import demo_content_load
from tests.e2e.browser import WATCH_CSP
from tests.e2e.fetch_axe import fetch

# Playwright's sync API runs an event loop in the test thread; the database calls made from
# fixtures there are safe because each test owns its database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def demo_server(live_server, django_db_serialized_rollback):
    """The live server's address, with the demo site loaded.

    Live-server tests empty the database after each test; serialized rollback restores what
    the migrations wrote (Wagtail's root page, groups and permissions) before the next one.
    """
    demo_content_load()
    return live_server.url


# The accessibility and policy audit ---------------------------------------------------------

BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script (tests/e2e/fetch_axe.py)."""
    return fetch().read_text(encoding="utf-8")


@pytest.fixture
def audited(page: Page, axe_source):
    """Audit the page as it stands: axe's serious and critical violations, and every
    Content-Security-Policy violation the page reported (its ``securitypolicyviolation``
    events and the console's reports). ``audited(name)`` returns the problems found.

    axe's script is evaluated through the DevTools protocol, which the page's policy does not
    govern, so the policy under test stays exactly as the server sent it.
    """
    page.add_init_script(WATCH_CSP)
    console: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and console.append(message.text),
    )

    def audit(name: str) -> list[str]:
        page.wait_for_load_state("load")
        page.evaluate(axe_source)
        problems = [
            f"{name}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
            for v in page.evaluate(RUN_AXE)
            if v["impact"] in BLOCKING
        ]
        problems += [f"{name}: CSP blocked {what}" for what in page.evaluate("__cspViolations")]
        problems += [f"{name}: {text}" for text in console]
        console.clear()
        return problems

    return audit


@pytest.fixture
def sso_server(demo_server, settings):
    """The demo site with the association's sign-on pointed at a real OpenID Connect provider
    (Node's oidc-provider on loopback): the site's address and the provider."""
    from portal.settings.sso import openid_connect_providers
    from tests.oidc_provider.provider import running_provider

    callback = f"{demo_server}/accounts/oidc/association/login/callback/"
    with running_provider([callback], [f"{demo_server}/"]) as provider:
        settings.SSO_ISSUER = provider.issuer
        settings.SSO_CLIENT_ID = provider.client_id
        settings.SSO_CLIENT_SECRET = provider.client_secret
        settings.SSO_ASSOCIATION = "Library Association"
        settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
            issuer=provider.issuer,
            client_id=provider.client_id,
            secret=provider.client_secret,
            scopes=["openid", "email", "profile", "membership"],
            name="Library Association",
        )
        yield demo_server, provider

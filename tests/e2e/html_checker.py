"""The Nu HTML Checker (the W3C validator, `vnu.jar`, fetched by fetch_vnu.py), run once over
many rendered pages, on Java 17 or newer (`.ci/run` installs it when `java` is missing)."""

import json
import shutil
import subprocess
from pathlib import Path

from tests.e2e.fetch_vnu import fetch


def validate(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Every page's errors by name, from one run of the checker over ``pages`` (name → HTML)."""
    java = shutil.which("java")
    assert java, (
        "The Nu HTML Checker needs Java 17 or newer: apt-get install openjdk-17-jre-headless"
    )
    for name, markup in pages.items():
        (folder / f"{name}.html").write_text(markup, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 (a fixed command on files this test wrote)
        [
            java,
            "-jar",
            str(fetch()),
            "--errors-only",
            "--format",
            "json",
            *map(str, folder.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = {name: [] for name in pages}
    for message in report["messages"]:
        # Each message names its file by URL ("file:/tmp/.../pair.html"): the page's name.
        name = Path(message.get("url", "?")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '')}]"
        )
    return errors

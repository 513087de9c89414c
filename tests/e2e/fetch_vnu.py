"""Fetch the Nu HTML Checker (`vnu.jar`, the W3C validator) from the npm registry's
`vnu-jar` package, for the tests that validate the member's pages (tests/e2e/test_html.py).

One pinned release, checked against the registry's published SHA-512 before anything is
unpacked; only the jar is kept, in tests/e2e/.vendor/ (ignored by git). It runs on Java 17
or newer (`java -jar vnu.jar --errors-only --format json -`). Run by `make e2e`; a second
run does nothing. Needs neither node nor npm.
"""

import sys
from pathlib import Path

try:
    from tests.e2e.fetch_axe import VENDOR, npm_fetch
except ModuleNotFoundError:  # run as a script: `python tests/e2e/fetch_vnu.py`
    from fetch_axe import VENDOR, npm_fetch

VERSION = "26.9.27"
TARBALL = f"https://registry.npmjs.org/vnu-jar/-/vnu-jar-{VERSION}.tgz"
INTEGRITY = "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="  # noqa: E501 (a hash)
TARGET = VENDOR / f"vnu-{VERSION}.jar"


def fetch() -> Path:
    return npm_fetch(
        tarball=TARBALL, integrity=INTEGRITY, member="package/build/dist/vnu.jar", target=TARGET
    )


if __name__ == "__main__":
    sys.stdout.write(f"vnu-jar {VERSION}: {fetch()}\n")

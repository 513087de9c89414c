"""Fetch axe-core, the accessibility engine the browser tests run, from the npm registry.

One pinned release, checked against the registry's published SHA-512 before anything is
unpacked; only `axe.min.js` is kept, in tests/e2e/.vendor/ (ignored by git). Run by
`make e2e`; a second run does nothing. Needs neither node nor npm.
"""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="  # noqa: E501 (a hash)
TARGET = Path(__file__).resolve().parent / ".vendor" / f"axe-{VERSION}.min.js"


def fetch() -> Path:
    if TARGET.exists():
        return TARGET
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"axe-core {VERSION}: checksum mismatch, got {digest}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        script = archive.extractfile("package/axe.min.js").read()
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_bytes(script)
    return TARGET


if __name__ == "__main__":
    sys.stdout.write(f"axe-core {VERSION}: {fetch()}\n")

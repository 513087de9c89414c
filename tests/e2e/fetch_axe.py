"""Fetch axe-core, the accessibility engine the browser tests run, from the npm registry.

One pinned release, checked against the registry's published SHA-512 before anything is
unpacked; only `axe.min.js` is kept, in tests/e2e/.vendor/ (ignored by git). Run by
`make e2e`; a second run does nothing. Needs neither node nor npm. ``npm_fetch`` does the
same for any one file of a pinned npm package (tests/e2e/fetch_vnu.py uses it).
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
VENDOR = Path(__file__).resolve().parent / ".vendor"
TARGET = VENDOR / f"axe-{VERSION}.min.js"


def npm_fetch(*, tarball: str, integrity: str, member: str, target: Path) -> Path:
    """Download an npm ``tarball``, check it against the registry's ``integrity`` string
    (``sha512-<base64>``), and keep only its file ``member`` as ``target``; nothing is
    downloaded when ``target`` exists. A mismatch stops the program and writes nothing."""
    if target.exists():
        return target
    with urllib.request.urlopen(tarball, timeout=300) as response:  # noqa: S310 (https, pinned)
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        sys.exit(f"{tarball}: checksum mismatch, got {digest}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        content = archive.extractfile(member).read()
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(content)
    partial.replace(target)
    return target


def fetch() -> Path:
    return npm_fetch(
        tarball=TARBALL, integrity=INTEGRITY, member="package/axe.min.js", target=TARGET
    )


if __name__ == "__main__":
    sys.stdout.write(f"axe-core {VERSION}: {fetch()}\n")

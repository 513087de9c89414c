"""Processes the tests start and watch: a free port on loopback, an address to wait for, and
the children a process has started. Nothing here imports Django."""

import socket
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float) -> int:
    """The status of the first answer from ``url`` within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def descendants(pid: int) -> set[int]:
    found, frontier = set(), [pid]
    while frontier:
        parent = frontier.pop()
        children = Path(f"/proc/{parent}/task/{parent}/children")
        if children.exists():
            kids = {int(c) for c in children.read_text().split()}
            found |= kids
            frontier.extend(kids)
    return found


def wait_for_children(pid: int, *, at_least: int, seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while len(children := descendants(pid)) < at_least and time.monotonic() < deadline:
        time.sleep(0.3)
    assert len(children) >= at_least, children
    return children

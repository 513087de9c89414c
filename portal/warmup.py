"""Work a web process would otherwise do on its first requests, done once in gunicorn's
master before it forks the workers (gunicorn.conf.py, ``when_ready``): every module of the
portal imported, the URL patterns resolved and the portal's templates compiled. A new or
recycled worker then inherits all of it, and its first requests take milliseconds rather
than the half second that made every worker started at once hold up the queue behind it.

Nothing here touches the database: a connection opened before the fork would be shared by
every worker.
"""

import importlib
import pkgutil
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver

PORTAL_PACKAGES = ("core", "portal", "home", "resources", "cohorts", "members", "surveys")
SKIPPED = (".migrations", ".management", ".tests", ".settings.")


def warm_up() -> dict[str, int]:
    """Import, resolve and compile; return how many modules and templates were loaded."""
    modules = _import_portal_modules()
    get_resolver().reverse_dict  # noqa: B018 (imports every URLconf and view, maps their names)
    templates = _compile_templates()
    return {"modules": modules, "templates": templates}


def _import_portal_modules() -> int:
    count = 0
    for app in PORTAL_PACKAGES:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in module.name + "." for part in SKIPPED):
                continue
            importlib.import_module(module.name)
            count += 1
    return count


def _template_names() -> list[str]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(importlib.import_module(app).__path__[0]) / "templates" for app in PORTAL_PACKAGES
    ]
    return sorted(
        str(path.relative_to(folder))
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in (".html", ".txt", ".xml")
    )


def _compile_templates() -> int:
    names = _template_names()
    for name in names:
        engines["django"].get_template(name)
    return len(names)

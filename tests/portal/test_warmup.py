"""What gunicorn's master does before forking its workers (portal/warmup.py): every module
of the portal imported, every URL name mapped, every template compiled, no query."""

import gc
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

from django.template import engines

from portal import warmup

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_compiles_every_template_and_imports_every_view_without_a_query():
    # No django_db mark: any query would fail the test.
    figures = warmup.warm_up()

    names = warmup._template_names()
    assert figures["templates"] == len(names) > 100
    assert "base.html" in names and "cohorts/pair_dashboard_page.html" in names
    loader = engines["django"].engine.template_loaders[0]
    assert set(names) <= set(loader.get_template_cache)
    assert "cohorts.pairs.views.dashboard.pair" in sys.modules
    assert figures["modules"] > 100


def test_gunicorn_warms_up_in_the_master_when_the_application_is_preloaded():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    logged = []
    log = SimpleNamespace(info=lambda message, values: logged.append(message % values))

    try:
        config["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True), log=log))
        assert logged and logged[0].startswith("Warmed up: ")
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()

    logged.clear()
    config["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=False), log=log))
    assert logged == []

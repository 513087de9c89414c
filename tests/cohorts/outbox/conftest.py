"""Fixtures of the outbox tests: a slow SMTP server for the real workers to deliver to."""

import pytest
from aiosmtpd.controller import Controller

from tests.cohorts.outbox.qcluster_process import SlowSink
from tests.processes import free_port


@pytest.fixture
def slow_sink(request):
    """A real SMTP server on loopback that takes the test module's SINK_DELAY_SECONDS over
    each message; yields (handler, port)."""
    sink = SlowSink(delay=request.module.SINK_DELAY_SECONDS)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()

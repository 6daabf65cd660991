"""Fixtures shared by several modules of tests/kehila."""

import pytest
import time_machine

from tests.kehila.invitation_helpers import NOW


@pytest.fixture
def invitation_clock():
    """The invitation tests' clock, stopped at NOW; a test moves it on with `_later`."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller

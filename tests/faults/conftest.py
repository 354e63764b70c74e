"""The service-level fixtures (the demo store unlocked, an empty chair's laptop) for fault tests."""

from tests.ppo_desktop.conftest import demo, laptop  # noqa: F401

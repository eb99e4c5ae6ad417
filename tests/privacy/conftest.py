"""The privacy tests use the apps' shared fixtures (the demo-wide check lives with the demo tests, which
seed the demo once: fagdigital/demo/tests/test_privacy_demo.py)."""

from fagdigital.conftest import make_member, organisation

__all__ = ["make_member", "organisation"]

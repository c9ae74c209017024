from haven.benefits.selection.tests.helpers import fake_rules

__all__ = ["fake_rules"]

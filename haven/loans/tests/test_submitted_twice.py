"""The same loan product set up twice at once: the second is refused with the reason, not a server error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World, another_submit_lands_after_the_check
from haven.loans.models import LoanProduct
from haven.loans.tests.helpers import product


def test_a_product_named_twice_at_once_is_refused(world: World) -> None:
    with (
        another_submit_lands_after_the_check(LoanProduct, lambda: product(world.org)),
        pytest.raises(ValidationError) as refused,
    ):
        product(world.org)
    assert refused.value.message_dict == {
        "name": ["A loan product with this name exists already: choose another."]
    }
    assert LoanProduct.objects.filter(org=world.org).count() == 1

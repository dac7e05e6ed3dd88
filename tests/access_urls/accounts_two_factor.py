"""Object URLs of two-factor authentication: an administrator resets a person's devices."""

OBJECT_URLS = {
    "accounts:user_two_factor_reset": (lambda c: {"pk": c.same_unit.pk}, "post", True),
}

"""Object URLs of retention: a rule and a run (tied to no unit), a legal hold on unit A."""

from retention.models import LegalHold, RetentionRule, RetentionRun


def _hold(c):
    return LegalHold.objects.filter(unit=c.unit_a).first() or LegalHold.objects.create(
        kind="unit", unit=c.unit_a, reason="Tillsyn"
    )


def _run(c):
    return RetentionRun.objects.first() or RetentionRun.objects.create()


OBJECT_URLS = {
    "retention:rule_edit": (
        lambda c: {"pk": RetentionRule.objects.order_by("pk").first().pk},
        "get",
        False,
    ),
    "retention:hold_lift": (lambda c: {"pk": _hold(c).pk}, "get", True),
    "retention:run": (lambda c: {"pk": _run(c).pk}, "get", False),
}

"""Every view sits behind the permission layer, and object URLs do not leak.

The first test walks every URL pattern: a view without an access rule fails it. The others
request every object URL as the outsider, a person in another tree and a sibling unit's
staff, and expect 403 or 404. A new object URL must be added to OBJECT_URLS, or the
completeness test fails.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.access import AUTHENTICATED, PUBLIC
from accounts.models import RoleAssignment
from legal.models import Regulation
from organisation.models import OrgNode

EXEMPT_PREFIXES = ("admin/", "i18n/")


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def all_patterns():
    return [p for p in _walk(get_resolver()) if not p[0].startswith(EXEMPT_PREFIXES)]


def test_every_view_declares_its_access_rule():
    missing = [
        route for route, _name, p in all_patterns() if not getattr(p.callback, "access_rule", None)
    ]
    assert missing == [], f"views outside the permission layer: {missing}"


# For each object URL: how to build its kwargs from the cast (objects of unit A), the HTTP
# method, and whether the object belongs to unit A (False for records tied to no unit, such as
# the register of laws, which every reader in every tree shares: only the outsider is refused).
def _deviation(c):
    """One report in unit A, classified as lex Sarah (made once per test)."""
    from django.utils import timezone

    from deviations import services
    from deviations.models import Deviation

    found = Deviation.objects.filter(unit=c.unit_a).first()
    if found:
        return found
    deviation = services.report(
        actor=c.same_unit,
        unit=c.unit_a,
        occurred_at=timezone.now(),
        description="Fall",
        immediate_action="Hjälp",
        service_user_affected="yes",
    )
    services.triage(deviation, actor=c.manager_a, kinds=["lex_sarah"])
    return deviation


def _attachment(c):
    from deviations.models import Attachment

    deviation = _deviation(c)
    return deviation.attachments.first() or Attachment.objects.create(
        deviation=deviation, file="deviations/test/plan.pdf", name="plan.pdf"
    )


def _action(c):
    import datetime

    from actions.models import Action
    from actions.services import create_action

    return Action.objects.filter(unit=c.unit_a).first() or create_action(
        actor=None,
        unit=c.unit_a,
        title="Åtgärd",
        owner=c.manager_a,
        due_date=datetime.date.today(),
    )


def _track(c):
    return _deviation(c).tracks.get()


def _notification(c):
    """An IVO notification of unit A's lex Sarah track, judged serious (made once per test)."""
    from deviations.authority import services as notification_services
    from deviations.authority.models import AuthorityNotification
    from deviations.investigation import services as investigation_services

    track = _track(c)
    found = AuthorityNotification.objects.filter(track=track).first()
    if found:
        return found
    if track.state == "open":
        track = investigation_services.move_track(track, "start_investigation", actor=c.quality)
    investigation_services.decide_serious(track, True, actor=c.quality)
    return notification_services.create_notification(track, "ivo_lex_sarah", actor=c.quality)[0]


def _analysis(c):
    """A draft aggregated analysis of unit A, written by the quality developer."""
    import datetime

    from analysis.models import AggregatedAnalysis
    from analysis.services import create_analysis

    return AggregatedAnalysis.objects.filter(scope=c.unit_a).first() or create_analysis(
        actor=c.quality,
        scope=c.unit_a,
        title="Analys",
        period_from=datetime.date(2026, 1, 1),
        period_to=datetime.date(2026, 6, 30),
        findings="Mönster",
    )


OBJECT_URLS = {
    "analysis:analysis_detail": (lambda c: {"pk": _analysis(c).pk}, "get", True),
    "analysis:analysis_edit": (lambda c: {"pk": _analysis(c).pk}, "get", True),
    "analysis:analysis_decide": (lambda c: {"pk": _analysis(c).pk}, "get", True),
    "analysis:analysis_measure": (lambda c: {"pk": _analysis(c).pk}, "post", True),
    "actions:detail": (lambda c: {"pk": _action(c).pk}, "get", True),
    "actions:edit": (lambda c: {"pk": _action(c).pk}, "get", True),
    "actions:transition": (lambda c: {"pk": _action(c).pk}, "post", True),
    "actions:effect": (lambda c: {"pk": _action(c).pk}, "get", True),
    "deviations:detail": (lambda c: {"pk": _deviation(c).pk}, "get", True),
    "deviations:case_pdf": (lambda c: {"pk": _deviation(c).pk}, "get", True),
    "deviations:export": (lambda c: {"fmt": "csv"}, "get", False),
    "deviations:triage": (lambda c: {"pk": _deviation(c).pk}, "get", True),
    "deviations:track_move": (lambda c: {"pk": _track(c).pk}, "post", True),
    "deviations:track_serious": (lambda c: {"pk": _track(c).pk}, "post", True),
    "deviations:investigation": (lambda c: {"pk": _track(c).pk}, "get", True),
    "deviations:timeline": (lambda c: {"pk": _track(c).pk}, "post", True),
    "deviations:track_action": (lambda c: {"pk": _track(c).pk}, "post", True),
    "deviations:notification_new": (lambda c: {"pk": _track(c).pk}, "get", True),
    "deviations:notification_detail": (lambda c: {"pk": _notification(c).pk}, "get", True),
    "deviations:notification_package": (
        lambda c: {"pk": _notification(c).pk, "fmt": "pdf"},
        "get",
        True,
    ),
    "deviations:notification_record": (lambda c: {"pk": _notification(c).pk}, "post", True),
    "deviations:report_unit": (lambda c: {"unit_pk": c.unit_a.pk}, "get", True),
    "deviations:received": (lambda c: {"pk": _deviation(c).pk}, "get", True),
    "deviations:mine_detail": (lambda c: {"pk": _deviation(c).pk}, "get", True),
    "deviations:unit_link": (lambda c: {"unit_pk": c.unit_a.pk}, "get", True),
    "deviations:unit_qr": (lambda c: {"unit_pk": c.unit_a.pk}, "get", True),
    "deviations:attachment": (lambda c: {"pk": _attachment(c).pk}, "get", True),
    "organisation:node_detail": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "organisation:node_edit": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "organisation:node_services": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "organisation:node_provider": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "organisation:node_close": (lambda c: {"pk": c.unit_a.pk}, "post", True),
    "organisation:responsibility_node": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "organisation:responsibility_pdf": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "organisation:duties_edit": (
        lambda c: {
            "pk": c.unit_a.pk,
            "role_pk": RoleAssignment.objects.filter(user=c.same_unit).first().role_id,
        },
        "get",
        True,
    ),
    "legal:regulation_detail": (
        lambda c: {"pk": Regulation.objects.get(code="gdpr").pk},
        "get",
        False,
    ),
    "legal:regulation_edit": (
        lambda c: {"pk": Regulation.objects.get(code="gdpr").pk},
        "get",
        False,
    ),
    "legal:node_laws": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "legal:node_laws_edit": (lambda c: {"pk": c.unit_a.pk}, "get", True),
    "audit:history": (
        lambda c: {
            "content_type_id": ContentType.objects.get_for_model(OrgNode).pk,
            "object_id": c.unit_a.pk,
        },
        "get",
        True,
    ),
    "accounts:user_detail": (lambda c: {"pk": c.same_unit.pk}, "get", True),
    "accounts:user_edit": (lambda c: {"pk": c.same_unit.pk}, "get", True),
    "accounts:user_deactivate": (lambda c: {"pk": c.same_unit.pk}, "post", True),
    "accounts:user_reactivate": (lambda c: {"pk": c.same_unit.pk}, "post", True),
    "accounts:user_invite": (lambda c: {"pk": c.same_unit.pk}, "post", True),
    "accounts:assignment_create": (lambda c: {"pk": c.same_unit.pk}, "get", True),
    "accounts:assignment_end": (
        lambda c: {"pk": RoleAssignment.objects.get(user=c.same_unit).pk},
        "post",
        True,
    ),
}


def _module_tables():
    """Later modules keep their object URLs in tests/access_urls/<module>.py (OBJECT_URLS)."""
    import importlib
    import pkgutil

    from tests import access_urls

    for info in pkgutil.iter_modules(access_urls.__path__):
        module = importlib.import_module(f"tests.access_urls.{info.name}")
        clash = set(module.OBJECT_URLS) & set(OBJECT_URLS)
        assert not clash, f"{info.name} repeats {clash}"
        OBJECT_URLS.update(module.OBJECT_URLS)


_module_tables()


def object_patterns():
    return [
        (route, name, p)
        for route, name, p in all_patterns()
        if p.pattern.converters and p.callback.access_rule != PUBLIC
    ]


def test_every_object_url_is_covered_by_the_access_test():
    uncovered = [name or route for route, name, _p in object_patterns() if name not in OBJECT_URLS]
    assert uncovered == [], f"add these object URLs to OBJECT_URLS: {uncovered}"


def _request(client, name, cast):
    kwargs_of, method, _sibling = OBJECT_URLS[name]
    url = reverse(name, kwargs=kwargs_of(cast))
    return getattr(client, method)(url)


@pytest.mark.parametrize("who", ["outsider", "other_root", "sibling"])
def test_object_urls_refuse_people_outside_the_unit(cast, client, who):
    user = getattr(cast, who)
    client.force_login(user, backend="accounts.backends.RoleBackend")
    leaks = {}
    for name, (_kwargs, _method, belongs_to_unit_a) in OBJECT_URLS.items():
        if who != "outsider" and not belongs_to_unit_a:
            continue
        status = _request(client, name, cast).status_code
        if status not in (403, 404):
            leaks[name] = status
    assert leaks == {}, f"{who} reached: {leaks}"


def test_unknown_and_forbidden_objects_answer_alike(cast, login):
    client = login(cast.sibling)
    forbidden = client.get(reverse("organisation:node_detail", kwargs={"pk": cast.unit_a.pk}))
    unknown = client.get(reverse("organisation:node_detail", kwargs={"pk": 999999}))
    assert forbidden.status_code == unknown.status_code == 404


def test_anonymous_is_sent_to_login_everywhere(cast, client):
    for route, name, pattern in all_patterns():
        if pattern.callback.access_rule == PUBLIC or name is None:
            continue
        if pattern.pattern.converters:
            kwargs_of, method, _ = OBJECT_URLS[name]
            response = getattr(client, method)(reverse(name, kwargs=kwargs_of(cast)))
        else:
            response = client.get(reverse(name))
        assert response.status_code in (302, 405), (route, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), route


def test_outsider_is_refused_every_module_page(cast, login):
    """A person without a role reaches only the pages about themself."""
    client = login(cast.outsider)
    reached = []
    for route, name, pattern in all_patterns():
        rule = pattern.callback.access_rule
        if rule in (PUBLIC, AUTHENTICATED) or pattern.pattern.converters or name is None:
            continue
        if client.get(reverse(name)).status_code not in (403, 404, 405):
            reached.append(route)
    assert reached == []


def test_admin_is_for_system_administrators_only(cast, login):
    assert login(cast.parent_manager).get("/admin/").status_code == 302
    assert login(cast.admin).get("/admin/").status_code == 200

import pytest
from django.urls import reverse


def _menu(response):
    return {str(item["label"]): item["active"] for item in response.context["menu"]}


def test_menu_shows_only_what_roles_allow(cast, login):
    staff = _menu(login(cast.same_unit).get("/"))
    admin = _menu(login(cast.admin).get("/"))
    assert len(staff) < len(admin)
    keys = {str(label) for label in admin} - {str(label) for label in staff}
    assert keys  # users, roles, access log are the administrator's
    outsider = login(cast.outsider).get("/").context["menu"]
    assert [item["url"] for item in outsider] == ["/", "/tasks/"]  # the entries with no key


def test_exactly_one_entry_is_current(cast, login):
    client = login(cast.admin)
    for url in [
        "/",
        reverse("organisation:tree"),
        reverse("organisation:responsibility_node", args=[cast.unit_a.pk]),
        reverse("legal:register"),
        reverse("accounts:users"),
        reverse("accounts:roles"),
    ]:
        response = client.get(url, follow=True)
        assert list(_menu(response).values()).count(True) == 1, url


def test_staff_who_own_an_action_find_it_from_the_start_page(cast, login):
    import datetime

    from actions.services import create_action

    client = login(cast.same_unit)
    assert not any("mine=on" in s["url"] for s in client.get("/").context["sections"])
    create_action(
        actor=None,
        unit=cast.unit_a,
        title="Ny rutin",
        owner=cast.same_unit,
        due_date=datetime.date.today(),
    )
    urls = [s["url"] for s in client.get("/").context["sections"]]
    assert "/actions/?mine=on" in urls
    assert client.get("/actions/?mine=on").status_code == 200


def test_every_registered_entry_leads_to_a_page_and_sits_in_a_known_group():
    from core.surfaces import MENU_GROUPS, menu_entries, menu_entry, start_cards

    for entry in menu_entries():
        assert entry.group in MENU_GROUPS, entry
        reverse(entry.url_name)
    for card in start_cards():
        reverse(card.url_name)
    orders = [e.order for e in menu_entries()]
    assert len(set(orders)) == len(orders)  # no two entries tie: the order is the apps' own
    with pytest.raises(ValueError):
        menu_entry("shell:start", "Start", None, group="nowhere", order=1)


def test_the_demo_loaders_run_in_their_order():
    from organisation.demo_registry import demo_loaders

    names = [name for name, _load in demo_loaders()]
    assert names.index("deviations") < names.index("routines") < names.index("processes")

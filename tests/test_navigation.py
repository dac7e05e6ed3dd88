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

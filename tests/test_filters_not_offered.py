"""A list opened with a filter the person is not offered (a unit outside their part, from a
link someone else shared, such as a figure of a yearly report) shows the filter's error and no
rows: never the whole of what the person may see under a heading that says something else."""

import pytest
from django.urls import reverse

from tests.test_processes_makers import make_process, make_routine

pytestmark = pytest.mark.django_db


def test_the_routines_register_refuses_a_unit_not_offered(cast, login):
    make_routine(cast, unit=cast.unit_a, title="Läkemedel", state="published")
    client = login(cast.manager_a)
    url = reverse("routines:register")
    assert "Läkemedel" in client.get(url).content.decode()
    offered = client.get(url, {"unit": cast.unit_a.pk})
    assert list(offered.context["page"].object_list)
    refused = client.get(url, {"unit": cast.unit_b.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["unit"]
    assert list(refused.context["page"].object_list) == []
    assert "Läkemedel" not in refused.content.decode()


def test_the_process_coverage_refuses_a_node_not_offered(cast, login):
    make_process(cast, unit=cast.unit_a, name="Inskrivning")
    client = login(cast.manager_a)
    url = reverse("processes:coverage")
    assert "Inskrivning" in client.get(url).content.decode()
    refused = client.get(url, {"node": cast.unit_b.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["node"]
    assert "Inskrivning" not in refused.content.decode()

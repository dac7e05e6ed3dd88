from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.scoping import holds


def test_bootstrap_first_administrator(db):
    out = StringIO()
    call_command("create_organisation", "Vård- och omsorgsnämnden", stdout=out)
    node_id = out.getvalue().split("\t")[0]
    user = User.objects.create_user("it", password="x" * 12)
    call_command("grant_role", "it", "system_administrator", node_id, "--subtree", stdout=out)
    call_command("grant_role", "it", "system_administrator", node_id, "--subtree", stdout=out)
    assert "(existed)" in out.getvalue()
    assert holds(User.objects.get(pk=user.pk), "system.admin")
    with pytest.raises(CommandError):
        call_command("grant_role", "it", "no_such_role", node_id)

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from audit.services import record_event
from organisation.models import OrgNode


class Command(BaseCommand):
    help = (
        "Give a user a role at an organisation node from the command line: the way to make the "
        "first system administrator of a new installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help="role code, e.g. system_administrator")
        parser.add_argument("node", help="node id, or the exact name of a node")
        parser.add_argument("--subtree", action="store_true", help="cover the nodes below too")

    @transaction.atomic
    def handle(self, username, role, node, subtree, **options):
        try:
            user = User.objects.get(username=username)
            role_obj = Role.objects.get(code=role)
        except (User.DoesNotExist, Role.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        nodes = (
            OrgNode.objects.filter(pk=int(node))
            if node.isdigit()
            else OrgNode.objects.filter(name=node)
        )
        if nodes.count() != 1:
            raise CommandError(
                f"Expected exactly one node matching {node!r}, found {nodes.count()}."
            )
        target = nodes.get()
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role_obj, node=target, defaults={"include_subtree": subtree}
        )
        if created:
            record_event(user, "accounts.role_assigned", None, role=role_obj.name, node=target.name)
        self.stdout.write(
            f"{user} – {role_obj.name} – {target}" + ("" if created else " (existed)")
        )

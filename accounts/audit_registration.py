from auditlog.registry import auditlog

from accounts.models import Permission, Role, RoleAssignment, User

auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(Role, m2m_fields={"permissions"})
auditlog.register(Permission)
auditlog.register(RoleAssignment)

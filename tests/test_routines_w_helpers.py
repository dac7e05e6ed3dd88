"""Shared steps of the routine workflow tests (test_routines_workflow.py, test_routines_w_*)."""

import io

from accounts.models import Role, RoleAssignment, User
from routines.models import RoutineVersion
from routines.services.draft import create_routine
from routines.services.publish import publish
from routines.services.review import approve

BODY = "<p>Läkemedel ska alltid dubbelkontrolleras av två personer.</p>"


def make(cast, *, unit=None, actor=None, owner=None, title="Läkemedelshantering", **extra):
    extra.setdefault("body", BODY)
    return create_routine(
        actor=actor or cast.manager_a,
        unit=unit or cast.unit_a,
        title=title,
        owner=owner or cast.manager_a,
        **extra,
    )


def first(routine):
    return routine.versions.get(number=1)


def reload(version):
    return RoutineVersion.objects.get(pk=version.pk)


def published(cast, **extra):
    """A routine of unit A with version 1 approved and published today by its unit manager."""
    routine = make(cast, **extra)
    version = first(routine)
    approve(version, actor=cast.manager_a)
    publish(version, actor=cast.manager_a)
    routine.refresh_from_db()
    return routine


def person(username, role_code, node, subtree=True):
    user = User.objects.create(
        username=username, first_name=username.title(), email=f"{username}@t.se"
    )
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(code=role_code), node=node, include_subtree=subtree
    )
    return user


def docx_bytes(*paragraphs, table=None):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(html):
    from weasyprint import HTML

    return HTML(string=html).write_pdf()

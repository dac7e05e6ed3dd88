"""The law register's figure on the start page (core.surfaces.start_figure, registered in
legal/registrations.py): the units where nothing is stated about which laws apply, for those
who state it. The count is the rows of the coverage list with "Only units where nothing is
stated" (legal.services.coverage_for, the list's own function; three queries).
"""

MISSING = "missing=on"


def units_without_laws(user):
    from legal.services import coverage_for

    return len(coverage_for(user, only_missing=True))

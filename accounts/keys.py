"""The permission keys the code checks.

The keys are code: a view asks for one by name. Which roles hold which key is data
(Role.permissions), seeded once from DEFAULT_ROLE_PERMISSIONS and edited by an administrator.
Later modules add their keys here.
"""

from django.utils.translation import gettext_lazy as _

PERMISSION_KEYS = {
    "organisation.view": _("See the organisation, its units and services"),
    "organisation.manage": _("Create, change, close and reopen units, providers and services"),
    "legal.view": _("See the register of laws and which laws apply to units"),
    "legal.manage_register": _("Edit the register of laws and regulations"),
    "legal.state_applicability": _("State which laws and regulations apply to a unit"),
    "legal.manage_holidays": _("Edit the holidays and days off that deadlines count with"),
    "responsibility.view": _("See the responsibility matrix"),
    "responsibility.edit": _("Edit the duties in the responsibility matrix"),
    "accounts.view_users": _("See users and their role assignments"),
    "accounts.manage_users": _("Create users and assign roles"),
    "accounts.manage_roles": _("Decide which permissions each role has"),
    "audit.view_history": _("See the change history of records"),
    "audit.review_access_log": _(
        "Review and search the log of reads of sensitive records (loggkontroll)"
    ),
    "system.admin": _("Use the system administration (Django admin)"),
    "actions.view": _("See the actions of units"),
    "actions.manage": _("Create and follow up actions"),
    "reports.view": _("See the yearly quality and patient safety reports"),
    "reports.write": _("Write the yearly reports from the registers and judge their chapters"),
    "deviations.report": _("Report deviations and follow one's own reports"),
    "deviations.view": _("See the deviation reports of units"),
    "deviations.triage": _(
        "Classify deviation reports into legal tracks, and print a unit's link for reporting"
    ),
    "deviations.investigate": _(
        "Investigate deviations, keep the timeline of the investigation and decide on them"
    ),
    "deviations.view_identity": _("See who a deviation report concerns"),
    "deviations.notify": _(
        "Notify the supervisory authorities (IVO, IMY) and the people concerned, and record it"
    ),
    "analysis.view": _("See statistics and analyses of deviations"),
    "analysis.manage": _("Write aggregated analyses and decide organisation-wide measures"),
    "routines.view": _("Read the routines that apply to one's units"),
    "routines.draft": _("Write and revise routines, and propose them to the level above"),
    "routines.approve": _(
        "Approve, publish and withdraw routines at the levels where one's role holds that "
        "authority (see the table)"
    ),
    "routines.manage": _("Follow up routines of units: acknowledgments, reviews and coverage"),
    "routines.import": _("Import routines approved before Hjulet and put them in force"),
    "processes.view": _("See the process register"),
    "processes.manage": _("Describe processes, their activities and collaboration"),
    "risks.view": _("See the risk analyses of units"),
    "risks.manage": _("Make risk analyses, score their events and decide their measures"),
    "inspections.view": _("See the self-inspection plans, checklists and their results"),
    "inspections.execute": _("Carry out self-inspections: record answers, findings and samples"),
    "inspections.manage": _(
        "Plan self-inspections and edit checklist templates, and act on their findings"
    ),
    "internal_control.view": _("See the boards' internal control plans and their results"),
    "internal_control.report": _(
        "Record the results of the control points one is responsible for in an internal "
        "control plan"
    ),
    "internal_control.manage": _(
        "Draft internal control plans from the risk analysis and record the board's decisions"
    ),
    "feedback.view": _("See the complaints and opinions of units"),
    "feedback.handle": _(
        "Handle complaints and opinions: confirm the receipt, forward, investigate, answer and "
        "close"
    ),
    "feedback.register": _(
        "Register complaints and opinions received by phone, letter, in person or through "
        "Patientnämnden"
    ),
    "feedback.coordinate": _(
        "Receive feedback about an unknown operation, and release or discard submissions held "
        "as possible abuse"
    ),
    "privacy.subject_access": _(
        "Find every record about one person and make a register extract (GDPR article 15)"
    ),
    "retention.manage": _(
        "Thin records by the retention rules: dry run, executed run and legal holds"
    ),
}

_READ = [
    "organisation.view",
    "legal.view",
    "responsibility.view",
    "analysis.view",
    "routines.view",
    "processes.view",
]
_STAFF = _READ + ["deviations.report", "feedback.register"]
_MANAGER = _STAFF + [
    "legal.state_applicability",
    "accounts.view_users",
    "audit.view_history",
    "actions.view",
    "actions.manage",
    "deviations.view",
    "deviations.triage",
    "deviations.investigate",
    "deviations.view_identity",
    "routines.draft",
    "routines.approve",
    "routines.manage",
    "routines.import",
    "processes.manage",
    "risks.view",
    "risks.manage",
    "inspections.view",
    "inspections.execute",
    "inspections.manage",
    "internal_control.view",
    "internal_control.report",
    "feedback.view",
    "feedback.handle",
    "reports.view",
    "reports.write",
]
# Who decides on notifications to IVO and IMY: seed 001 names the department manager for
# lex Sarah and the MAS for lex Maria; the rule table limits who reads each track.
_NOTIFY = ["deviations.notify"]

# Seed only: once a role exists its permissions belong to the administrator.
DEFAULT_ROLE_PERMISSIONS = {
    "staff_member": _STAFF,
    # Seed 003: the unit's quality group drafts local routines.
    "quality_representative": _STAFF
    + ["actions.view", "routines.draft", "inspections.view", "inspections.execute"],
    "unit_manager": _MANAGER,
    "department_manager": _MANAGER + _NOTIFY,
    "administration_manager": _MANAGER
    + _NOTIFY
    + [
        "responsibility.edit",
        "organisation.manage",
        "legal.manage_holidays",
        "analysis.manage",
        "internal_control.manage",
        "feedback.coordinate",
    ],
    "health_care_manager": _MANAGER + _NOTIFY,
    "mas": _MANAGER + _NOTIFY,
    "quality_developer": _MANAGER
    + _NOTIFY
    + [
        "responsibility.edit",
        "legal.manage_register",
        "legal.manage_holidays",
        "organisation.manage",
        "analysis.manage",
        "retention.manage",
        "privacy.subject_access",
        "internal_control.manage",
        "feedback.coordinate",
    ],
    "investigation_secretary": _STAFF
    + [
        "audit.view_history",
        "actions.view",
        "actions.manage",
        "deviations.view",
        "deviations.triage",
        "deviations.investigate",
        "deviations.view_identity",
    ],
    "quality_auditor": _READ
    + [
        "accounts.view_users",
        "audit.view_history",
        "audit.review_access_log",
        "actions.view",
        "routines.manage",
        "risks.view",
        "inspections.view",
        "internal_control.view",
        "reports.view",
    ],
    # Seed 004: the board follows risk analyses and self-inspections; it reads, never changes.
    "board_member": _READ
    + ["risks.view", "inspections.view", "internal_control.view", "reports.view"],
    "provider_representative": _MANAGER,
    # Need-to-know: the administrator runs the system but reads no case, nor who read one.
    "system_administrator": [
        k
        for k in PERMISSION_KEYS
        if (not k.startswith(("deviations.", "feedback.")) or k == "deviations.report")
        and k not in ("audit.review_access_log", "privacy.subject_access")
    ],
}

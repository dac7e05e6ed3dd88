"""Checks shared by the internal control services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import grants
from core.once import earlier_send
from internal_control.models import MANAGE, REPORT


def _within_board(user, key, board):
    """The person holds `key` at the board, over it (subtree) or somewhere in its tree."""
    for grant in grants(user, key):
        if grant.covers(board) or grant.path.startswith(board.path):
            return True
    return False


def may_manage(user, board):
    """May draft the board's plans and record its decisions."""
    return user is None or _within_board(user, MANAGE, board)


def may_report(user, control_point):
    """May record the results of the control point: its responsible person (holding
    internal_control.report in the board's tree), or whoever manages the plan."""
    board = control_point.plan.board
    if may_manage(user, board):
        return True
    return control_point.responsible_id == user.pk and _within_board(user, REPORT, board)


def require_manage(actor, board):
    if not may_manage(actor, board):
        raise PermissionDenied


def clean_text(value):
    return " ".join((value or "").split())


def from_token(model, form_token):
    """The record an earlier send of the same form created, or None (core/once.py)."""
    return earlier_send(model, form_token)


def check_transition(table, frm, to, reason, labels):
    if (frm, to) not in table:
        raise ValidationError(
            _("A plan or report that is “%(from)s” cannot become “%(to)s”.")
            % {"from": labels(frm), "to": labels(to)},
            code="transition",
        )
    if table[(frm, to)] and not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")}, code="reason")


def check_decision(paragraph, diary_number, decided_on):
    errors = {}
    if not clean_text(paragraph):
        errors["decision_paragraph"] = _("Give the paragraph (§) of the minutes.")
    if not clean_text(diary_number):
        errors["diary_number"] = _("Give the diary number (Dnr).")
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    if errors:
        raise ValidationError(errors, code="decision")

"""What the action page shows of self-inspection (actions/effect_providers.py): the checklist
question its effect is handed to, the execution that recorded it, or a link to hand it over."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import holds
from actions.effect_providers import EffectLink, register_effect_provider
from actions.models import Status
from actions.services import may_manage
from inspections.models import EffectFollowUp, Execution
from inspections.models.checklist import VIEW
from inspections.models.execution import Reply


def provider(user, action):
    follow_up = (
        EffectFollowUp.objects.filter(action=action)
        .select_related("question__template", "execution")
        .first()
    )
    if follow_up is not None:
        values = {
            "checklist": follow_up.question.template.title,
            "question": follow_up.question.text,
        }
        if follow_up.execution_id is None:
            return [
                EffectLink(
                    _(
                        "The effect is recorded from the next self-inspection “%(checklist)s”, "
                        "question “%(question)s”."
                    )
                    % values
                )
            ]
        url = ""
        if Execution.objects.visible_to(user).filter(pk=follow_up.execution_id).exists():
            url = follow_up.execution.get_absolute_url()
        values["reply"] = Reply(follow_up.reply).label
        return [
            EffectLink(
                _(
                    "Recorded from the self-inspection “%(checklist)s”: “%(question)s” was "
                    "answered “%(reply)s”."
                )
                % values,
                url,
                _("Open the self-inspection"),
            )
        ]
    if (
        action.status in (Status.PLANNED, Status.IN_PROGRESS, Status.DONE)
        and holds(user, VIEW)
        and may_manage(user, action)
    ):
        return [
            EffectLink(
                _("The effect can be checked by a question of a self-inspection."),
                reverse("inspections:follow_up", args=[action.pk]),
                _("Follow up in a self-inspection"),
            )
        ]
    return []


register_effect_provider("inspections", provider)

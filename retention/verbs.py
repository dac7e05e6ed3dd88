"""The wording of retention's domain events."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("retention.rule_created", _("Retention rule added by %(actor)s"))
register("retention.rule_changed", _("Retention rule changed by %(actor)s"))
register("retention.automatic_on", _("Automatic thinning turned on by %(actor)s"))
register("retention.automatic_off", _("Automatic thinning turned off by %(actor)s"))
register("retention.hold_set", _("Legal hold on %(what)s set by %(actor)s"))
register("retention.hold_lifted", _("Legal hold on %(what)s lifted by %(actor)s"))
register("retention.run", _("%(count)s records thinned by %(actor)s"))

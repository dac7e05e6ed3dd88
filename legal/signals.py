"""holidays_changed(sender=Holiday, root, days): the organisation `root` gained or lost these
holidays. Sent inside the transaction of the change, so that the clocks counting working days
that span one of the days (deviations) are moved with it."""

from django.dispatch import Signal

holidays_changed = Signal()

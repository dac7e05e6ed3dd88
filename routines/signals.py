"""What other parts of the module react to, without the workflow knowing them.

version_published(sender=RoutineVersion, version, previous, actor): a version became the
published one (`previous` is the version it superseded, or None). Sent inside the publishing
transaction: the search index and the acknowledgment round are written with it.

version_ended(sender=RoutineVersion, version, actor): a published version was superseded or
withdrawn.
"""

from django.dispatch import Signal

version_published = Signal()
version_ended = Signal()

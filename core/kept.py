"""Figures kept between requests until a record they are counted from changes.

A statistics page that counts thousands of rows on every visit is kept in Django's cache under
the state of its topics: tokens (core.models.FigureState) that every save or delete of a watched
model replaces, inside the same transaction. A topic may be narrower than a module (its figures
of one year), so that a change counts again only what it touched. Figures are read under the
tokens committed when the reading began, so a change committed meanwhile only makes the next
reading count afresh; a change rolled back restores the token together with the rows it
described. Rows written past the models' signals (bulk loads, `update()`) call
`changed(topic)` themselves; `KEEP` bounds what a missed change could cost.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import FigureState

# Seconds. The tokens say when figures are out of date; this bounds only what a change written
# past the signals without `changed` could cost, and the memory of figures no one reads.
KEEP = 24 * 3600


def changed(topic):
    """The figures of `topic` are to be counted again."""
    token = uuid.uuid4().hex
    if not FigureState.objects.filter(topic=topic).update(token=token):
        FigureState.objects.update_or_create(topic=topic, defaults={"token": token})


def states(topics):
    """{topic: token} ("" for a topic never changed), in one query."""
    found = dict(FigureState.objects.filter(topic__in=topics).values_list("topic", "token"))
    return {topic: found.get(topic, "") for topic in topics}


def _name(topics, key, known):
    tokens = tuple(known[topic] for topic in topics)
    digest = hashlib.sha256(repr((tokens, key)).encode()).hexdigest()
    return f"kept.{topics[0]}.{digest}"


def kept(topics, key, count):
    """`count()`, or what it gave for the same `key` (a repr-able value) while none of `topics`
    has changed since."""
    return kept_each({None: (topics, key)}, lambda missing: {None: count()})[None]


def kept_each(parts, count):
    """Figures in parts, each kept on its own: `parts` is {part: (topics, key)}; `count(parts
    missing)` counts those not kept (together, as is cheaper) as {part: figures}. Returns
    {part: figures}. The tokens of every topic are read in one query."""
    known = states(sorted({topic for topics, _key in parts.values() for topic in topics}))
    names = {part: _name(topics, key, known) for part, (topics, key) in parts.items()}
    found = cache.get_many(list(names.values()))
    figures = {part: found[name] for part, name in names.items() if name in found}
    missing = [part for part in parts if part not in figures]
    if missing:
        counted = count(missing)
        cache.set_many({names[part]: counted[part] for part in missing}, KEEP)
        figures.update(counted)
    return figures


def watch(topics_of, *models):
    """Every save or delete of `models` (and change of their many-to-many fields) changes the
    topics `topics_of(instance)` returns (an iterable; empty when the instance counts for none).
    """

    def receiver(sender, instance, **kwargs):
        for topic in topics_of(instance):
            changed(topic)

    for model in models:
        uid = f"kept.{topics_of.__module__}.{topics_of.__qualname__}.{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ".delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=uid + field.name)

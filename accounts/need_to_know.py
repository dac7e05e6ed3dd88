"""Need-to-know follows a record into what is derived from it.

A record made from another (an action from a lex Sarah investigation; later a risk, a finding,
a chapter of a report) is read only by those who may read its source. Two declarations:

- a source model registers, from its AppConfig.ready(), how to find the rows one person may
  NOT read: `register_source(Track, lambda user: Track.objects.not_readable_by(user))`. The
  answer is a queryset used as a subquery, so lists stay one query at any size;
- a derived model names the field pointing at its source: `derived_from = "source"` (a
  GenericForeignKey or a ForeignKey). Its `visible_to` then excludes `hidden_q(model, user)`,
  single objects are asked `source_readable(user, obj)`, and reads of rows derived from a
  model marked `sensitive` are logged like reads of the source (`read_is_sensitive`).

This module imports no domain app: the sources register themselves.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

_SOURCES = {}


def register_source(model, unreadable):
    """`unreadable(user)` returns a queryset of `model`: the rows the person may not read."""
    _SOURCES[model._meta.label_lower] = (model, unreadable)


def is_registered(model):
    return model is not None and model._meta.label_lower in _SOURCES


def unreadable(model, user):
    """The rows of a registered source model the person may not read (cached per user object,
    which lives for one request)."""
    label = model._meta.label_lower
    cache = user.__dict__.setdefault("_hjulet_unreadable", {})
    if label not in cache:
        cache[label] = _SOURCES[label][1](user).values("pk")
    return cache[label]


def forget(user):
    user.__dict__.pop("_hjulet_unreadable", None)


def _field(model):
    return model._meta.get_field(model.derived_from)


def hidden_q(model, user):
    """A Q matching the rows of derived `model` whose source the person may not read, or None
    when no registered source can be behind them."""
    field = _field(model)
    terms = []
    if isinstance(field, GenericForeignKey):
        for source_model, _rule in _SOURCES.values():
            ct = ContentType.objects.get_for_model(source_model)
            terms.append(
                Q(
                    **{
                        f"{field.ct_field}_id": ct.pk,
                        f"{field.fk_field}__in": unreadable(source_model, user),
                    }
                )
            )
    elif is_registered(field.related_model):
        terms.append(Q(**{f"{field.name}__in": unreadable(field.related_model, user)}))
    q = None
    for term in terms:
        q = term if q is None else q | term
    return q


def source_of(obj):
    """(source model, source pk) of a derived object without loading the source, or None."""
    field = _field(type(obj))
    if isinstance(field, GenericForeignKey):
        type_id = getattr(obj, f"{field.ct_field}_id")
        pk = getattr(obj, field.fk_field)
        if type_id is None or pk is None:
            return None
        return ContentType.objects.get_for_id(type_id).model_class(), pk
    pk = getattr(obj, field.attname)
    return (field.related_model, pk) if pk is not None else None


def source_readable(user, obj):
    """May the person read the source of this derived object (True when it has none, or its
    kind of source has no rule)?"""
    source = source_of(obj)
    if source is None or not is_registered(source[0]):
        return True
    if user is None or not user.is_authenticated:
        return False
    model, pk = source
    return not model._default_manager.filter(pk__in=unreadable(model, user), pk=pk).exists()


def read_is_sensitive(obj):
    """Is reading this object a read of a sensitive record: it is marked so, or it is derived
    from a record that is (an action of a lex Sarah investigation)?"""
    if getattr(type(obj), "sensitive", False) is True:
        return True
    if getattr(type(obj), "derived_from", None) is None:
        return False
    source = source_of(obj)
    return source is not None and getattr(source[0], "sensitive", False) is True

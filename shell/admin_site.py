"""The Django admin: only for holders of `system.admin`, and never a side door into a case.

Need-to-know holds in the admin as everywhere: every registered ModelAdmin (and its inlines,
its drop-downs and its autocomplete) shows the records of a need-to-know model only to people
who may read them in Hjulet itself, which for the system administrator is none. The field
history (auditlog's LogEntry) of such records is left out of the admin's change log, its
detail and its search in the same way. Reads of such records through the admin are written to
the access log, and refused attempts as well.

Which models are need-to-know is read from the models themselves, never from a list here:
see `accounts.need_to_know_rule`.
"""

from auditlog.models import LogEntry
from django.contrib.admin.utils import unquote
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from accounts.need_to_know_rule import is_need_to_know, need_to_know_models, readable
from accounts.scoping import holds
from audit.services import log_denied, log_read

# Fields of other packages' models that carry what Hjulet wrote about a case: the queued e-mail
# tasks hold whole messages (an action's title, a reminder about a lex Sarah investigation).
# The admin never shows them; a model of Hjulet's own says so with `admin_hidden_fields`.
ADMIN_HIDDEN_FIELDS = {
    "django_tasks_database.dbtaskresult": ("args_kwargs", "return_value"),
}


def hidden_fields(model):
    return set(ADMIN_HIDDEN_FIELDS.get(model._meta.label_lower, ())) | set(
        getattr(model, "admin_hidden_fields", ())
    )


# Up to this many readable records of a model are listed by id; beyond it, a subquery.
ID_LIST_LIMIT = 5000


def logentry_q(user):
    """A Q keeping the change-log rows the person may read: rows of need-to-know records only
    when the person may read the record itself. Kept on the user object for the request."""
    cached = user.__dict__.get("_hjulet_logentry_q")
    if cached is not None:
        return cached
    from django.contrib.contenttypes.models import ContentType

    q = Q()
    for model in need_to_know_models():
        ct = ContentType.objects.get_for_model(model)
        rows = readable(model, user)
        # Ids are cheaper for the database and for Django than nested subqueries, and for the
        # system administrator the list is empty.
        ids = list(rows.values_list("pk", flat=True)[: ID_LIST_LIMIT + 1])
        if len(ids) <= ID_LIST_LIMIT:
            q &= ~Q(content_type=ct) | Q(object_pk__in=[str(pk) for pk in ids])
        else:
            pks = rows.annotate(_pk_text=Cast("pk", CharField())).values("_pk_text")
            q &= ~Q(content_type=ct) | Q(object_pk__in=pks)
    user.__dict__["_hjulet_logentry_q"] = q
    return q


def restrict_queryset(queryset, user):
    """The rows of `queryset` the person may see in the admin."""
    model = queryset.model
    if issubclass(model, LogEntry):
        return queryset.filter(logentry_q(user))
    if is_need_to_know(model):
        return queryset.filter(pk__in=readable(model, user).values("pk"))
    return queryset


def _record_of_logentry(entry):
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None or not is_need_to_know(model):
        return None
    return model._base_manager.filter(pk=entry.object_pk).first()


class NeedToKnowAdminMixin:
    """Put in front of every registered ModelAdmin by `restrict_admin`."""

    def get_queryset(self, request):
        return restrict_queryset(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        hidden = hidden_fields(self.model)
        return [f for f in super().get_fields(request, obj) if f not in hidden]

    def get_readonly_fields(self, request, obj=None):
        hidden = hidden_fields(self.model)
        return [f for f in super().get_readonly_fields(request, obj) if f not in hidden]

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if is_need_to_know(inline.model):
                inline.get_queryset = _restricted_getter(inline.get_queryset)
        return inlines

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_need_to_know(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = readable(db_field.related_model, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_need_to_know(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = readable(db_field.related_model, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        """What a deletion would take along, with records the person may not read named by
        their kind and id only (a user's actions of a lex Sarah investigation, say)."""
        return deleted_objects(objs, request, self.admin_site)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_admin_read(request, object_id, response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log_admin_read(request, object_id, response)
        return response

    def _log_admin_read(self, request, object_id, response):
        model = self.model
        if not (is_need_to_know(model) or issubclass(model, LogEntry)):
            return
        shown = self.get_object(request, unquote(object_id))
        if issubclass(model, LogEntry):
            entry = shown or model._base_manager.filter(pk=_int_or_none(object_id)).first()
            record = _record_of_logentry(entry) if entry is not None else None
        else:
            record = shown or model._base_manager.filter(pk=_pk_or_none(model, object_id)).first()
        if record is None:
            return
        if shown is not None and response.status_code == 200:
            log_read(request.user, record, request=request)
        else:
            log_denied(request.user, record, request=request)


def deleted_objects(objs, request, admin_site):
    """django.contrib.admin.utils.get_deleted_objects, naming unreadable records by id."""
    from django.contrib.admin.utils import NestedObjects, quote
    from django.db import router
    from django.urls import NoReverseMatch, reverse
    from django.utils.html import format_html
    from django.utils.text import capfirst
    from django.utils.translation import gettext as _

    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        model, opts = type(obj), obj._meta
        kind = capfirst(opts.verbose_name)
        if is_need_to_know(model) and not readable(model, request.user).filter(pk=obj.pk).exists():
            return _("%(kind)s: a record you may not read (id %(id)s)") % {
                "kind": kind,
                "id": obj.pk,
            }
        if not admin_site.is_registered(model):
            return f"{kind}: {obj}"
        if not admin_site.get_model_admin(model).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]
            )
        except NoReverseMatch:
            return f"{kind}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', kind, url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected


def _int_or_none(value):
    try:
        return int(unquote(value))
    except (TypeError, ValueError):
        return None


def _pk_or_none(model, value):
    try:
        return model._meta.pk.to_python(unquote(value))
    except Exception:  # noqa: BLE001 - any unparsable id is simply no record
        return None


def _restricted_getter(original):
    def get_queryset(request):
        return restrict_queryset(original(request), request.user)

    return get_queryset


def guard(site):
    """Put NeedToKnowAdminMixin in front of every ModelAdmin registered on the site."""
    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if issubclass(cls, NeedToKnowAdminMixin):
            continue
        guarded = type(f"NeedToKnow{cls.__name__}", (NeedToKnowAdminMixin, cls), {})
        site._registry[model] = guarded(model, site)


def restrict_admin(site):
    """Django admin is for holders of the system.admin key only, and follows need-to-know."""

    def has_permission(request):
        return request.user.is_active and holds(request.user, "system.admin")

    site.has_permission = has_permission
    site.site_header = "Hjulet – systemadministration"
    site.site_title = "Hjulet"
    guard(site)
    original_register = site.register

    def register(model_or_iterable, admin_class=None, **options):
        original_register(model_or_iterable, admin_class, **options)
        guard(site)

    site.register = register

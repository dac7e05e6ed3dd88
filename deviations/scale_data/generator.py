"""Running `manage.py generate_scale_data`: the tree and the people (organisation.scale_data),
then the reports in chunks (reports → tracks → investigations, authority notifications),
written in bulk (core.scale_data.BulkWriter), in one transaction."""

import random
import time
from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actions.models import Action
from audit.models import Event
from core.scale_data import BulkWriter, analyse, purge, refuse, since, skip_key_checks
from deviations.authority.models import AuthorityNotification, Channel, Recipient
from deviations.investigation.models import Cause
from deviations.models import Deviation, EventCategory, ReferenceSequence, Track, TrackState
from deviations.scale_data import rows as chunk_rows
from deviations.scale_data.mix import (
    CAUSE_WEIGHTS,
    CHUNK,
    HOUR_WEIGHTS,
    TRACK_MIX,
    YEARLY_GROWTH,
)
from deviations.scale_data.reports import report
from legal.clocks import local_zone
from legal.rules import DeadlineRule, TrackKind
from organisation.models import OrgNode
from organisation.scale_data import ROOT_NAME, build_people, build_tree, clear_tree, find_root

NAME = "generate_scale_data"


def generate(stdout, *, deviations, units, years, seed, clear=False):
    """Generate `deviations` reports over `years` years in a new Skalkommunen of `units`
    units (replacing an earlier one when `clear`), writing progress to `stdout`. Returns the
    closing line ("Done in …" with the rows written per table)."""
    refuse(NAME)
    if deviations < 1 or units < 1 or years < 1:
        raise CommandError("--deviations, --units and --years must be positive.")
    return Generator(stdout, seed).run(deviations, units, years, clear)


class Generator:
    """The state of one run: the random source, the writer, the tree and the people, the
    rules and labels; the modules of the package take it as `run`."""

    def __init__(self, stdout, seed):
        self.stdout = stdout
        self.rng = random.Random(seed)
        self.writer = BulkWriter(NAME)
        self.now = timezone.now()
        self.tz = local_zone()

    def run(self, count, unit_count, years, clear):
        started = time.monotonic()
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            skip_key_checks(self.stdout)
            existing = find_root()
            if existing is not None:
                if not clear:
                    found = Deviation.objects.filter(unit__path__startswith=existing.path).count()
                    raise CommandError(
                        f"{ROOT_NAME} already exists with {found} reports; "
                        "run again with --clear to replace it."
                    )
                self.clear(existing)
                self.stdout.write(f"Removed the earlier {ROOT_NAME} ({since(started)}).")
            self.build(unit_count)
            self.stdout.write(
                f"Tree: {len(self.units)} units, {len(self.reporting_nodes)} reporting nodes, "
                f"{len(self.users)} people ({since(started)})."
            )
            self.load_rules()
            self.generate(count, years)
        self.stdout.write(f"Committed ({since(started)}).")
        if analyse(self.writer.counts):
            self.stdout.write(f"Vacuumed and analysed ({since(started)}).")
        if "rebuild_statistics" in get_commands():
            # The statistics keep counts per unit and month; bulk rows bypass their bookkeeping.
            call_command("rebuild_statistics", stdout=self.stdout)
            self.stdout.write(f"Statistics counted ({since(started)}).")
        summary = ", ".join(
            f"{model._meta.model_name}: {count}" for model, count in self.writer.counts.items()
        )
        return f"Done in {since(started)}. {summary}"

    # -- clearing -----------------------------------------------------------------------------

    def clear(self, root):
        """Remove the reports and actions of the tree with their events, then the tree."""
        nodes = OrgNode.objects.filter(path__startswith=root.path)
        node_ids = list(nodes.values_list("pk", flat=True))
        deviations = Deviation.objects.filter(unit_id__in=node_ids)
        as_text = Cast("pk", output_field=CharField())
        for model, rows in (
            (Deviation, deviations),
            (
                AuthorityNotification,
                AuthorityNotification.objects.filter(track__deviation__unit_id__in=node_ids),
            ),
            (Action, Action.objects.filter(unit_id__in=node_ids)),
        ):
            Event.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=rows.annotate(key=as_text).values("key"),
            )._raw_delete(Event.objects.db)
        purge(deviations)
        purge(Action.objects.filter(unit_id__in=node_ids))
        clear_tree(root)

    # -- the tree, the people, the rules ------------------------------------------------------

    def build(self, unit_count):
        tree = build_tree(self.rng, unit_count)
        people = build_people(tree)
        self.units, self.reporting_nodes = tree.units, tree.reporting_nodes
        self.unit_of, self.cum_weights = tree.unit_of, tree.cum_weights
        self.users, self.reporter, self.manager = people.users, people.reporter, people.manager
        admin = tree.admin.pk
        self.investigators = {
            TrackKind.LEX_SARAH: [
                people.by_role[("quality_developer", admin)].pk,
                people.by_role[("investigation_secretary", admin)].pk,
            ],
            TrackKind.LEX_MARIA: [people.by_role[("mas", admin)].pk],
        }

    def load_rules(self):
        self.rules = {}
        for rule in DeadlineRule.objects.in_force():
            self.rules.setdefault(rule.track, []).append(rule)
        causes = {c.code: c.pk for c in Cause.objects.filter(is_active=True)}
        self.causes = [causes[c] for c in CAUSE_WEIGHTS if c in causes] or list(causes.values())
        self.cause_cum = list(
            accumulate(CAUSE_WEIGHTS.get(code, 1) for code in causes if causes[code] in self.causes)
        )
        self.category_ids = {
            c.code: c.pk for c in EventCategory.objects.filter(is_active=True, node__isnull=True)
        }
        self.kind_label = {k: str(label) for k, label in TrackKind.choices}
        self.state_label = {k: str(label) for k, label in TrackState.choices}
        self.verdict = {True: _("serious"), False: _("not serious")}
        self.ct = {
            m: ContentType.objects.get_for_model(m).pk
            for m in (Deviation, Track, Action, AuthorityNotification)
        }
        self.recipient_label = {k: str(label) for k, label in Recipient.choices}
        self.channel_label = {k: str(label) for k, label in Channel.choices}
        self.mix_cum = list(accumulate(share for _k, share in TRACK_MIX))
        self.hour_cum = list(accumulate(HOUR_WEIGHTS))

    # -- the reports --------------------------------------------------------------------------

    def timestamps(self, count, years):
        """`count` report times over the last `years` years, growing a little every year."""
        rng, tz = self.rng, self.tz
        now_local = timezone.localtime(self.now)
        spans = []
        for year in range(now_local.year - years + 1, now_local.year + 1):
            start = datetime(year, 1, 1, tzinfo=tz)
            end = min(datetime(year + 1, 1, 1, tzinfo=tz), now_local)
            length = (end - start).total_seconds()
            spans.append((start, length, YEARLY_GROWTH ** len(spans) * length))
        cum = list(accumulate(w for _s, _l, w in spans))
        times = []
        while len(times) < count:
            start, length, _w = spans[bisect(cum, rng.random() * cum[-1])]
            moment = start + timedelta(seconds=rng.random() * length)
            if moment.weekday() >= 5 and rng.random() < 0.3:
                continue  # fewer reports at weekends
            hour = bisect(self.hour_cum, rng.random() * self.hour_cum[-1])
            moment = moment.replace(hour=hour, minute=rng.randrange(60))
            if moment >= self.now:
                continue
            times.append(moment)
        times.sort()
        return times

    def generate(self, count, years):
        """The reports in chunks of CHUNK; each year's reference sequence moved on after."""
        started = time.monotonic()
        times = self.timestamps(count, years)
        numbers = {
            s.year: s.last
            for s in ReferenceSequence.objects.filter(year__in={t.year for t in times})
        }
        self.numbers = numbers
        for start in range(0, len(times), CHUNK):
            self.chunk(times[start : start + CHUNK])
            done = min(start + CHUNK, len(times))
            if done % 100_000 == 0 or done == len(times):
                self.stdout.write(f"  {done} reports ({since(started)})")
        for year, last in numbers.items():
            ReferenceSequence.objects.update_or_create(year=year, defaults={"last": last})

    def chunk(self, times):
        rows = chunk_rows.empty()
        deviation_ids = self.writer.ids(Deviation, len(times))
        for deviation_id, reported_at in zip(deviation_ids, times, strict=True):
            report(self, rows, deviation_id, reported_at)
        chunk_rows.write(self.writer, rows)

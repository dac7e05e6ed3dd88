"""A large, realistic data set for benchmarks, run by `manage.py generate_scale_data`.

Builds one organisation tree, "Skalkommunen" (board → administration → departments → units,
some with operations), people in the roles the benchmark logs in as (organisation.scale_data),
and deviation reports spread over the years, with tracks, steps, clocks, investigations, causes,
actions and events. The shares follow seed 004 (2023): about 6 % of the reports are not
deviations; of the rest 28 % lex Sarah, 9 % personal data breaches, 3 % lex Maria and 58 % other
deviations (a few take two tracks); 19 % of lex Sarah cases and 18 % of breaches are judged
serious. Most reports are closed; the newest are still being handled.

Speed: rows are written in bulk (COPY on PostgreSQL, batched INSERTs elsewhere) with ids
reserved from the tables' sequences up front, not through the services (one report at a time
would take hours). The rows are what the services would have written, with these exceptions:
no field-level change log (django-auditlog) rows, no action steps (ActionTransition), no
timeline entries and no e-mail; events are written for reports, classifications, track steps
and judgements but not for saved investigations; a breach judged not serious has its IMY clock
stopped at the judgement (the notification module decides that case). Reference numbers
continue each year's ReferenceSequence, which is moved on at the end.

Runs in one transaction: an interrupted run leaves nothing behind. Refuses to run in
production; `--clear` removes an earlier Skalkommunen with everything in it first.

Modules: generator (the run: tree, rules, chunks), reports, tracks (steps and clocks),
investigations (causes and actions), authority (notifications), rows (the columns written),
mix (the shares, timings and texts).
"""

"""Routines at scale for the benchmarks, run by `manage.py generate_routine_scale_data`.

Runs on the organisation and the people of `generate_scale_data` ("Skalkommunen", which must
exist): about 300 routines of the board, the administration and the departments, and 2 of each
unit; each with 1–4 versions (the last published, the earlier ones superseded), a Swedish text
of a few paragraphs built from word lists (so the full-text search has something to find) and
`search_text` filled as the services fill it; `next_review_on` spread so some reviews are
overdue; and a read-and-acknowledge task for every person in scope of every published version
(the rules of routines.acknowledgments.start_round), a share acknowledged, the rest open.

People: the deviation generator makes one staff member per unit, which gives a unit manager
almost nobody to follow up. `--staff-per-unit` (5 unless told) adds that many staff members to
each unit and operation (users "skala-r…", unusable passwords; organisation.scale_data.add_staff),
which is what makes the acknowledgments reach a large municipality's order (1–2 million rows);
0 adds nobody.

Speed: rows are written with bulk_create in batches, not through the services (the round of
one version for everyone takes seconds; 3,000 of them would take an hour). Not written: events
(record_event) and e-mail. PostgreSQL indexes the published texts by itself (the GIN expression
index of 0002_search); on SQLite each published version goes into the FTS table through
routines.search.index_version. Runs in one transaction; refuses to run twice unless `--clear`,
which removes the routines of Skalkommunen and the added staff first (so does `--remove`
alone: run it before `generate_scale_data --clear`, whose nodes the routines would hold).
Refuses to run in production.

Modules: generator (the run), versions (routines, versions, steps, roles, legal references),
texts (titles and bodies), acknowledgments (the tasks and the search index), people (who is in
a routine's scope).
"""

"""Risk analyses at scale on the benchmark organisation (`generate_risks_scale_data`):
`generator.py` writes a few analyses per unit and year over five years, each with its
participants, scored events and a measure (an action), straight to the tables
(core.scale_data.BulkWriter)."""

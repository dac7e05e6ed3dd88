"""Self-inspection at scale for the benchmark organisation (`generate_inspection_scale_data`):
`generator.py` writes five years of plans, occasions, executions and answers in bulk."""

"""The internal control's scale-data generator (`generator.py`): one plan per board and year on
the benchmark organisation, with its control points, reporting dates and results."""

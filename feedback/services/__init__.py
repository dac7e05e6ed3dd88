"""Every state change of feedback, by sub-concept (callers import from the module):

- `common.py`: the reference, the routing to a unit, the targets and the permission checks;
- `intake.py`: feedback given through the public form, and registered by staff;
- `handling.py`: acknowledging, forwarding, notes, answering, closing and reopening; releasing
  or discarding a submission held as possible abuse;
- `deviation.py`: one step from a complaint to a deviation report;
- `release.py`: marking what is secret or personal, and releasing a masked copy.
"""

"""Personal identity numbers in free text: the detection lives in `core.pin`, shared by every
module's forms; this name stays for the deviation code that imported it first."""

from core.pin import find_personal_numbers, luhn_ok, redact

__all__ = ["find_personal_numbers", "luhn_ok", "redact"]

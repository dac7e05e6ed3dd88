"""A readable difference between two versions of a routine.

The words of each version (the editor's text or the document's, one block a line) are
compared line by line, and changed lines word by word. Added words are marked `<ins>`, removed
ones `<del>`: underlined and struck through as well as coloured, each with a hidden word for
screen readers, so the difference never rests on colour alone.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from routines.services.base import body_text

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Difference:
    html: str  # safe HTML, one <p> a line
    added: int  # words added
    removed: int  # words removed

    @property
    def same(self):
        return not self.added and not self.removed


# The labels are read outside the f-strings: xgettext does not look inside them.
def _ins(words):
    label = escape(_("Added:"))
    return f'<ins><span class="visually-hidden">{label} </span>{escape(words)}</ins>'


def _del(words):
    label = escape(_("Removed:"))
    return f'<del><span class="visually-hidden">{label} </span>{escape(words)}</del>'


def _words(text):
    return TOKEN.findall(text)


def _word_diff(old, new):
    """One changed line: the words in common as they are, the rest marked."""
    a, b = _words(old), _words(new)
    parts, added, removed = [], 0, 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            gone = "".join(a[i1:i2])
            removed += len(gone.split())
            parts.append(_del(gone))
        if op in ("insert", "replace"):
            came = "".join(b[j1:j2])
            added += len(came.split())
            parts.append(_ins(came))
    return "".join(parts), added, removed


def diff_texts(old, new):
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines, added, removed = [], 0, 0
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines.extend(escape(line) for line in old_lines[i1:i2])
            continue
        if op == "replace":
            # Pair the changed lines in order; what is left over was removed or added whole.
            pairs = list(zip(old_lines[i1:i2], new_lines[j1:j2], strict=False))
            for before, after in pairs:
                html, plus, minus = _word_diff(before, after)
                lines.append(html)
                added += plus
                removed += minus
            for line in old_lines[i1 + len(pairs) : i2]:
                lines.append(_del(line))
                removed += len(line.split())
            for line in new_lines[j1 + len(pairs) : j2]:
                lines.append(_ins(line))
                added += len(line.split())
        elif op == "delete":
            for line in old_lines[i1:i2]:
                lines.append(_del(line))
                removed += len(line.split())
        elif op == "insert":
            for line in new_lines[j1:j2]:
                lines.append(_ins(line))
                added += len(line.split())
    html = "".join(f'<p class="diff-line">{line}</p>' for line in lines)
    return Difference(mark_safe(html), added, removed)  # noqa: S308  (every part escaped)


def diff_versions(old, new):
    """The difference from version `old` to version `new` of a routine."""
    return diff_texts(body_text(old), body_text(new))

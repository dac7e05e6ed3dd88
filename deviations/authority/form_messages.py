"""The headings and labels of deviations/data/authority_forms.json, marked for translation.

The data is read at run time; this list only lets `makemessages` find its texts. A text added
to the data is added here too (tests/test_authority_package_fields.py checks it)."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("A missförhållande or a real risk of one"),
    gettext_noop("A serious injury in care or a risk of one"),
    gettext_noop("Approximate number of people informed"),
    gettext_noop("Care provider"),
    gettext_noop("Consequences"),
    gettext_noop("Consequences for the person or people concerned"),
    gettext_noop("Contact person"),
    gettext_noop("Contact point"),
    gettext_noop("Controller"),
    gettext_noop("Data protection officer"),
    gettext_noop("Information to the people concerned"),
    gettext_noop("Late notification"),
    gettext_noop("Likely consequences for the people concerned"),
    gettext_noop("Measures"),
    gettext_noop("People and data concerned"),
    gettext_noop("Provider"),
    gettext_noop("Sender"),
    gettext_noop("The breach"),
    gettext_noop("The event"),
    gettext_noop("The injury, or the risk of injury"),
    gettext_noop("The investigation"),
    gettext_noop("The message"),
    gettext_noop("The missförhållande"),
    gettext_noop("The patient's age (optional)"),
    gettext_noop("The patient's sex (optional)"),
    gettext_noop("The person concerned (pseudonymised, optional)"),
    gettext_noop("What happened"),
    gettext_noop("When"),
    gettext_noop("When it was reported within the organisation"),
    gettext_noop("When the breach ended"),
    gettext_noop("When the breach started"),
    gettext_noop("When the breach was discovered"),
    gettext_noop("Where the event happened"),
    gettext_noop("Where the missförhållande happened"),
    gettext_noop("Who decided that it is serious (name and role)"),
    gettext_noop("Who is informed"),
)

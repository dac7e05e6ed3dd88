"""Form helpers shared by the modules' views."""


def add_service_errors(form, error):
    """Put a service's ValidationError on the form: on its field when the form has one, else
    on the form as a whole (Django's add_error refuses a field the form does not have)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

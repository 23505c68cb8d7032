"""Where an exception was raised, in one line naming the project's own code, for the suites' reports."""

import traceback
from pathlib import Path

from django.conf import settings


def where(error: BaseException) -> str:
    """e.g. "DataError: integer out of range at projects/services.py:523 in ledger_entry_create"."""
    base = str(Path(settings.BASE_DIR)) + "/"
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if f.filename.startswith(base) and "/.venv/" not in f.filename]
    frame = (own or frames)[-1]
    message = " ".join(str(error).split())[:160]
    return f"{type(error).__name__}: {message} at {frame.filename.removeprefix(base)}:{frame.lineno} in {frame.name}"

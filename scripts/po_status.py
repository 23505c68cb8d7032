"""List untranslated and fuzzy entries of every zh_Hans catalogue; exit 1 if there are any.

python scripts/po_status.py            # all catalogues
python scripts/po_status.py registry   # one app
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues(only=None):
    for path in sorted(ROOT.glob("*/zh_Hans/LC_MESSAGES/django.po")) + sorted(
        ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")
    ):
        if only and path.relative_to(ROOT).parts[0] not in (only, "locale" if only == "project" else only):
            continue
        yield path


def main(argv):
    only = argv[1] if len(argv) > 1 else None
    pending = 0
    for path in catalogues(only):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                pending += 1
                print(f"{path.relative_to(ROOT)}: {'fuzzy' if 'fuzzy' in entry.flags else 'missing'}: {entry.msgid!r}")
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""`ganstudio --smoke-test`: visit every page offscreen, print start-up figures, exit 0 if all pages rendered."""

from __future__ import annotations

import sys


def run_smoke_test(app, window, startup_ms: float) -> int:
    tf_loaded = "tensorflow" in sys.modules
    for name, page in window.pages.items():
        window.show_page(name)
        app.processEvents()
        if page.grab().isNull():
            print(f"page {name} did not render", file=sys.stderr)
            return 1
        print(f"page={name} ok")
    print(f"startup_ms={startup_ms:.0f}")
    print(f"tensorflow_imported_at_show={'true' if tf_loaded else 'false'}")
    window.close()
    return 0

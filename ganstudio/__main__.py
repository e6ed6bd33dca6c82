"""Allows `python -m ganstudio …`."""

from ganstudio.cli import main

raise SystemExit(main())

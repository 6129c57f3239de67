"""`python -m matter_map` runs the command line."""

from matter_map.cli import main

raise SystemExit(main())

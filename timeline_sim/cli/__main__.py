"""``python -m timeline_sim.cli``: the command line, as the ``timeline-sim`` script runs it."""

import sys

from timeline_sim.cli.main import main

sys.exit(main())

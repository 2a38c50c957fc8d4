"""The ``timeline-sim`` command line: a thin layer over the cases, runs, studies and figures."""

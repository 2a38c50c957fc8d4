"""Plotly dashboards built from saved results (event logs, runs tables), never from a model."""

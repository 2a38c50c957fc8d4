"""What every dashboard shares: palette, escaping, the case record, the page.

The dashboards themselves are ``figures.replay`` (one replay),
``figures.study`` (a Monte Carlo study or a comparison) and ``figures.story``
(the sequencing story).

Every function here reads saved tables (a replay directory written by
``output.files.write_replay``, a study directory written by ``studies.run_many`` or a
comparison directory written by ``study.compare``) or DataFrames, never the
running model, so a dashboard can be rebuilt from results alone. The case file
named in the saved metadata is read, when it can be, for its title, descriptions
and historical record; nothing is simulated.

Conventions:

- dates on every time axis, not day numbers;
- the Okabe-Ito palette, with marker symbols and dashes doubling colour, so
  colour-blind readers can tell series apart;
- every string that comes from a case file or an event log is HTML-escaped
  before it reaches the page or a Plotly label (``<script>`` shows as text);
- one self-contained HTML file: plotly.js is inlined, nothing is fetched;
- studies are summarised in Python (pre-binned histograms, thinned cumulative
  curves), so a 10,000-run study makes a file about as large as a 1,000-run one.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from timeline_sim.output.labels import track as track_label

# ------------------------------------------------------------------ conventions

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
_C = OKABE_ITO
#: per-track dashes, so two tracks' curves of one series differ without colour
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
#: one colour per track for study curves
TRACK_COLOURS = (
    _C["blue"],
    _C["vermillion"],
    _C["bluish_green"],
    _C["reddish_purple"],
    _C["orange"],
    _C["sky_blue"],
)
BASELINE_COLOUR, VARIANT_COLOUR = _C["blue"], _C["orange"]
HISTORY_COLOUR = _C["black"]

FONT = dict(family="Segoe UI, Helvetica, Arial, sans-serif", size=13)
DAY_MS = 86_400_000


def esc(text: Any) -> str:
    """HTML-escape a string from a case file or a log (None and NaN become '')."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=True)


def wrap_text(text: str, width: int = 70) -> str:
    """Escape and wrap long text for a hover label."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width)) if text else ""


def format_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if abs(value) >= 1e6:
        return f"{value:,.3g}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def style_figure(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=18)),
        template="plotly_white",
        font=FONT,
        height=height,
        margin=dict(l=20, r=20, t=80, b=40),
        hoverlabel=dict(align="left", font=dict(size=12)),
        legend=dict(groupclick="toggleitem", font=dict(size=12)),
    )
    return fig


# ------------------------------------------------------------------ case information


@dataclass
class CaseInfo:
    """What a dashboard shows of the case file: text and the historical record."""

    name: str
    title: str = ""
    description: str = ""
    variant: str | None = None
    variant_description: str = ""
    kind: str = ""
    start_date: str | None = None
    tracks: dict[str, dict[str, Any]] = field(default_factory=dict)  # description, talks_start
    targets: list[dict[str, Any]] = field(default_factory=list)  # track, milestone, date, source
    outcome_targets: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""


def case_info(case: str | Path, variant: str | None = None) -> CaseInfo:
    """Read a case file's text and historical record (the case is validated, never run)."""
    from timeline_sim.cases.loading import load_case  # data only: the schema and its checks

    info = CaseInfo(name=str(Path(str(case)).stem), variant=variant)
    try:
        loaded = load_case(case, variant=variant)
    except Exception as exc:  # a dashboard of saved results still builds without its case file
        info.problem = f"case file {case} could not be read: {exc}"
        return info
    model = loaded.model
    info.name, info.title, info.description = (
        loaded.name,
        model.title,
        getattr(model, "description", ""),
    )
    info.kind = getattr(model, "kind", "")
    if variant and variant in getattr(model, "variants", {}):
        info.variant_description = model.variants[variant].description
    info.start_date = getattr(model.start_date, "date", None)
    for name, track in model.tracks.items():
        info.tracks[name] = {
            "description": getattr(track, "description", ""),
            "talks_start": getattr(getattr(track, "talks_start", None), "date", None),
            "partner": getattr(track, "partner", ""),
        }
    info.targets = [
        {"track": t.track, "milestone": t.milestone, "date": t.date, "source": t.source}
        for t in model.targets
    ]
    info.outcome_targets = [
        {"track": t.track, "outcome": t.outcome, "value": t.value, "source": t.source}
        for t in getattr(model, "outcome_targets", [])
    ]
    return info


def to_day(text: str | None) -> pd.Timestamp | None:
    """A historical date (day, month '2005-12' as mid-month, or year) as a timestamp."""
    if not text:
        return None
    from timeline_sim.engine.calendar import HistoricalDate

    try:
        return pd.Timestamp(HistoricalDate.parse(str(text)).date)
    except Exception:
        try:
            return pd.Timestamp(text)
        except Exception:
            return None


def case_header(info: CaseInfo) -> str:
    parts = []
    if info.description:
        parts.append(f"<p class='description'>{esc(info.description)}</p>")
    if info.variant:
        parts.append(
            f"<p class='variant'><b>Counterfactual variant {esc(info.variant)}:</b> "
            f"{esc(info.variant_description)}</p>"
        )
    if info.tracks:
        items = "".join(
            f"<li><b>{esc(track_label(name))}</b>: {esc(t.get('description', ''))}</li>"
            for name, t in info.tracks.items()
            if t.get("description")
        )
        if items:
            parts.append(f"<ul class='tracks'>{items}</ul>")
    if info.problem:
        parts.append(f"<p class='problem'>{esc(info.problem)}</p>")
    return "".join(parts)


# ------------------------------------------------------------------ the page

STYLE = """
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1400px;
       padding: 16px 24px; color: #222; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.2em; margin-top: 1.5em; }
p.subtitle { color: #555; margin-top: 0; } p.problem { color: #D55E00; }
.figure { margin: 12px 0 28px 0; border-top: 1px solid #ddd; padding-top: 8px; }
table.targets { border-collapse: collapse; font-size: 0.9em; }
table.targets td, table.targets th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left;
                                     vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.src { color: #555; font-size: 0.9em; }
footer { color: #777; font-size: 0.8em; margin-top: 2em; }
"""

#: scripts run only if inline (plotly.js and the figure calls); nothing is fetched from anywhere
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'"
)


#: where the page gets plotly.js: inlined (offline), the plotly CDN, or a file beside the page
PLOTLYJS = ("inline", "cdn", "directory")
PLOTLYJS_FILE = "plotly.min.js"


def plotlyjs_url() -> str:
    from plotly.offline import get_plotlyjs_version

    return f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"


def plotlyjs_head(mode: str = "inline") -> tuple[str, str]:
    """The Content-Security-Policy and the script tag that loads plotly.js for ``mode``."""
    if mode == "inline":
        return CSP, f"<script type='text/javascript'>{get_plotlyjs()}</script>"
    if mode == "cdn":
        csp = CSP.replace(
            "script-src 'unsafe-inline'", "script-src 'unsafe-inline' https://cdn.plot.ly"
        )
        return csp, f"<script src='{plotlyjs_url()}' charset='utf-8'></script>"
    if mode == "directory":
        csp = CSP.replace("script-src 'unsafe-inline'", "script-src 'unsafe-inline' 'self' file:")
        return csp, f"<script src='{PLOTLYJS_FILE}' charset='utf-8'></script>"
    raise ValueError(f"plotlyjs must be one of {', '.join(PLOTLYJS)}, not {mode!r}")


def write_plotlyjs(directory: str | Path) -> Path:
    """Write plotly.min.js into ``directory`` (for pages built with ``plotlyjs='directory'``)."""
    return write_html(Path(directory) / PLOTLYJS_FILE, get_plotlyjs())


def page(
    heading: str,
    subtitle: str,
    figures: list[tuple[str, go.Figure]],
    before: str = "",
    after: str = "",
    plotlyjs: str = "inline",
) -> str:
    """One HTML page: every figure, no network access unless ``plotlyjs='cdn'``.

    ``heading``, ``subtitle``, ``before`` and ``after`` must already be escaped HTML;
    ``plotlyjs`` is one of :data:`PLOTLYJS` (see :func:`plotlyjs_head`).
    """
    csp, script = plotlyjs_head(plotlyjs)
    divs = []
    config = {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "svg", "scale": 1},
    }
    for key, fig in figures:
        div = pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            div_id=f"figure-{key}",
            config=config,
            validate=True,
        )
        divs.append(f"<section class='figure' data-figure='{esc(key)}'>{div}</section>")
    from timeline_sim.version import __version__

    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{heading}</title>"
        f"<style>{STYLE}</style>{script}</head><body>"
        f"<h1>{heading}</h1><p class='subtitle'>{subtitle}</p>{before}"
        + "".join(divs)
        + after
        + f"<footer>timeline_sim {esc(__version__)}, built {dt.date.today().isoformat()} from saved results; "
        "colours: Okabe-Ito palette.</footer></body></html>\n"
    )


def write_html(path: str | Path, text: str) -> Path:
    """Write a dashboard atomically."""
    import os
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    from timeline_sim.output.files import ordinary_mode

    ordinary_mode(Path(tmp))  # readable as any file the user writes, not private as a temporary one
    os.replace(tmp, path)
    return path


class ExportUnavailable(Exception):
    """Static export (png, svg, pdf) needs the kaleido package and a Chrome or Chromium."""


def export_static(figures: list[tuple[str, go.Figure]], out: str | Path, fmt: str) -> list[Path]:
    """Write each figure as ``OUT-STEM-NAME.FMT`` (one file per figure; papers take one each)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise ExportUnavailable(
            f"--format {fmt} needs the kaleido package for static export (pip install kaleido) "
            "and a Chrome or Chromium; it is not installed. Write HTML instead (--format html), "
            "or use the camera button of each figure in the HTML dashboard to save an SVG."
        ) from None
    out = Path(out)
    stem = out.with_suffix("")
    written = []
    for key, fig in figures:
        target = stem.parent / f"{stem.name}-{key}.{fmt}"
        try:
            fig.write_image(str(target), format=fmt, width=1400, height=fig.layout.height or 800)
        except Exception as exc:
            raise ExportUnavailable(f"--format {fmt}: static export failed: {exc}") from None
        written.append(target)
    return written

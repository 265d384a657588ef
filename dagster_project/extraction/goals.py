"""Goal ratings, assignments and the counts the text states about them.

- Goal tables: 'Mål N. <goal text>  Mål kommer helt/delvis/inte uppfyllas' (the rating at the
  end of the goal's last line), and sub-goal tables ('Regionmål Delmål Prognos') where each
  Delmål text is followed by its rating and the 'Mål N. <title>' labels float between them;
  there the sub-goals are numbered from the per-goal follow-up section further on
  ('Mål N. <title>' headings followed by their Delmål).
- Assignment tables under 'Uppdrag från X till Y': a status (Avslutad, Pågående, Klar med
  avvikelse ...), the assignment, comments, and the deadline date; slide lists under
  'FRÅN X TILL Y' with bullets and no status.
- Stated counts: 'Av de tio mål ... kommer 4 helt att uppfyllas, 1 delvis ...', 'Av 18
  indikatorer bedöms fyra gröna ...', 'tre av fyra mål', 'samtliga sex inriktningsmål', 'Av 20
  uppdrag är 12 avslutade', so they can be reconciled with the rated or listed items and with
  the statement's own total.
"""

from __future__ import annotations

from .assignments import extract_assignments
from .goal_ratings import extract_goal_ratings
from .records import DocumentMeta, Extraction
from .stated_counts import extract_stated_counts


def extract_goals(meta: DocumentMeta, lines: list[str]) -> Extraction:
    """Goal ratings (goal_ratings), assignments (assignments) and stated counts (stated_counts)."""
    out = Extraction()
    extract_goal_ratings(meta, lines, out)
    extract_assignments(meta, lines, out)
    extract_stated_counts(meta, lines, out)
    return out

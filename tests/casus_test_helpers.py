"""Small helpers shared by tests (a uniquely named module: several test folders have their own conftest)."""


def events_of(events, plover=None, modality=None):
    """Events of a PLOVER type; "APPEAL" selects CAMEO 02 appeals, which have no PLOVER type."""
    def kind(e):
        return "APPEAL" if e["cameo"].startswith("02") else e["plover"]
    return [e for e in events if (plover is None or kind(e) == plover)
            and (modality is None or e["modality"] == modality)]


def pair(e):
    s, t = e.get("source") or {}, e.get("target") or {}
    return (s.get("country") or s.get("code"), t.get("country") or t.get("code"))


from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

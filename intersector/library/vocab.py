"""The Learn part's controlled vocabularies: keys are stored, labels are translated on display.

The keys are the contract with the starter content (see content/library/*.yaml) and the CSV import.
"""

from django.utils.translation import gettext_lazy as _

SECTOR = "sector"
ISSUE_AREA = "issue_area"
PARTNERSHIP_MODEL = "partnership_model"

VOCABULARIES = {
    SECTOR: {
        "government": _("Government"),
        "business": _("Business"),
        "non-profit": _("Non-profit"),
    },
    ISSUE_AREA: {
        "health": _("Health"),
        "environment": _("Environment"),
        "transport": _("Transport"),
        "education": _("Education"),
        "community-revitalisation": _("Community revitalisation"),
        "infrastructure": _("Infrastructure"),
        "parks-and-open-space": _("Parks and open space"),
        "housing": _("Housing"),
        "economic-development": _("Economic development"),
        "public-safety": _("Public safety"),
    },
    PARTNERSHIP_MODEL: {
        "public-private-partnership": _("Public-private partnership"),
        "collective-impact": _("Collective impact"),
        "collaborative-governance": _("Collaborative governance"),
        "corporate-non-profit": _("Corporate–non-profit partnership"),
        "community-partnership": _("Community partnership"),
        "research-partnership": _("Research partnership"),
    },
}

VOCABULARY_NAMES = {
    SECTOR: _("Sector"),
    ISSUE_AREA: _("Issue area"),
    PARTNERSHIP_MODEL: _("Partnership model"),
}

RESOURCE_TYPES = {
    "article": _("Article"),
    "report": _("Report"),
    "tool": _("Tool"),
    "case": _("Case"),
    "book": _("Book"),
    "multimedia": _("Multimedia"),
}

SERIES = {
    "monthly": _("Monthly briefing"),
    "research-to-practice": _("Research to practice"),
    "researcher-insights": _("Researcher insights"),
}

SERIES_DESCRIPTIONS = {
    "monthly": _("A short round-up, each month, of what is new in cross-sector collaboration."),
    "research-to-practice": _(
        "One research article read in depth: what it found, who should care, and what to do about it."
    ),
    "researcher-insights": _("Researchers describe their work and what it means for practitioners."),
}

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}


def label(vocabulary, key):
    """The translated label of a key, or the key itself if it is not (or no longer) known."""
    return VOCABULARIES.get(vocabulary, {}).get(key, key)

"""Hand-written workshop notes about how the three sectors work, with the idea each is about.

Written for these tests: short, varied wording, the kind of sticky notes a cross-sector
workshop produces.
"""

GOVERNMENT_PACE = "government pace"
BUSINESS_DRIVE = "business drive"
NONPROFIT_MISSION = "non-profit mission"

NOTES = [
    # Government: slow approvals, accountability, regulation, permits, elections.
    ("Council approvals take months before anything can start", GOVERNMENT_PACE),
    ("Every permit needs sign-off from three departments", GOVERNMENT_PACE),
    ("Public officials must account for every dollar of taxpayer money", GOVERNMENT_PACE),
    ("Regulations change slowly and need public consultation", GOVERNMENT_PACE),
    ("Priorities shift after each election", GOVERNMENT_PACE),
    ("The ministry's procurement rules slow down contracts", GOVERNMENT_PACE),
    ("Agencies are accountable to parliament and auditors", GOVERNMENT_PACE),
    ("Getting a building permit from the city is a long wait", GOVERNMENT_PACE),
    ("New ministers often cancel the previous government's projects", GOVERNMENT_PACE),
    ("Civil servants avoid risk because mistakes become headlines", GOVERNMENT_PACE),
    ("Approval processes in the public sector are slow and bureaucratic", GOVERNMENT_PACE),
    ("Legislation and compliance rules limit what the department can do", GOVERNMENT_PACE),
    ("Budgets are set once a year by the legislature", GOVERNMENT_PACE),
    ("Voters hold elected officials responsible at the ballot box", GOVERNMENT_PACE),
    # Business: speed, profit, capital, proprietary data.
    ("Companies want a return on investment within two years", BUSINESS_DRIVE),
    ("The firm moves fast to beat competitors to market", BUSINESS_DRIVE),
    ("Shareholders expect quarterly profit growth", BUSINESS_DRIVE),
    ("Startups can raise venture capital to scale quickly", BUSINESS_DRIVE),
    ("Customer data is proprietary and never shared with partners", BUSINESS_DRIVE),
    ("Corporate decisions are made quickly by executives", BUSINESS_DRIVE),
    ("The business case must show revenue and margins", BUSINESS_DRIVE),
    ("Investors fund projects that promise high returns", BUSINESS_DRIVE),
    ("Trade secrets and intellectual property are closely guarded", BUSINESS_DRIVE),
    ("Market competition pushes firms to cut costs and launch faster", BUSINESS_DRIVE),
    ("The company will only share its sales data under a contract", BUSINESS_DRIVE),
    ("Private firms have capital to invest in new equipment", BUSINESS_DRIVE),
    ("Profit margins decide which products the company keeps", BUSINESS_DRIVE),
    # Non-profit: mission, community trust, limited funding, volunteers.
    ("The charity's mission guides every decision it makes", NONPROFIT_MISSION),
    ("Local residents trust the community organisation more than officials", NONPROFIT_MISSION),
    ("Volunteers run most of the food bank's services", NONPROFIT_MISSION),
    ("Small grants barely cover the charity's running costs", NONPROFIT_MISSION),
    ("Nonprofits depend on donations and foundation grants", NONPROFIT_MISSION),
    ("Community groups know what families in the neighbourhood need", NONPROFIT_MISSION),
    ("Volunteer turnover makes long projects hard for the charity", NONPROFIT_MISSION),
    ("Funding for nonprofits is short-term and uncertain", NONPROFIT_MISSION),
    ("The association's values come before growth", NONPROFIT_MISSION),
    ("Grassroots organisations have deep trust in the communities they serve", NONPROFIT_MISSION),
    ("Charities struggle to pay staff with limited donations", NONPROFIT_MISSION),
    ("Unpaid volunteers give their weekends to help neighbours", NONPROFIT_MISSION),
    ("The nonprofit measures success by social impact, not income", NONPROFIT_MISSION),
]

TEXTS = [text for text, _ in NOTES]
IDEAS = [idea for _, idea in NOTES]

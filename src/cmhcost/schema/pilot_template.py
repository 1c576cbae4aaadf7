"""The commented template that `cmhcost init-pilot` writes."""

PILOT_TEMPLATE = """\
# yaml-language-server: $schema=services.schema.json
# A proposed pilot for cmhcost. Edit the values, then run:  cmhcost pilot THIS_FILE
# Any number may be a range written [low, high], e.g. occupancy: [0.6, 0.9]; every result is then a range.
# Codes: country is ISO 3166-1 alpha-2 (write "NO" in quotes for Norway), currency is ISO 4217 (KES, INR, GBP).
version: 1
services:
  - id: my-pilot                       # lowercase, hyphens
    name: Peer-run crisis respite house
    place: My town
    country: GB
    category: crisis                   # crisis, hospital-based, community-mental-health-centre, peer-support,
                                       # community-outreach, supported-living, linkage, service-network, financing
    budget:                            # one year of running costs
      currency: GBP
      price_year: 2025
      lines:
        - label: Staff (peer supporters, coordinator)
          amount: [380000, 420000]
        - label: Premises (rent, utilities)
          amount: 60000
        - label: Running costs (food, training, supervision)
          amount: 40000
      capital:                         # one-off start-up costs (optional); each is spread over its useful
        - label: Refurbishment         # life as an equivalent annual cost, C x r / (1 - (1 + r)^-n),
          amount: 150000               # shown as its own line and added to the unit cost
          life_years: 10
      discount_rate: 0.03              # default 0.03, the WHO-CHOICE convention; also discounts the horizon
      capacity:                        # exactly one of: beds (with occupancy), residents, people_per_year, population
        beds: 6
        occupancy: [0.6, 0.9]          # a fraction: 0.8 means 80% of beds in use
    pilot:                             # optional; each line may be left out
      substitution: [0.5, 1]           # share of the pilot's units that replace a unit of the baseline;
                                       # default 1 (every bed-night replaces a hospital bed-night), an
                                       # assumption the report states. Annual saving = substitution x
                                       # (baseline cost of the pilot's units - the pilot's annual cost)
      # length_of_stay: 14             # days in one admission or episode: converts a per-admission or
                                       # per-episode cost to per day (no default: such costs are not compared)
      horizon_years: 5                 # a discounted view over this many years (no default: no horizon)
      # replaces: tupu-ake             # needed only when the pilot's id is that of a guidance record
    baselines:                         # what the pilot would replace
      - id: hospital
        label: Acute psychiatric inpatient bed, per night
        compare: budget                # the unit cost derived from the budget
        cost:
          id: hospital-bed-night
          label: Our hospital's cost per occupied bed-day
          amount: 500
          currency: GBP
          unit: bed-night              # bed-night, person-day, person-week, person-month, person-year, ...
          price_year: 2025
"""

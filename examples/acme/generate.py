#!/usr/bin/env python3
"""Writes the acme example snapshot: Brightline Supply's 60 business customers, 2023-2024.

The data is made up to teach, with a seeded generator so that it is the same every time:
    python3 examples/acme/generate.py
It writes the CSV files and snapshot.json beside this script. The story it tells is in
README.md; the people and companies are invented.
"""
import csv
import datetime as dt
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20241231)
START = dt.date(2023, 1, 1)
AS_OF = dt.date(2024, 12, 31)

PRODUCTS = ["bearings", "fasteners", "hydraulics", "power tools", "safety gear", "welding supplies"]
RATES = {
    "order_processing": 25.0,
    "delivery": 60.0,
    "rush_delivery": 180.0,
    "sales_visit": 250.0,
    "support_call": 35.0,
    "custom_packaging": 90.0,
    "returns_handling": 75.0,
}

# id, name, segment, region, size (mean order), orders a year, margin rate, quantity per order
NAMED = [
    ("ACME", "Acme Corp", "retail", "West", 2600, 60, 0.12, 30),
    ("MUELLER", "Müller Maschinenbau GmbH", "manufacturing", "North", 9000, 10, 0.24, 900),
    ("YONYOU", "用友建材", "construction", "Asia", 8500, 9, 0.22, 850),
    ("NORDIC", "Nordic Steelworks", "manufacturing", "North", 3200, 14, 0.33, 60),
    ("KYOTO", "京都精密", "manufacturing", "Asia", 2400, 12, 0.35, 40),
    ("DELTA", "Delta Builders", "construction", "South", 2100, 12, 0.30, 45),
    ("SIGMA", "Σίγμα Τεχνική", "construction", "South", 1500, 8, 0.31, 30),
    ("SEVER", "Северсталь Трейд", "manufacturing", "East", 2800, 7, 0.27, 55),
    ("OBRIEN", "O'Brien & Sons", "retail", "West", 900, 10, 0.38, 15),
    ("SMITHJ", "Smith, Jones and Co", "public", "East", 1200, 6, 0.29, 20),
    ("CAFE", "Café Olé Équipements", "retail", "South", 600, 9, 0.40, 10),
]
OTHER_NAMES = [
    "Atlas Fabrication", "Beacon Utilities", "Cedar Homes", "Dunmore Council", "Eastgate Motors", "Fjord Marine",
    "Granite Works", "Harbor Logistics", "Ironbridge Rail", "Juniper Farms", "Keystone Plastics", "Lakeside Hospital",
    "Meridian Energy", "Northpoint Schools", "Orion Aerospace", "Pinecrest Builders", "Quarry Hill Stone", "Riverside Mills",
    "Summit Robotics", "Tidewater Port", "Union Foundry", "Valley Water", "Westfield Retail", "Yardley Timber",
    "Zenith Labs", "Alder Packaging", "Birch Electric", "Copper Canyon Mining", "Driftwood Hotels", "Elm Street Hardware",
    "Foxglove Textiles", "Glacier Cold Storage", "Hawthorn Clinics", "Indigo Printing", "Jasper County Roads",
    "Kestrel Drones", "Linden Breweries", "Maple Leaf Transit", "Nettle Organics", "Oakridge Prisons",
    "Poplar Auto Parts", "Quince Catering", "Rowan Shipyards", "Sorrel Paints", "Tamarack Paper",
    "Umber Ceramics", "Vetch Seeds", "Willow Care Homes", "Yew Defence",
]
SEGMENTS = ["manufacturing", "construction", "retail", "public"]
REGIONS = ["North", "South", "East", "West"]
MANAGERS = ["Ana Ruiz", "Ben Okafor", "Chen Wei", "Dora Klein"]


def day(offset):
    return START + dt.timedelta(days=offset)


def main():
    customers = []
    for (cid, name, segment, region, size, per_year, margin, qty) in NAMED:
        customers.append(dict(id=cid, name=name, segment=segment, region=region, size=size, per_year=per_year,
                              margin_rate=margin, qty=qty, start=0, stop=730))
    for k, name in enumerate(OTHER_NAMES):
        cid = "C%03d" % (k + 1)
        size = round(rng.lognormvariate(6.6, 0.6))
        per_year = max(1, round(rng.lognormvariate(1.6, 0.6)))
        start = 0 if k < 30 else rng.randrange(60, 600)   # the later ones were won during the two years
        stop = 730 if k % 7 else rng.randrange(200, 500)  # every seventh stopped buying
        customers.append(dict(id=cid, name=name, segment=SEGMENTS[k % 4], region=REGIONS[(k * 3) % 4], size=size,
                              per_year=per_year, margin_rate=round(rng.uniform(0.22, 0.40), 2),
                              qty=max(2, round(size / 40)), start=start, stop=stop))
    # A prospect won at a cost who has not bought yet.
    customers.append(dict(id="C050", name="Zephyr Wind Farms", segment="public", region="North", size=0, per_year=0,
                          margin_rate=0.3, qty=0, start=700, stop=700))

    transactions, activities, payments, interactions = [], [], [], []
    for c in customers:
        if c["per_year"] == 0:
            continue
        t = c["start"] + rng.randrange(0, 20)
        mean_gap = 365.0 / c["per_year"]
        invoices = {}
        while t < min(c["stop"], 730):
            amount = round(c["size"] * rng.lognormvariate(0, 0.35), 2)
            if c["id"] == "DELTA" and t > 365:
                amount = round(amount * (1 - (t - 365) / 900), 2)  # falling spend as they drift away
            qty = max(1, round(c["qty"] * amount / c["size"]))
            margin = round(amount * c["margin_rate"] * rng.uniform(0.9, 1.1), 2)
            product = PRODUCTS[rng.randrange(len(PRODUCTS))]
            d = day(t)
            transactions.append([c["id"], d.isoformat(), "%.2f" % amount, "%.2f" % margin, qty, product])
            activities.append([c["id"], d.isoformat(), "order_processing", 1])
            activities.append([c["id"], d.isoformat(), "delivery", 1])
            if c["id"] == "ACME":
                activities.append([c["id"], d.isoformat(), "rush_delivery", 2])
                activities.append([c["id"], d.isoformat(), "custom_packaging", 3])
                activities.append([c["id"], d.isoformat(), "support_call", 4])
                if rng.random() < 0.3:
                    activities.append([c["id"], d.isoformat(), "returns_handling", 2])
            elif rng.random() < 0.1:
                activities.append([c["id"], d.isoformat(), "support_call", 1])
            month = (d.year, d.month)
            invoices[month] = invoices.get(month, 0) + amount
            t += max(1, round(rng.expovariate(1 / mean_gap)))
        visits = 8 if c["id"] == "ACME" else (2 if c["size"] > 2000 else 1)
        for v in range(visits):
            vd = day(c["start"] + rng.randrange(0, max(1, min(c["stop"], 730) - c["start"])))
            activities.append([c["id"], vd.isoformat(), "sales_visit", 1])
        for i, ((y, m), total) in enumerate(sorted(invoices.items())):
            due = (dt.date(y + (m == 12), m % 12 + 1, 1) + dt.timedelta(days=29))
            if c["id"] == "DELTA":
                late = i * 4 + rng.randrange(0, 3)          # later and later
            else:
                late = max(-5, round(rng.gauss(2, 6)))
            paid = due + dt.timedelta(days=late)
            if paid > AS_OF or (c["id"] == "DELTA" and i >= len(invoices) - 2):
                paid_text = ""
            else:
                paid_text = paid.isoformat()
            if due <= AS_OF + dt.timedelta(days=60):
                payments.append([c["id"], due.isoformat(), paid_text, "%.2f" % total])

    def contact(cid, offset, channel, kind, note):
        interactions.append([cid, day(offset).isoformat(), channel, kind, note])

    for k in range(14):
        contact("ACME", 30 + k * 50, "phone", "complaint",
                ["late delivery", "wrong packaging", "invoice dispute", "missing items"][k % 4])
    contact("KYOTO", 120, "visit", "idea", "suggested returnable crates; adopted for all customers")
    contact("KYOTO", 400, "email", "idea", "proposed a shared forecast; cut stock-outs")
    contact("NORDIC", 200, "visit", "visit", "reference visit with two prospects")
    contact("NORDIC", 520, "event", "campaign", "case study at the trade fair")
    contact("DELTA", 600, "phone", "complaint", "asked for longer payment terms")
    contact("DELTA", 690, "email", "inquiry", "asked for a competitor's price match")
    contact("SMITHJ", 300, "email", "inquiry", "tender for 2025 framework, \"lot 3\"")
    contact("CAFE", 250, "web", "inquiry", "asked about espresso machine parts")
    for c in customers[11:30:3]:
        contact(c["id"], rng.randrange(60, 700), "email", "campaign", "spring catalogue")

    extra = {
        "ACME": dict(acquisition_cost=15000, wallet=260000, satisfaction=4, referrals=0, ideas=0),
        "MUELLER": dict(acquisition_cost=9000, wallet=150000, satisfaction=8, referrals=1, ideas=0),
        "YONYOU": dict(acquisition_cost=12000, wallet=140000, satisfaction=7, referrals=0, ideas=0),
        "NORDIC": dict(acquisition_cost=6000, wallet=70000, satisfaction=9, referrals=5, ideas=1, benchmark="true"),
        "KYOTO": dict(acquisition_cost=5000, wallet=60000, satisfaction=9, referrals=1, ideas=4, inspiration="true"),
        "DELTA": dict(acquisition_cost=4000, wallet=55000, satisfaction=5, referrals=0, ideas=0),
    }
    with open(os.path.join(HERE, "customers.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "segment", "region", "acquired_on", "acquisition_cost", "wallet", "satisfaction",
                    "referrals", "ideas", "benchmark", "inspiration", "account_manager", "employees"])
        for k, c in enumerate(customers):
            e = extra.get(c["id"], {})
            acquired = day(c["start"] - (0 if c["start"] else rng.randrange(100, 2000)))
            yearly = c["size"] * c["per_year"]
            w.writerow([
                c["id"], c["name"], c["segment"], c["region"], acquired.isoformat(),
                e.get("acquisition_cost", round(rng.uniform(800, 4000), -1)),
                e.get("wallet", round(yearly * rng.uniform(1.3, 3.5), -2) if yearly else 40000),
                e.get("satisfaction", rng.randrange(5, 10)),
                e.get("referrals", rng.choice([0, 0, 0, 1, 2])),
                e.get("ideas", 0),
                e.get("benchmark", "false"), e.get("inspiration", "false"),
                MANAGERS[k % 4], rng.choice([12, 40, 85, 150, 400, 1200]),
            ])
    for file, header, rows in [
        ("transactions.csv", ["customer_id", "date", "amount", "margin", "quantity", "product"], transactions),
        ("activities.csv", ["customer_id", "date", "activity", "quantity"], activities),
        ("activity_rates.csv", ["activity", "unit_cost"], [[k, "%.2f" % v] for k, v in RATES.items()]),
        ("payments.csv", ["customer_id", "due", "paid", "amount"], payments),
        ("interactions.csv", ["customer_id", "date", "channel", "kind", "note"], interactions),
    ]:
        with open(os.path.join(HERE, file), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(sorted(rows, key=lambda r: (r[1], r[0])) if file != "activity_rates.csv" else rows)
    dims = ["people", "process", "product", "price", "service", "location", "servicescape", "communication"]
    with open(os.path.join(HERE, "valuestar.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["segment", "dimension", "importance", "score", "competitor_score"])
        for s in SEGMENTS:
            for d in dims:
                w.writerow([s, d, rng.randrange(1, 6), rng.randrange(4, 10), rng.randrange(4, 10)])
    with open(os.path.join(HERE, "snapshot.json"), "w", encoding="utf-8") as f:
        json.dump({
            "name": "acme",
            "as_of": AS_OF.isoformat(),
            "currency": "EUR",
            "description": "Brightline Supply, an industrial distributor: 60 business customers, 2023-2024. "
                           "Acme Corp is the biggest by revenue.",
            "discount_rate": 0.10,
            "margin_rate": 0.30,
            "fixed_costs": 120000,
        }, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()

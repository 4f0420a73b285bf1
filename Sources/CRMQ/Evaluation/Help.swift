/// `help [topic]`: what each command does, its syntax and an example; the fields and what
/// they mean; how expressions are written.
enum Help {
    struct Entry {
        var topic: String
        var syntax: String
        var summary: String
        var example: String

        /// The summary's first sentence, for the overview.
        var brief: String {
            guard let end = summary.range(of: ". ") else { return summary.hasSuffix(".") ? String(summary.dropLast()) : summary }
            return String(summary[..<end.lowerBound])
        }
    }

    static let entries: [Entry] = [
        Entry(topic: "load", syntax: "load \"DIR\" [as NAME] [as of DATE]",
              summary: "Load a snapshot directory and use it: customers.csv, transactions.csv and the optional files. "
                + "With `as of`, rows dated later are set aside, as if the snapshot were taken that day.",
              example: "load \"examples/acme\" as acme as of 2024-06-30"),
        Entry(topic: "use", syntax: "use NAME", summary: "Make a loaded snapshot the one statements ask.", example: "use acme"),
        Entry(topic: "snapshots", syntax: "snapshots", summary: "List the loaded snapshots; * marks the one in use.", example: "snapshots"),
        Entry(topic: "customers", syntax: "customers [in SEGMENT] [where EXPR] [order by EXPR [asc|desc], …] [limit N] [show EXPR [as NAME], …]",
              summary: "List customers: those of a named segment and/or meeting a condition, sorted, cut, with the columns you ask for.",
              example: "customers where revenue > 10k order by profit desc limit 5 show id, name, revenue, profit"),
        Entry(topic: "count", syntax: "count [in SEGMENT] [where EXPR]", summary: "How many customers meet the condition.",
              example: "count where days_since > 180"),
        Entry(topic: "segment", syntax: "segment where EXPR [as NAME]\nsegment by EXPR [in SEGMENT] [where EXPR] [show AGGREGATE [as NAME], …]",
              summary: "Sum up a group of customers, or every value of a field. `segment where` gives the customers meeting a "
                + "condition (customers, revenue, margin, profit and their shares of the whole) and, with `as`, names the segment "
                + "for later (`customers in NAME`). `segment by` makes one row per value of a field; `show` picks the aggregates: "
                + "count, sum(f), avg(f), min(f), max(f), median(f), share(f).",
              example: "segment by region show count, sum(revenue), share(profit), median(aov)"),
        Entry(topic: "segments", syntax: "segments", summary: "List the named segments, their conditions and their size in the snapshot in use.",
              example: "segments"),
        Entry(topic: "profile", syntax: "profile ID|NAME",
              summary: "The 360° view of one customer. Every field, the latest transactions, cost to serve by activity, "
                + "interactions and payments. Quote a name with spaces.",
              example: "profile \"Acme Corp\""),
        Entry(topic: "fit", syntax: "fit [bgnbd|paretonbd|gammagamma] [in SEGMENT] [where EXPR]",
              summary: "Fit the lifetime-value models by maximum likelihood. BG/NBD for how many purchases a customer makes and "
                + "when they drop out, Gamma-Gamma for how much they spend; parameters with standard errors, the log-likelihood "
                + "(time in weeks), customers used and iterations.",
              example: "fit bgnbd where segment = 'retail'"),
        Entry(topic: "clv", syntax: "clv for ID|NAME [model bgnbd|paretonbd|simple] [horizon N months] [discount R%]",
              summary: "One customer's lifetime value and its parts. P(alive), expected purchases and spend, margin ratio, "
                + "and month by month the expected purchases, discount factor and value. clv, p_alive, expected_purchases and "
                + "expected_spend are also fields: customers order by clv desc.",
              example: "clv for ACME horizon 24 months"),
        Entry(topic: "portfolio", syntax: "portfolio [in SEGMENT] [where EXPR]",
              summary: "Customer portfolio analysis: profitable now (profit > 0) against potential (clv at or above the median, "
                + "or set potential_threshold). Invest, nurture, re-engineer and sack, with customers, revenue, profit and clv "
                + "and their shares, and a 2×2 grid. portfolio is also a field.",
              example: "portfolio where region = 'North'"),
        Entry(topic: "pareto", syntax: "pareto [by profit|revenue|clv] [in SEGMENT] [where EXPR]",
              summary: "The whale curve. Customers ranked by profit (or revenue, or clv), the share of the total held by the "
                + "top 1, 5, 10, 20 and 50%, the peak of the cumulative curve and where it peaks, and what the customers "
                + "below zero destroy, with a chart.",
              example: "pareto by profit"),
        Entry(topic: "ssc", syntax: "ssc [in SEGMENT] [where EXPR]",
              summary: "The strategically significant customers. High lifetime value (clv in the top 20%), benchmarks "
                + "(benchmark true or 3+ referrals), inspirations (inspiration true or 1+ idea) and cost magnets (10%+ of all "
                + "units, else revenue), each with the evidence and, given fixed_costs, the fixed cost they absorb.",
              example: "ssc"),
        Entry(topic: "rfm", syntax: "rfm [in SEGMENT] [where EXPR]",
              summary: "RFM segments. Recency, frequency and monetary scores 1–5 by quintiles, the named segments with "
                + "customers and revenue, and the recency × frequency grid. rfm, rfm_segment and the scores are fields.",
              example: "rfm"),
        Entry(topic: "explain", syntax: "explain clv for X | explain p_alive for X | explain fit",
              summary: "How a figure is computed. The formula in words and symbols, then this data's numbers put in step by "
                + "step, so that it can be redone by hand.",
              example: "explain clv for ACME"),
        Entry(topic: "validate", syntax: "validate [bgnbd|paretonbd] [holdout DATE]",
              summary: "Compare the model's predictions with what happened after as_of. Load a snapshot as of an earlier day; "
                + "the later transactions are the holdout. Predicted against actual repeat purchase days in total, by "
                + "calibration frequency 0 to 7+, and cumulatively week by week, with a chart.",
              example: "load \"examples/cdnow-sample\" as of 1997-09-30; validate"),
        Entry(topic: "set", syntax: "set discount = RATE | horizon = N months | model = bgnbd|paretonbd|simple | potential_threshold = AMOUNT|median",
              summary: "Change an assumption of the models and analytics. `settings` shows them all and where each comes from.",
              example: "set discount = 8%"),
        Entry(topic: "settings", syntax: "settings", summary: "Show the settings in force and where each comes from: default, snapshot.json or set.",
              example: "settings"),
        Entry(topic: "save", syntax: "save to \"FILE\"",
              summary: "Write the last result to a file. A name ending in .json writes JSON, .md Markdown, anything else CSV.",
              example: "save to \"big-customers.csv\""),
        Entry(topic: "help", syntax: "help [TOPIC]", summary: "This help. Topics: any command, fields, expressions, dot.", example: "help segment"),
        Entry(topic: "dot", syntax: ".mode table|csv|json|markdown   .timer on|off   .read FILE   .maxrows N   .last   .quit",
              summary: "Commands of the shell itself. The output format, timing each statement, running a script file, "
                + "how many rows a table shows on a terminal (0: all), the whole last result in a pager, leaving.",
              example: ".mode markdown"),
    ]

    static let expressions = """
        Values     10000  10k  2.5m  5%  'text' or "text"  2024-06-30  true  false  null
        Arithmetic + - * /   (date + 30 is 30 days later; date - date is days)
        Compare    = != < <= > >=
        Logic      and  or  not
        Tests      x in (a, b)   x between a and b   name like 'Acme%' (% any text, _ one letter)   x is [not] null
        Aggregates count  sum(f)  avg(f)  min(f)  max(f)  median(f)  share(f)   (in segment by … show)
        A statement ends at a newline or `;`. It goes on over lines inside parentheses, after an operator,
        and when the next line starts with where, order, limit, show, and or or.
        `--` starts a comment. Keywords are case-insensitive; fields are lower case.
        """

    static func result(_ topic: String?, fields: [Field], at range: SourceRange) throws(Diagnostic) -> StatementResult {
        guard let topic = topic?.lowercased() else { return StatementResult([.message(overview)]) }
        switch topic {
        case "fields", "field":
            return StatementResult([.table(ResultTable(title: "fields", columns: [
                ResultColumn("field", .text(TextColumn(fields.map(\.name)))),
                ResultColumn("type", .text(TextColumn(fields.map(\.type.rawValue)))),
                ResultColumn("meaning", .text(TextColumn(fields.map(\.definition)))),
            ]))])
        case "expressions", "expression", "expr": return .message(expressions)
        default:
            let word = topic.hasPrefix(".") ? "dot" : String(topic.split(separator: " ").first ?? "")
            guard let entry = entries.first(where: { $0.topic == word }) else {
                throw Diagnostic(
                    "no help on `\(topic)`", at: range,
                    hint: Suggestion.hint(for: word, in: entries.map(\.topic) + ["fields", "expressions"]) ?? "`help` lists the topics")
            }
            return .message("\(entry.syntax)\n\n\(entry.summary)\n\nexample: \(entry.example)")
        }
    }

    static var overview: String {
        let width = entries.map(\.topic.count).max() ?? 0
        var lines = ["crmq asks a snapshot of customers and transactions questions about customer value.", ""]
        for entry in entries {
            lines.append("  " + entry.topic + String(repeating: " ", count: width - entry.topic.count + 2) + entry.brief)
        }
        lines += ["", "help TOPIC for more, help fields for the fields, help expressions for how to write conditions."]
        return lines.joined(separator: "\n")
    }
}

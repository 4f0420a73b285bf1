/// The ideas of customer management that crmq serves, for `help concepts` and `help concept
/// NAME`: each in a few plain lines, with the statements that show it on bundled data and
/// the lesson in `examples/lessons/` that walks through it with a class. The statements are
/// run by the tests on the data named, so an example here cannot go stale.
enum Concept: String, CaseIterable, Sendable {
    case valueChain = "value-chain"
    case valueCreation = "value-creation"
    case idic
    case qci
    case customerValueManagement = "value-map"
    case deliveredValue = "delivered-value"
    case assetPerspectives = "asset-perspectives"
    case porter = "porter"
    case whaleCurve = "whale-curve"
    case retentionEconomics = "retention-economics"

    var name: String { rawValue }

    var title: String {
        switch self {
        case .valueChain: "The CRM value chain"
        case .valueCreation: "The value creation process"
        case .idic: "IDIC: identify, differentiate, interact, customize"
        case .qci: "The QCi customer management model"
        case .customerValueManagement: "Customer value management and the customer value map"
        case .deliveredValue: "Customer delivered value"
        case .assetPerspectives: "Three customer asset management perspectives"
        case .porter: "Porter's value chain and the external value chain"
        case .whaleCurve: "The 80/20 rule and the whale curve"
        case .retentionEconomics: "Retention economics"
        }
    }

    var source: String {
        switch self {
        case .valueChain: "Buttle, Customer Relationship Management (2004)"
        case .valueCreation: "Payne & Frow, A Strategic Framework for CRM (2005)"
        case .idic: "Peppers & Rogers, Managing Customer Relationships (2004)"
        case .qci: "QCi, the Customer Management Assessment Tool (CMAT)"
        case .customerValueManagement: "Gale, Managing Customer Value (1994)"
        case .deliveredValue: "Kotler, Marketing Management"
        case .assetPerspectives: "customer asset management: the sales, relationship and asset views"
        case .porter: "Porter, Competitive Advantage (1985)"
        case .whaleCurve: "Pareto; Kaplan & Cooper, Cost & Effect (1998)"
        case .retentionEconomics: "Reichheld & Sasser, Zero Defections (1990)"
        }
    }

    /// The idea, in a few plain lines.
    var idea: [String] {
        switch self {
        case .valueChain: [
            "CRM is a chain of five steps that ends in profitable relationships with the customers that matter:",
            "1. customer portfolio analysis: sort customers by profit potential, not volume (invest, nurture, re-engineer, sack);",
            "2. customer intimacy: know each customer's who, what, when and how much (the 360° profile);",
            "3. network development: staff, suppliers and partners lined up behind the chosen customers;",
            "4. value proposition development: the value star, eight sources of value against the competitor's;",
            "5. managing the relationship: acquisition, retention and development plans, measured.",
        ]
        case .valueCreation: [
            "Value runs both ways. The value the customer receives is the proposition: what they get",
            "against what it costs them, judged against the competitor. The value the organisation receives",
            "is the customer's lifetime value: margin over the relationship, less what winning and serving cost.",
            "The exchange is managed to maximise the lifetime value of the desirable segments: spend on",
            "winning and keeping a segment's customers only what their value repays.",
        ]
        case .idic: [
            "Four tasks of one-to-one relationships:",
            "Identify each customer (one id across every channel and table);",
            "Differentiate them by their value to the company and by their needs;",
            "Interact with them, and remember what was said (complaints, ideas, satisfaction);",
            "Customize what the company does for each one: the plan for this customer, not the average.",
        ]
        case .qci: [
            "QCi's model rates how a company manages customers in areas that each create or destroy value:",
            "analysis and planning, the proposition, people and organisation, information and technology,",
            "processes, customer management activity (acquisition, retention, development, recovery),",
            "the customer experience, and measurement. Value is destroyed by not knowing which customers",
            "to keep, by costs that do not match revenue, and by measuring nothing. Score what the data shows;",
            "an area the data cannot see is a question for the class, not a number.",
        ]
        case .customerValueManagement: [
            "Customers buy the best value, not the best product: quality as they perceive it, for the price.",
            "The customer value map puts relative perceived quality (our importance-weighted scores against",
            "the competitor's, price left out) across and relative price up. On the fair-value line the",
            "better quality costs proportionally more; below it is better value, which wins share; above it",
            "is worse value, which loses it. Moving right (quality) or down (price) are the two ways to gain.",
        ]
        case .deliveredValue: [
            "Customer delivered value = total customer value − total customer cost.",
            "Total value: the product, the services, the people and the image the customer gets.",
            "Total cost: the money paid, and the time, energy and worry of buying and using.",
            "A customer buys from whoever delivers the most; a company raises it by adding value",
            "or by cutting the customer's cost, in money or in effort.",
        ]
        case .assetPerspectives: [
            "Three ways a customer manager can see a customer:",
            "sales: a source of revenue this period: sell more of the same, protect price and margin;",
            "relationship: a partner: trust, share of the customer's wallet, satisfaction over time;",
            "asset: an investment with a value and a risk: lifetime value, how sure we are of it,",
            "and how much of the book's value rests on a few customers.",
        ]
        case .porter: [
            "A firm is a chain of activities: primary (inbound logistics, operations, outbound logistics,",
            "marketing and sales, service) and support (infrastructure, people, technology, procurement).",
            "Margin is what customers pay less what the activities cost. Activity-based costing traces",
            "those costs to each customer: the cost to serve. The external value chain runs from suppliers",
            "through the firm and its channels to the customer's own chain; the data here sees the customer end.",
        ]
        case .whaleCurve: [
            "A few customers make most of the money: 80/20 is the rule of thumb, and data decides the split.",
            "Ranked by profit, the cumulative profit rises above 100% of the total, peaks, and falls back:",
            "the whale curve. The customers after the peak destroy profit; often 150–300% of the total is",
            "earned by the best and given back by the worst. Revenue hides this: volume is not value.",
        ]
        case .retentionEconomics: [
            "Keeping a customer is worth more each year: spend grows, serving costs fall, they refer others,",
            "and price matters less. Reichheld and Sasser found five points more retention raised profits",
            "by 25% to 85% in the businesses they studied. A lifetime value model shows why: a higher",
            "retention rate lengthens every relationship at once, and the gain compounds.",
        ]
        }
    }

    /// The statements that show the idea, all of which run on `data`.
    var statements: [String] {
        switch self {
        case .valueChain: [
            "portfolio", "profile ACME", "ssc", "valuestar", "plan retention for ACME",
        ]
        case .valueCreation: [
            "valuestar", "segment by segment show count, avg(clv), avg(acquisition_cost)", "plan acquisition for segment retail",
        ]
        case .idic: [
            "describe", "rfm", "portfolio", "profile ACME", "plan development for ACME",
        ]
        case .qci: [
            "scorecard", "scorecard where segment = 'retail'", "segment by portfolio show count, sum(revenue), sum(profit)", "credit",
        ]
        case .customerValueManagement: [
            "valuestar", "valuemap", "valuemap for segment retail",
        ]
        case .deliveredValue: [
            "valuestar for segment retail", "valuemap for segment retail",
        ]
        case .assetPerspectives: [
            "segment by region show sum(revenue)",
            "segment by segment show avg(share_of_wallet), avg(satisfaction)",
            "assets", "assets where portfolio = 'invest'",
        ]
        case .porter: [
            "segment by segment show sum(revenue), sum(margin), sum(cost_to_serve), sum(profit)",
            "customers order by cost_to_serve desc limit 5",
            "whatif cost_to_serve -10% where cost_to_serve > 10k",
        ]
        case .whaleCurve: [
            "pareto by revenue", "pareto", "customers where profit < 0 order by profit",
        ]
        case .retentionEconomics: [
            "segment by portfolio show count, sum(clv)", "whatif retention +5%", "whatif retention -5%",
        ]
        }
    }

    /// The bundled data the statements run on, as a path from the repository's root.
    var data: String { "examples/acme" }

    /// The lesson that walks a class through it.
    var lesson: String {
        let number = String(Self.allCases.firstIndex(of: self)! + 1)
        return "examples/lessons/" + String(repeating: "0", count: 2 - number.count) + number + "-" + rawValue + ".crmq"
    }

    /// `help concept NAME`: the idea, then the statements to try and the lesson.
    var explanation: String {
        var lines = ["\(title) — \(source)", ""] + idea + ["", "On \(data):"]
        lines += statements.map { "  " + $0 }
        lines += ["", "Lesson: \(lesson)"]
        return lines.joined(separator: "\n")
    }

    /// A concept by its name, ignoring case; `value map` and `value_map` read as `value-map`.
    static func named(_ text: String) -> Concept? {
        let key = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).joined(separator: "-")
        return Self(rawValue: key)
    }
}

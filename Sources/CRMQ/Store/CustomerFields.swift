/// The customer fields the product defines (PRODUCT.md §2 and §3), with what each means.
/// `help fields` and `explain` read these definitions; tests hold the code to them. Code
/// names a field by these constants (`customers.numbers(CustomerFields.revenue)`), so that
/// a misspelt field is a compile error, never an empty column.
public enum CustomerFields {
    static let id = Field("id", .text, "the customer's id, unique in the snapshot")
    static let name = Field("name", .text, "the customer's name")
    static let segment = Field("segment", .text, "the segment the company puts the customer in")
    static let region = Field("region", .text, "the customer's region")
    static let acquiredOn = Field("acquired_on", .date, "the day the customer was won")
    static let acquisitionCost = Field("acquisition_cost", .number, unit: .money, "what winning the customer cost")
    static let wallet = Field("wallet", .number, unit: .money, "the customer's yearly spend in the category, with all suppliers")
    static let satisfaction = Field("satisfaction", .number, unit: .score, "satisfaction score, 0 to 10")
    static let referrals = Field("referrals", .number, unit: .count, "customers this one referred")
    static let ideas = Field("ideas", .number, unit: .count, "ideas or complaints that improved the company")
    static let benchmark = Field("benchmark", .bool, "other customers copy this one")
    static let inspiration = Field("inspiration", .bool, "this customer's ideas improve the company")

    /// The columns of customers.csv the product knows; any other column is kept with the type its values have.
    public static let attributes: [Field] = [
        id, name, segment, region, acquiredOn, acquisitionCost, wallet, satisfaction, referrals, ideas, benchmark, inspiration,
    ]

    static func attribute(_ name: String) -> Field? { attributes.first { $0.name == name } }

    static let orders = Field("orders", .number, unit: .count, "purchases up to as_of: rows with an amount ≥ 0 (a negative one is a return)")
    static let revenue = Field("revenue", .number, unit: .money, "sum of amount over transactions up to as_of, returns (negative amounts) taken off")
    static let margin = Field(
        "margin", .number, unit: .money,
        "sum of gross margin up to as_of: the margin column, else amount × margin_rate; null when neither is known")
    static let firstPurchase = Field("first_purchase", .date, "day of the first purchase")
    static let lastPurchase = Field("last_purchase", .date, "day of the latest purchase up to as_of")
    static let frequency = Field(
        "frequency", .number, unit: .count, "repeat purchases: distinct purchase days − 1 (same-day purchases are one)")
    static let recency = Field("recency", .number, unit: .weeks, "(last − first purchase day) / 7, in weeks")
    static let age = Field("age", .number, unit: .weeks, "(as_of − first purchase day) / 7, in weeks: the models' T")
    static let monetary = Field(
        "monetary", .number, unit: .money, "mean amount of the repeat purchase days; 0 when frequency = 0")
    static let daysSince = Field("days_since", .number, unit: .days, "as_of − last purchase day, in days")
    static let aov = Field("aov", .number, unit: .money, "average order value: revenue / orders")
    static let costToServe = Field(
        "cost_to_serve", .number, unit: .money, "Σ activity quantity × unit cost (activity-based costing); 0 without activities.csv")
    static let profit = Field("profit", .number, unit: .money, "margin − cost_to_serve")
    static let shareOfWallet = Field(
        "share_of_wallet", .number, unit: .ratio, "revenue in the 52 weeks to as_of / wallet; null without a wallet")

    public static let derived: [Field] = [
        orders, revenue, margin, firstPurchase, lastPurchase, frequency, recency, age, monetary, daysSince, aov,
        costToServe, profit, shareOfWallet,
    ]

    /// A histogram's row: the customers it stands for (a weighted summary of more than
    /// crmq holds a row each).
    static let weight = Field("weight", .number, unit: .count, "customers this row of a histogram stands for")

    // A summary made where the data lives (`summary sql`) carries what a snapshot's other
    // tables would give: the 52 weeks' revenue compare counts, and the payment facts.
    static let revenue52Weeks = Field("revenue_52_weeks", .number, unit: .money, "revenue in the 52 weeks to as_of (of a summary made by summary sql)")
    static let invoices = Field("invoices", .number, unit: .count, "invoices due up to as_of")
    static let invoicesOnTime = Field("invoices_on_time", .number, unit: .count, "invoices paid by their due date, or not yet due")
    static let daysLate = Field("days_late", .number, unit: .days, "days late over all invoices: max(0, (paid, or as_of if unpaid) − due), summed")
    static let invoicesUnpaid = Field("invoices_unpaid", .number, unit: .count, "invoices unpaid on as_of")
    static let invoiced = Field("invoiced", .number, unit: .money, "amount invoiced")
    static let unpaid = Field("unpaid", .number, unit: .money, "amount unpaid on as_of")
    static let invoicesRecent = Field("invoices_recent", .number, unit: .count, "paid invoices due in the 26 weeks to as_of")
    static let daysLateRecent = Field("days_late_recent", .number, unit: .days, "their days late, summed")
    static let invoicesBefore = Field("invoices_before", .number, unit: .count, "paid invoices due in the 26 weeks before those")
    static let daysLateBefore = Field("days_late_before", .number, unit: .days, "their days late, summed")

    /// The payment facts credit scores are made of, as a summary gives them.
    static let paymentFacts: [Field] = [
        invoices, invoicesOnTime, daysLate, invoicesUnpaid, invoiced, unpaid, invoicesRecent, daysLateRecent, invoicesBefore, daysLateBefore,
    ]
}

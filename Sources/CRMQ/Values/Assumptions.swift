/// The ranges the assumptions behind the models may take, wherever they are given: `set`,
/// `clv for X discount …` and a snapshot's `snapshot.json` check against the same ones.
public enum Assumptions {
    /// A yearly discount rate, as a fraction: 0 (none) up to, not including, 1 (100%).
    public static let discountRate = 0.0..<1.0
    /// Margin as a share of the amount.
    public static let marginRate = 0.0...1.0

    /// How each is written in an error.
    static let discountRateText = "a discount rate is from 0% to under 100%"
    static let marginRateText = "a margin rate is a share of the amount, from 0 to 1"
}

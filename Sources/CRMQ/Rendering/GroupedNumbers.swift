/// Numbers for people: grouped by thousands and rounded. Only Rendering shows numbers this
/// way; everything above it hands over `Prose` and the number.
extension NumberText {
    /// A count with its noun, plural unless one: "1 customer", "12,345 customers".
    public static func counted(_ value: Int, _ noun: String) -> String {
        grouped(value) + " " + noun + (value == 1 ? "" : "s")
    }

    /// `1234567` as `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// Rounded to `decimals` places (half away from zero) and grouped: `1,234.50`.
    public static func grouped(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return "\(value)" }
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = grouped(whole)
        if decimals > 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return value < 0 && scaled != 0 ? "-" + text : text
    }
}

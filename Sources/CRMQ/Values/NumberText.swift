/// Numbers as exact, locale-free text: what JSON, CSV and printed source use.
public enum NumberText {
    /// Whole numbers without a fraction (`12`), others in the shortest form that reads back
    /// to the same double (`0.1`, `1234.5`). Non-finite values have no text: callers print null.
    public static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}

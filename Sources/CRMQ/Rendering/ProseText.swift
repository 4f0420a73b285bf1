/// Prose as a person reads it: each figure shown as its unit is shown in a table.
public enum ProseText {
    public static func display(_ prose: Prose) -> String {
        prose.pieces.map {
            switch $0 {
            case .text(let t): t
            case .number(let v, let unit): ValueText.display(v, unit: unit)
            case .exact(let v): v.isFinite ? NumberText.plain(v) : ValueText.null
            case .fixed(let v, let decimals): v.isFinite ? NumberText.grouped(v, decimals: decimals) : ValueText.null
            }
        }.joined()
    }
}

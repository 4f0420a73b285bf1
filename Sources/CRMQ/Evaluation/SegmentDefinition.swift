/// A named segment: the condition it was made with, kept as an expression so that it can
/// be asked of any loaded snapshot (`customers in vip`, `count in vip`).
public struct SegmentDefinition: Sendable {
    public var name: String
    public var condition: Expr
}

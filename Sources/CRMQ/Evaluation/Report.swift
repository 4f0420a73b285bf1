/// A document made of statements' answers for people who will not sit at the prompt: each
/// section a heading, one sentence of what it shows (computed from the data) and the tables
/// and charts behind it. `report … to FILE` writes it as HTML (`HTMLReport`) or Markdown
/// (`MarkdownReport`).
public struct Report: Sendable {
    public struct Section: Sendable {
        public var title: String
        public var sentence: Prose
        public var blocks: [ResultBlock]
    }

    public var title: String
    /// What the report is of: the snapshot, its date, the customers chosen.
    public var facts: [Prose]
    public var sections: [Section]
    /// Sections left out and why (no payments, no holdout), so that a reader knows they were considered.
    public var omitted: [Prose]
}

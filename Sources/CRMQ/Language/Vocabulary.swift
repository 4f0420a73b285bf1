/// The closed sets of words the language takes: each is an enum, so that a misspelling is
/// an error at the word (`Parser.choice`) and a new word is one new case. The statements
/// that take them say which; the evaluation switches over them exhaustively.

/// `plan retention|acquisition|development for …`
public enum PlanKind: String, Sendable, CaseIterable {
    case retention, acquisition, development
}

/// What `whatif` changes.
public enum WhatIfLever: String, Sendable, CaseIterable {
    case retention, discount
    case costToServe = "cost_to_serve"
}

/// What `pareto by …` ranks customers by.
public enum ParetoMeasure: String, Sendable, CaseIterable {
    case profit, revenue, clv
}

/// Which customers `compare A B show …` lists.
public enum ComparisonList: String, Sendable, CaseIterable {
    case retained, lost, new
}

/// What `explain` explains.
public enum ExplainTopic: String, Sendable, CaseIterable {
    case clv
    case pAlive = "p_alive"
    case fit, portfolio, ssc, rfm, credit, pareto, plan, whatif, valuestar, compare
}

/// The tables of a snapshot, as `describe TABLE` names them.
public enum SnapshotTable: String, Sendable, CaseIterable {
    case customers, transactions, activities, activityRates = "activity_rates", payments, interactions
}

/// The value-chain fields (PRODUCT.md §5), computed on first use by `AnalyticsStore` and
/// `CustomerScope`. A case per field, so that every lookup is exhaustive.
enum AnalyticsField: String, CaseIterable {
    case portfolio, rfm
    case rfmSegment = "rfm_segment"
    case rScore = "r_score"
    case fScore = "f_score"
    case mScore = "m_score"
    case creditScore = "credit_score"
    case creditGrade = "credit_grade"

    var field: Field {
        switch self {
        case .portfolio:
            Field(rawValue, .text, "invest, nurture, re-engineer or sack: profit > 0 now, clv above the threshold (median clv unless set)")
        case .rfm: Field(rawValue, .text, "the three RFM scores as digits, like 545")
        case .rfmSegment: Field(rawValue, .text, "the first RFM segment the scores fall in (Champions, Loyal Customers, … Lost), else Others")
        case .rScore: Field(rawValue, .number, unit: .score, "recency score 1–5: 1 + its cuts below −days_since (the \(RFM.quantilesText) quantiles unless set)")
        case .fScore: Field(rawValue, .number, unit: .score, "frequency score 1–5: 1 + its cuts below orders")
        case .mScore: Field(rawValue, .number, unit: .score, "monetary score 1–5: 1 + its cuts below revenue")
        case .creditScore: Field(rawValue, .number, unit: .score, "0–100 from payments: on-time share, mean days late, unpaid share, \(Credit.trendWindowWeeks)-week trend")
        case .creditGrade: Field(rawValue, .text, "from credit_score: \(Credit.gradeRule); none without invoices")
        }
    }
}

/// What work on every customer asks of memory, checked before it starts: Swift stops the
/// program when an allocation fails, so a statement that cannot fit under the process's
/// limits (`ulimit -v`, `ulimit -d`) is refused, saying how much it needs, and the session
/// and its snapshots go on. The same rule as a load's (`MemoryBudget`), after it.
///
/// Each need is the address space the work adds at its peak, per customer, measured on the
/// benchmark's million customers reopened from a snapshot file (VmPeak before and after, less
/// the 72 MB a first parallel step reserves for a thread's stack and malloc arena, which
/// `MemoryBudget.headroom` covers), then rounded up by a quarter or more:
///
///     fit bgnbd, fit paretonbd     +143 MB    ->  (143 - 72) B a customer, 100 taken
///     count where clv > 1          +218 MB    ->  146 B (the fit and the fields), 200 taken
///     count where clv_low > 1      +265 MB    ->  193 B (fit, fields, intervals), 250 taken
///     validate (transactions read) +313 MB    ->  241 B, 320 taken
///     report to "r.html"           +612 MB    ->  540 B, 700 taken
enum WorkMemory: Int {
    /// A purchase model's fit: the histories and their patterns, the gradient's pieces.
    case fit = 100
    /// P(alive), expected purchases and spend, margin and clv of every customer, the fits
    /// they need included (`clv`).
    case modelFields = 200
    /// Their intervals (`clv_low`, `p_alive_high`), with the fields they widen.
    case intervals = 250
    /// `validate`: the model fitted again on the calibration period, and its predictions.
    case validation = 320
    /// `report`: every section's figures and charts of the whole book.
    case report = 700

    /// What the work is called in the error.
    private var what: String {
        switch self {
        case .fit: "fitting the model"
        case .modelFields: "the model fields of every customer"
        case .intervals: "the intervals of every customer"
        case .validation: "validating the model"
        case .report: "the report"
        }
    }

    /// Refuses the work on `customers` when the process's limits leave too little for it.
    func check(customers: Int) throws(Diagnostic) {
        let need = customers * rawValue + MemoryBudget.headroom
        guard let short = MemoryBudget.shortfall(need) else { return }
        throw Diagnostic(
            "\(what) needs about \(need >> 20) MB of memory for \(customers) customers, and \(short): nothing was changed",
            hint: "raise the limit, or load fewer customers (load … where …)")
    }
}

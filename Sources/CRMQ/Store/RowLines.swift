/// The line of the file each row begins on, for the messages that name a row after the read
/// (a duplicate id, a negative quantity, a `where` that fails on it). Kept as runs: in most
/// files each row is one line, so a run is its first row and that row's line, and the rows
/// after it are on the lines after it; only a row that begins further on (after a blank line,
/// or after a quoted field over several lines) starts a new run. A file of millions of rows
/// thus costs a few bytes, not four a row.
struct RowLines {
    /// Each run's first row, and its line.
    private var runRows: [Int32] = []
    private var runLines: [Int32] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The next row begins on `line`.
    @inline(__always)
    mutating func append(_ line: Int) {
        if let row = runRows.last, let first = runLines.last, Int(first) + (count - Int(row)) == line {
            count += 1
            return
        }
        runRows.append(Int32(truncatingIfNeeded: count))
        runLines.append(Int32(truncatingIfNeeded: line))
        count += 1
    }

    /// The rows of `other` after these.
    mutating func append(contentsOf other: RowLines) {
        runRows.append(contentsOf: other.runRows.map { $0 &+ Int32(truncatingIfNeeded: count) })
        runLines.append(contentsOf: other.runLines)
        count += other.count
    }

    /// Every row's line moved on by `offset`: a piece that counted its lines from 1 put in
    /// the file's count.
    mutating func move(by offset: Int) {
        for k in runLines.indices { runLines[k] &+= Int32(truncatingIfNeeded: offset) }
    }

    /// The line row `row` begins on.
    subscript(row: Int) -> Int {
        precondition(row >= 0 && row < count, "row \(row) of \(count)")
        // The last run that starts at or before the row.
        var low = 0, high = runRows.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if Int(runRows[middle]) <= row { low = middle } else { high = middle }
        }
        return Int(runLines[low]) + row - Int(runRows[low])
    }

    /// The lines of `rows`, in that order.
    func picking(_ rows: [Int]) -> RowLines {
        var picked = RowLines()
        for row in rows { picked.append(self[row]) }
        return picked
    }
}

import Testing
@testable import CRMQ

/// The lines rows begin on, kept as runs of one row a line.
@Suite struct RowLinesTests {
    /// Rows on lines 2, 3, 4, then a blank line, then 6, 7, then a row over two lines (8–9),
    /// then 10: three runs, and each row's line as it was appended.
    @Test func each_row_keeps_its_line() {
        let written = [2, 3, 4, 6, 7, 8, 10]
        var lines = RowLines()
        for line in written { lines.append(line) }
        #expect(lines.count == written.count)
        #expect(written.indices.map { lines[$0] } == written)
        #expect(lines.picking([6, 0, 3]).count == 3)
        let picked = lines.picking([6, 0, 3])
        #expect([picked[0], picked[1], picked[2]] == [10, 2, 6])
    }

    /// A later piece counts from 1: moved by the line before its first, 4 here (its line 1
    /// is the file's line 5), then appended.
    @Test func a_later_piece_moves_on() {
        var first = RowLines()
        for line in [2, 3, 4] { first.append(line) }
        var later = RowLines()
        for line in [1, 2, 4] { later.append(line) }
        later.move(by: 4)
        first.append(contentsOf: later)
        #expect((0..<first.count).map { first[$0] } == [2, 3, 4, 5, 6, 8])
    }
}

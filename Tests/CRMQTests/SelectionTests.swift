import Testing
@testable import CRMQ

/// The fast paths (quickselect medians, a bounded heap for `order by … limit`) agree with
/// the obvious slow ones on random data.
@Suite struct SelectionTests {
    @Test func quickselect_median_equals_the_sorted_median() {
        var random = SplitMix(seed: 11)
        for n in [1, 2, 3, 4, 5, 10, 101, 1000, 1001] {
            for _ in 0..<20 {
                // Few distinct values too, so that ties are common.
                let values = (0..<n).map { _ in Double(random.next(below: n < 10 ? 5 : 50)) }
                let sorted = values.sorted()
                let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
                #expect(Statistics.median(values) == expected, "\(values)")
            }
        }
        #expect(Statistics.median([]).isNaN)
    }

    @Test func the_first_k_by_a_heap_equal_the_first_k_of_a_full_sort() {
        var random = SplitMix(seed: 5)
        let keys = (0..<5000).map { _ in Double(random.next(below: 300)) }
        let rows = (0..<Int32(keys.count)).map { $0 }
        let key = SortKey(.number(keys), descending: true)
        let before = { (a: Int32, b: Int32) -> Bool in
            let order = key.compare(Int(a), Int(b))
            return order != 0 ? order < 0 : a < b
        }
        for k in [0, 1, 7, 100, 600] {
            #expect(CustomerList.first(k, of: rows, by: before) == Array(rows.sorted(by: before).prefix(k)))
        }
    }
}

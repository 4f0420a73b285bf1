import Foundation

/// A file that arrives in blocks of whole rows — a database's `COPY … TO STDOUT` — read as
/// it arrives: one thread receives the blocks while the reader parses those already there,
/// so that the transfer and the parse overlap instead of following one another.
///
/// `produce` hands each block to `deliver`, which says whether the reader still wants more
/// (it does not after an error in the data), and throws what went wrong on its side.
struct BlockStream: Sendable {
    let produce: @Sendable (_ deliver: (FileBytes) -> Bool) throws(DataError) -> Void

    /// Blocks waiting to be parsed, at most a few: the transfer waits for the parse rather
    /// than fill memory.
    static let waiting = 4

    /// Bytes of CSV a database's block holds, about, cut at a row's end.
    static let blockBytes = 8 << 20

    /// Runs the producer on a thread of its own and hands each block to `body` here, in
    /// order; the producer's error, if any, comes out after the blocks it did deliver.
    func consume(_ body: (FileBytes) throws(DataError) -> Void) throws(DataError) {
        let queue = BlockQueue()
        let producer = Thread { [produce] in
            do throws(DataError) {
                try produce { block in queue.push(block) }
                queue.finish(nil)
            } catch {
                queue.finish(error)
            }
        }
        producer.stackSize = 1 << 20
        producer.start()
        // However this ends, the producer is told to stop and is waited for.
        defer { queue.cancelAndWait() }
        while let block = try queue.pop() { try body(block) }
    }
}

/// The blocks between the thread that receives them and the one that parses them.
private final class BlockQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var blocks: [FileBytes] = []
    private var finished = false
    private var failure: DataError?
    private var cancelled = false
    private var producerDone = false

    /// Waits for room; false once the reader wants no more.
    func push(_ block: FileBytes) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while blocks.count >= BlockStream.waiting, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        blocks.append(block)
        condition.broadcast()
        return true
    }

    func finish(_ error: DataError?) {
        condition.lock()
        finished = true
        failure = error
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next block; nil at the end; the producer's error once its blocks are taken.
    func pop() throws(DataError) -> FileBytes? {
        condition.lock()
        defer { condition.unlock() }
        while blocks.isEmpty, !finished { condition.wait() }
        if !blocks.isEmpty {
            let block = blocks.removeFirst()
            condition.broadcast()
            return block
        }
        if let failure { throw failure }
        return nil
    }

    func cancelAndWait() {
        condition.lock()
        cancelled = true
        blocks.removeAll()
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }
}

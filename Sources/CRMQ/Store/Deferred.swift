import Foundation

/// A value made on first use, once: a table of a snapshot file that a session may never
/// need (`count where revenue > 1000` reads one column of a million customers, not 7.7M
/// transactions). Made under a lock, so any thread may ask. A value at hand is simply held.
final class Deferred<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private var make: (@Sendable () -> Value)?

    init(_ value: Value) { self.value = value }

    /// `make` must not fail: what it reads was checked when the file was opened.
    init(making make: @escaping @Sendable () -> Value) { self.make = make }

    var get: Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = make!()
        value = made
        make = nil
        return made
    }

    /// Whether the value has been made (or was given).
    var isMade: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value != nil
    }
}

/// The columns of a snapshot file's customers, each read once, when first asked for.
final class DeferredColumns: @unchecked Sendable {
    private let lock = NSLock()
    private var read: [String: ColumnData] = [:]
    private let names: Set<String>
    private let make: @Sendable (String) -> ColumnData

    /// `make` reads the column of a name in `names`; it must not fail (the file was checked when opened).
    init(names: Set<String>, make: @escaping @Sendable (String) -> ColumnData) {
        self.names = names
        self.make = make
    }

    func column(_ name: String) -> ColumnData? {
        guard names.contains(name) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let column = read[name] { return column }
        let column = make(name)
        read[name] = column
        return column
    }
}

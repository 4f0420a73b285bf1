/// Turns source text into tokens.
///
/// Statements end at `;` or at a newline, except inside parentheses or after a token that
/// cannot end a statement (an operator, a comma, `and`, `or`, `not`), and before a line
/// that starts with a clause (`where`, `order`, `limit`, `show`, `and`, `or`): there the
/// statement goes on over the next line, so that a script can put each clause on its own. `--` starts a comment to the end of the line. A `.` at the
/// start of a statement begins a dot-command, which takes the rest of its line.
public struct Lexer {
    private let bytes: [UInt8]
    private let text: String
    private var position = 0
    private var depth = 0
    private var tokens: [Token] = []

    public init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// Every token of the text, ending with `.end`.
    public static func tokens(_ text: String) -> [Token] {
        var lexer = Lexer(text)
        return lexer.run()
    }

    /// Whether the text ends inside a statement: an open parenthesis or string, or a
    /// trailing operator. The interactive shell asks for another line when it does.
    public static func isOpen(_ text: String) -> Bool {
        var lexer = Lexer(text)
        let body = lexer.run().dropLast()  // the `.end` token
        if lexer.depth > 0 { return true }
        guard let last = body.last(where: { $0.kind != .separator }) else { return false }
        if let final = body.last, final.kind == .separator, final.range.start < lexer.bytes.count,
           lexer.bytes[final.range.start] == 0x3B {
            return false  // closed by `;`
        }
        return continues(last)
    }

    private static func continues(_ token: Token) -> Bool {
        switch token.kind {
        case .symbol(let s): return s != ")"
        case .word(_, let key): return ["and", "or", "not"].contains(key)
        default: return false
        }
    }

    private var atStatementStart: Bool {
        guard let last = tokens.last else { return true }
        return last.kind == .separator
    }

    private func substring(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private mutating func emit(_ kind: Token.Kind, _ start: Int) {
        tokens.append(Token(kind: kind, range: SourceRange(start, position)))
    }

    private mutating func endStatement(_ start: Int) {
        if let last = tokens.last, last.kind != .separator { emit(.separator, start) }
        depth = 0
    }

    /// A case for each kind of character that starts a token: as long as that list.
    mutating func run() -> [Token] {
        while position < bytes.count {
            let c = bytes[position]
            let start = position
            switch c {
            case 0x20, 0x09, 0x0D:
                position += 1
            case 0x0A:
                position += 1
                if depth == 0, let last = tokens.last, !Self.continues(last), !nextLineContinues() { endStatement(start) }
            case 0x3B:  // ;
                position += 1
                endStatement(start)
            case 0x2D where peek(1) == 0x2D:  // -- comment
                while position < bytes.count, bytes[position] != 0x0A { position += 1 }
            case 0x2E where atStatementStart && isLetter(peek(1)):
                dotCommand()
            case 0x22, 0x27:
                string(quote: c)
            case 0x30...0x39:
                number()
            case 0x2E where isDigit(peek(1)):
                number()
            case 0x28:
                position += 1
                depth += 1
                emit(.symbol("("), start)
            case 0x29:
                position += 1
                depth = max(0, depth - 1)
                emit(.symbol(")"), start)
            case 0x2B, 0x2D, 0x2A, 0x2F, 0x2C, 0x3D:
                position += 1
                emit(.symbol(String(UnicodeScalar(c))), start)
            case 0x3C, 0x3E, 0x21:  // < > !
                position += 1
                if position < bytes.count, bytes[position] == 0x3D {
                    position += 1
                    emit(.symbol(c == 0x21 ? "!=" : String(UnicodeScalar(c)) + "="), start)
                } else if c == 0x3C, position < bytes.count, bytes[position] == 0x3E {
                    position += 1
                    emit(.symbol("!="), start)
                } else if c == 0x21 {
                    emit(.invalid("`!` alone is not an operator; did you mean `!=` or `not`?"), start)
                } else {
                    emit(.symbol(String(UnicodeScalar(c))), start)
                }
            default:
                if isWordStart(c) {
                    word()
                } else {
                    let scalarEnd = nextScalarEnd(start)
                    position = scalarEnd
                    emit(.invalid("unexpected character `\(substring(start, scalarEnd))`"), start)
                }
            }
        }
        if let last = tokens.last, last.kind != .separator { emit(.separator, position) }
        emit(.end, position)
        return tokens
    }

    private static let continuationWords: Set<String> = ["where", "order", "limit", "show", "and", "or"]

    /// Whether the next line that is not blank or a comment starts with a clause word.
    private func nextLineContinues() -> Bool {
        var p = position
        while p < bytes.count {
            let c = bytes[p]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
                p += 1
            } else if c == 0x2D, p + 1 < bytes.count, bytes[p + 1] == 0x2D {
                while p < bytes.count, bytes[p] != 0x0A { p += 1 }
            } else {
                break
            }
        }
        var end = p
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        guard end > p, end == bytes.count || !isWordByte(bytes[end]) else { return false }
        return Self.continuationWords.contains(substring(p, end).lowercased())
    }

    private func peek(_ offset: Int) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    private func isLetter(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
    }
    /// Words may hold any non-ASCII letter, so that customers named 用友 or Müller can be
    /// written bare.
    private func isWordStart(_ c: UInt8) -> Bool { isLetter(c) || c == 0x5F || c >= 0x80 }
    private func isWordByte(_ c: UInt8) -> Bool { isWordStart(c) || isDigit(c) }

    private func nextScalarEnd(_ start: Int) -> Int {
        var end = start + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    private mutating func word() {
        let start = position
        while position < bytes.count, isWordByte(bytes[position]) { position += 1 }
        let text = substring(start, position)
        emit(.word(text, key: text.lowercased()), start)
    }

    private mutating func string(quote: UInt8) {
        let start = position
        position += 1
        var value: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            if c == quote {
                if peek(1) == quote {
                    value.append(quote)
                    position += 2
                    continue
                }
                position += 1
                emit(.string(String(decoding: value, as: UTF8.self)), start)
                return
            }
            if c == 0x0A { break }
            value.append(c)
            position += 1
        }
        emit(.invalid("unterminated string: a closing \(quote == 0x22 ? "\"" : "'") is missing"), start)
    }

    private mutating func number() {
        let start = position
        // A date: four digits, '-', two digits, '-', two digits.
        if position + 10 <= bytes.count, bytes[position + 4] == 0x2D, bytes[position + 7] == 0x2D,
           (0..<10).allSatisfy({ $0 == 4 || $0 == 7 || isDigit(bytes[position + $0]) }),
           !(position + 10 < bytes.count && isWordByte(bytes[position + 10])) {
            position += 10
            if let day = CalendarDay.parse(substring(start, position)) {
                emit(.date(day), start)
            } else {
                emit(.invalid("`\(substring(start, position))` is not a calendar date"), start)
            }
            return
        }
        while position < bytes.count, isDigit(bytes[position]) || bytes[position] == 0x2E || bytes[position] == 0x5F {
            position += 1
        }
        if position < bytes.count, bytes[position] | 0x20 == 0x65,
           isDigit(peek(1)) || ((peek(1) == 0x2D || peek(1) == 0x2B) && isDigit(peek(2))) {
            position += 2
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let digits = substring(start, position).replacingUnderscores()
        guard let value = DecimalParser.parse(digits) else {
            emit(.invalid("`\(substring(start, position))` is not a number"), start)
            return
        }
        var multiplier = 1.0
        var percent = false
        if position < bytes.count {
            switch bytes[position] {
            case 0x25: percent = true; multiplier = 0.01
            case 0x6B, 0x4B: multiplier = 1e3      // k
            case 0x6D, 0x4D: multiplier = 1e6      // m
            case 0x62, 0x42: multiplier = 1e9      // b
            default: break
            }
            if multiplier != 1 || percent {
                // A suffix is a suffix only when no letter follows: `10k` yes, `10kg` no.
                if percent || !(position + 1 < bytes.count && isWordByte(bytes[position + 1])) {
                    position += 1
                } else {
                    multiplier = 1
                }
            }
        }
        if position < bytes.count, isWordStart(bytes[position]) {
            while position < bytes.count, isWordByte(bytes[position]) { position += 1 }
            emit(.invalid("`\(substring(start, position))` is not a number"), start)
            return
        }
        emit(.number(value * multiplier, percent: percent), start)
    }

    private mutating func dotCommand() {
        let start = position
        position += 1
        let nameStart = position
        while position < bytes.count, isWordByte(bytes[position]) { position += 1 }
        let name = substring(nameStart, position)
        let argumentStart = position
        while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        let argument = substring(argumentStart, position).trimming(" \t\r")
        emit(.dotCommand(name.lowercased(), argument: argument), start)
        if position < bytes.count { position += 1 }
        emit(.separator, position - 1)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}

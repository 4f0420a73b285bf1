#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads decimal numbers from bytes: `12`, `-3.50`, `+1e3`, surrounding spaces allowed.
///
/// The common case (at most 15 significant digits and a power of ten within 10^±22) is
/// exact by Clinger's fast path: both the digits and the power are exact doubles, so one
/// correctly rounded multiplication or division gives the correctly rounded result. Anything
/// else goes to `strtod`. Thousands separators, `nan` and `inf` are not numbers here.
enum DecimalParser {
    /// 10^e for e in 0...22, each exact in a double. A switch of constants, which the
    /// compiler makes a table in the binary: a global array would be initialised lazily, and
    /// on Linux every read of it calls `swift_once` first — three calls a transaction row.
    @inline(__always)
    static func powerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        case 22: 1e22
        default: preconditionFailure("10^\(e) is not exact in a double")
        }
    }

    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        plain(b) ?? general(b)
    }

    /// What most fields are — digits with at most one decimal mark (`point`: a point, or a
    /// comma in a European file), no sign, exponent, thousands mark or spaces, at most 15
    /// bytes — read in one loop; nil for anything else. At most 15 digits and a power of at
    /// most 10^14, so Clinger's path holds, and the value is the general reader's to the bit.
    @inline(__always)
    static func plain(_ b: UnsafeBufferPointer<UInt8>, point mark: UInt8 = 0x2E) -> Double? {
        let n = b.count
        guard n > 0, n <= 15 else { return nil }
        var mantissa: UInt64 = 0
        var point = -1
        for i in 0..<n {
            let digit = b[i] &- 0x30
            if digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
            } else if b[i] == mark, point < 0 {
                point = i
            } else {
                return nil
            }
        }
        guard point < 0 else {
            guard n > 1 else { return nil }  // a point alone is no number
            // At most 15 digits: below 2^63, so converted as a signed integer, in one instruction.
            return Double(Int64(bitPattern: mantissa)) / powerOfTen(n - 1 - point)
        }
        return Double(Int64(bitPattern: mantissa))
    }

    /// Any decimal number: signs, spaces around, exponents, any number of digits.
    private static func general(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var n = b.count
        while i < n, b[i] == 0x20 { i += 1 }
        while n > i, b[n - 1] == 0x20 { n -= 1 }
        guard i < n else { return nil }
        let first = i
        var negative = false
        if b[i] == 0x2D || b[i] == 0x2B {
            negative = b[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        while i < n, b[i] &- 0x30 < 10 {
            if mantissa != 0 || b[i] != 0x30 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30) } else { exponent += 1 }
            digits += 1
            i += 1
        }
        if i < n, b[i] == 0x2E {
            i += 1
            while i < n, b[i] &- 0x30 < 10 {
                if mantissa != 0 || b[i] != 0x30 { significant += 1 }
                if significant <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30)
                    exponent -= 1
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            var expNegative = false
            if i < n, b[i] == 0x2D || b[i] == 0x2B {
                expNegative = b[i] == 0x2D
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < n, b[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(b[i] &- 0x30) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if significant <= 15, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= powerOfTen(-exponent) } else { value *= powerOfTen(exponent) }
            return negative ? -value : value
        }
        return slowParse(UnsafeBufferPointer(rebasing: b[first..<n]))
    }

    private static func slowParse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var text = Array(b)
        text.append(0)
        let value = text.withUnsafeBufferPointer { p -> Double in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { strtod($0, nil) }
        }
        return value.isFinite ? value : nil
    }

    static func parse(_ text: some StringProtocol) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }
}

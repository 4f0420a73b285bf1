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
    private static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
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
            return Double(mantissa) / powersOfTen[n - 1 - point]
        }
        return Double(mantissa)
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
            if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
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

/// Decoding of field values: numbers, and the kernel's encoding of untrusted strings.
enum AuditValue {
  /// Compares the key bytes to `literal`.
  @inline(__always)
  static func keyEquals(
    _ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField, _ literal: StaticString
  ) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard field.keyEnd - field.keyStart == count else { return false }
    let start = literal.utf8Start
    for index in 0..<count where bytes[field.keyStart + index] != start[index] { return false }
    return true
  }

  /// Parses a decimal integer with an optional minus sign; nil when malformed or out of range.
  static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
    var index = start
    var negative = false
    if index < end, bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    guard index < end, end - index <= 19 else { return nil }
    var magnitude: UInt64 = 0
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      magnitude = magnitude * 10 + UInt64(digit)
      index += 1
    }
    if negative {
      return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
    }
    return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
  }

  /// Parses an unsigned decimal that fits in 32 bits (IDs, counts).
  static func decimalUInt32(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    -> UInt32?
  {
    guard let value = decimal(bytes, start, end), value >= 0, value <= Int64(UInt32.max) else {
      return nil
    }
    return UInt32(value)
  }

  /// Parses unsigned hex digits (no prefix; an optional `0x` is accepted) that fit in 64 bits.
  static func hex(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64? {
    var index = start
    if end - index > 2, bytes[index] == UInt8(ascii: "0"),
      bytes[index + 1] | 0x20 == UInt8(ascii: "x")
    {
      index += 2
    }
    guard index < end else { return nil }
    while index < end - 1, bytes[index] == UInt8(ascii: "0") { index += 1 }
    guard end - index <= 16 else { return nil }
    return hexDigitValues.withUnsafeBufferPointer { table -> UInt64? in
      var value: UInt64 = 0
      while index < end {
        let digit = table[Int(bytes[index])]
        if digit > 0xF { return nil }
        value = value << 4 | UInt64(digit)
        index += 1
      }
      return value
    }
  }

  /// Parses an octal number (`mode=0100644`).
  static func octal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
    guard start < end, end - start <= 11 else { return nil }
    var value: UInt32 = 0
    for index in start..<end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 8 else { return nil }
      value = value << 3 | UInt32(digit)
    }
    return value
  }

  @inline(__always)
  static func nibble(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    default: return nil
    }
  }

  /// Whether the bytes are an even number of hex digits (at least two): the kernel's encoding
  /// of a string it would not quote.
  static func isHexEncoded(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    let count = end - start
    guard count >= 2, count & 1 == 0 else { return false }
    for index in start..<end where nibble(bytes[index]) == nil { return false }
    return true
  }

  /// Appends the bytes that hex digits encode; returns false (appending nothing) if they are
  /// not an even run of hex digits. One pass through a 256-entry table, writing into storage
  /// grown once; what was written is taken back if a non-hex byte turns up.
  static func appendHexDecoded(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to output: inout [UInt8]
  ) -> Bool {
    let count = end - start
    guard count >= 2, count & 1 == 0 else { return false }
    let original = output.count
    output.append(contentsOf: repeatElement(0, count: count / 2))
    let valid = hexDigitValues.withUnsafeBufferPointer { table in
      output.withUnsafeMutableBufferPointer { out -> Bool in
        var input = start
        var position = original
        while input < end {
          let high = table[Int(bytes[input])]
          let low = table[Int(bytes[input + 1])]
          if (high | low) & 0xF0 != 0 { return false }
          out[position] = high << 4 | low
          position += 1
          input += 2
        }
        return true
      }
    }
    if !valid { output.removeSubrange(original...) }
    return valid
  }

  /// The value of each byte as a hex digit, 0xFF for bytes that are not one.
  private static let hexDigitValues: [UInt8] = (0...255).map { byte in nibble(UInt8(byte)) ?? 0xFF }

  /// The bytes of an untrusted-string field (`comm`, `exe`, `cwd`, `name`, `aN`, `proctitle`):
  /// the text between the quotes, the decoded bytes of an unquoted hex run, nil for the
  /// kernel's `(null)`, and otherwise the text as written (`?`, or a user-space value).
  static func untrustedBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField)
    -> [UInt8]?
  {
    let start = field.valueStart
    let end = field.valueEnd
    if field.quoted { return Array(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
    if end - start == 6, keyLiteral(bytes, start, "(null)") { return nil }
    var decoded: [UInt8] = []
    if appendHexDecoded(bytes, start, end, to: &decoded) { return decoded }
    return Array(UnsafeBufferPointer(rebasing: bytes[start..<end]))
  }

  /// An untrusted-string field as text (invalid UTF-8 becomes U+FFFD).
  static func untrustedString(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField)
    -> String?
  {
    if field.quoted {
      return String(
        decoding: UnsafeBufferPointer(rebasing: bytes[field.valueStart..<field.valueEnd]),
        as: UTF8.self)
    }
    guard let decoded = untrustedBytes(bytes, field) else { return nil }
    return String(decoding: decoded, as: UTF8.self)
  }

  /// The value as written (quotes removed).
  static func plainString(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField) -> String {
    String(
      decoding: UnsafeBufferPointer(rebasing: bytes[field.valueStart..<field.valueEnd]),
      as: UTF8.self)
  }

  private static func keyLiteral(
    _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ literal: StaticString
  ) -> Bool {
    let pointer = literal.utf8Start
    for index in 0..<literal.utf8CodeUnitCount where bytes[start + index] != pointer[index] {
      return false
    }
    return true
  }
}

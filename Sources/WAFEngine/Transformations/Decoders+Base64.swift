// base64Decode and base64DecodeExt, the strict (mbed TLS) and the forgiving ModSecurity decoder.

extension Decoders {
  /// Standard alphabet value of a byte, 64 for `=`, or `nil` when it is not part of base64 at all.
  @inline(__always) private static func strictValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x41...0x5A: return c - 0x41
    case 0x61...0x7A: return c - 0x61 + 26
    case 0x30...0x39: return c - 0x30 + 52
    case 0x2B: return 62
    case 0x2F: return 63
    case 0x3D: return 64
    default: return nil
    }
  }

  /// `t:base64Decode`, which ModSecurity 3.0.9 delegates to mbed TLS 2's `mbedtls_base64_decode`.
  ///
  /// The value is first cut at its first NUL (ModSecurity passes `strlen`). Then it is all or
  /// nothing: any byte outside the alphabet, a space inside a line, more than two `=`, or a data byte
  /// after `=` makes the result empty. Line breaks (`\n`, `\r\n`) and spaces right before them or at
  /// the very end are allowed. A trailing incomplete group of 1-3 characters is ignored.
  static func base64Decode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    let length = input.firstIndex(of: 0) ?? input.count
    let all = input
    let source = UnsafeBufferPointer(rebasing: all[0..<length])
    // Validation pass (mbed TLS's first loop).
    var i = 0
    var padding = 0
    var symbols = 0
    while i < length {
      var spaces = 0
      while i < length && source[i] == 0x20 {
        i += 1
        spaces += 1
      }
      if i == length { break }
      if length - i >= 2 && source[i] == 0x0D && source[i + 1] == 0x0A {
        i += 1
        continue
      }
      if source[i] == 0x0A {
        i += 1
        continue
      }
      if spaces != 0 { return cleared(&out) }
      guard let value = strictValue(source[i]) else { return cleared(&out) }
      if value == 64 {
        padding += 1
        if padding > 2 { return cleared(&out) }
      } else if padding != 0 {
        return cleared(&out)
      }
      symbols += 1
      i += 1
    }
    if symbols == 0 { return cleared(&out) }
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity(symbols / 4 * 3 + 3)
    var remaining = 3
    var n = 0
    var accumulator: UInt32 = 0
    for index in 0..<i {
      let c = source[index]
      if c == 0x0D || c == 0x0A || c == 0x20 { continue }
      let value = strictValue(c) ?? 0
      if value == 64 { remaining -= 1 }
      accumulator = accumulator << 6 | UInt32(value & 0x3F)
      n += 1
      if n == 4 {
        n = 0
        if remaining > 0 { out.append(UInt8(truncatingIfNeeded: accumulator >> 16)) }
        if remaining > 1 { out.append(UInt8(truncatingIfNeeded: accumulator >> 8)) }
        if remaining > 2 { out.append(UInt8(truncatingIfNeeded: accumulator)) }
      }
    }
    return true
  }

  /// The forgiving decoder's table: 0...63, or -1 for bytes it skips (whitespace and everything
  /// outside the alphabet). `-` and `_` count as 62 and 63 too (URL-safe alphabet).
  private static let forgivingTable: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (offset, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
      table[Int(c)] = Int8(offset)
    }
    table[0x2D] = 62
    table[0x5F] = 63
    return table
  }()

  /// `t:base64DecodeExt` (ModSecurity's `decode_forgiven`): bytes outside the alphabet are skipped,
  /// `=` is skipped too, and a trailing partial group is dropped.
  ///
  /// Two upstream rules make the result empty: a `=` right after a group's first character that is
  /// not followed by another `=`, and input whose last non-skipped byte has value 61 (`=` or `9`)
  /// when a group's first character is pending (the C code compares the decoded value with `'='`).
  static func base64DecodeExt(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    if input.isEmpty { return false }
    let source = input
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity(source.count / 4 * 3 + 3)
    var position = 0
    var last = -1
    var pending: UInt8 = 0
    var index = 0
    while index < source.count {
      let c = source[index]
      index += 1
      if c == 0x3D {
        last = 0x3D
        if byte(source, index) != 0x3D && position % 4 == 1 { return cleared(&out) }
        continue
      }
      let value = Int(forgivingTable[Int(c)])
      last = value
      if value < 0 { continue }
      let bits = UInt8(value)
      switch position % 4 {
      case 0:
        pending = bits << 2
      case 1:
        out.append(pending | bits >> 4)
        pending = (bits & 0x0F) << 4
      case 2:
        out.append(pending | bits >> 2)
        pending = (bits & 0x03) << 6
      default:
        out.append(pending | bits)
      }
      position += 1
    }
    if last == 0x3D && position % 4 == 1 { return cleared(&out) }
    return true
  }
}

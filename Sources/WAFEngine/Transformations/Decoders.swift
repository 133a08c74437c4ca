// Decoding transformations: urlDecode, urlDecodeUni, htmlEntityDecode, jsDecode, cssDecode,
// escapeSeqDecode, hexDecode, sqlHexDecode, utf8toUnicode. Base64 lives in Decoders+Base64.swift.
//
// Each one follows the control flow of the libmodsecurity 3.0.9 function it is named after
// (src/actions/transformations/*.cc, src/utils/decode.cc), so inputs ModSecurity half-decodes are
// half-decoded the same way here.

/// Namespace for the decoding transformations.
enum Decoders {
  /// Reads `input[index]`, or 0 past the end: ModSecurity's decoders run over a NUL-terminated copy
  /// and some of them look one byte beyond the value.
  @inline(__always) static func byte(_ input: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
    index < input.count ? input[index] : 0
  }

  /// Runs `body` over the input with `out` as an output buffer of `capacity` bytes, starting at
  /// `start` (all bytes before it are copied unchanged first). `body` returns the number of bytes
  /// written; `out` is cut to that. Returns true (the value changed), for the callers' `return`.
  @inline(__always) static func rewrite(
    _ source: UnsafeBufferPointer<UInt8>, from start: Int, capacity: Int, into out: inout [UInt8],
    _ body: (UnsafeBufferPointer<UInt8>, UnsafeMutablePointer<UInt8>, Int) -> Int
  ) -> Bool {
    // Room for `capacity` bytes: only bytes the buffer never held are zero-filled; whatever it
    // still holds is overwritten or cut off below.
    let room = Swift.max(capacity, 1)
    if out.count < room { out.append(contentsOf: repeatElement(0, count: room - out.count)) }
    let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      if start > 0, let from = source.baseAddress { base.update(from: from, count: start) }
      return body(source, base, start)
    }
    out.removeLast(out.count - Swift.min(Swift.max(written, 0), out.count))
    return true
  }

  // MARK: - URL decoding

  /// `t:urlDecode` (utils::urldecode_nonstrict_inplace): `%HH` with two hex digits becomes the byte,
  /// `+` becomes a space, and any other `%` (not followed by two hex digits, or too near the end) is
  /// kept as it is.
  static func urlDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, where: .urlEscape) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        let c = source[i]
        if c == 0x25 {
          if i + 2 < count, ByteClass.isHex(source[i + 1]), ByteClass.isHex(source[i + 2]) {
            out[d] = ByteClass.x2c(source[i + 1], source[i + 2])
            i += 3
          } else {
            out[d] = c
            i += 1
          }
        } else {
          out[d] = c == 0x2B ? 0x20 : c
          i += 1
        }
        d += 1
      }
      return d
    }
  }

  /// `t:urlDecodeUni`: `urlDecode` plus IIS's `%uHHHH`.
  ///
  /// A valid `%uHHHH` (the `u` in either case, four hex digits) becomes one byte: the unicode map's
  /// entry for the code point when a map is configured and has one; otherwise the low byte `HH` of the
  /// code point, plus 0x20 when the code point is full-width ASCII (`FF01`...`FF5E`, so `%uFF41`
  /// gives `a`). A `%u` without four hex digits after it is kept as the two bytes `%u`.
  static func urlDecodeUni(_ input: UnsafeBufferPointer<UInt8>, map: UnicodeMap?, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, where: .urlEscape) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        let c = source[i]
        if c == 0x25 {
          if i + 1 < count, source[i + 1] | 0x20 == 0x75 {
            if i + 5 < count, ByteClass.isHex(source[i + 2]), ByteClass.isHex(source[i + 3]),
              ByteClass.isHex(source[i + 4]), ByteClass.isHex(source[i + 5])
            {
              var mapped: UInt8?
              if let map {
                let code =
                  ByteClass.hexValue(source[i + 2]) << 12 | ByteClass.hexValue(source[i + 3]) << 8
                  | ByteClass.hexValue(source[i + 4]) << 4 | ByteClass.hexValue(source[i + 5])
                mapped = map.map(code)
              }
              if let mapped {
                out[d] = mapped
              } else {
                var low = ByteClass.x2c(source[i + 4], source[i + 5])
                if low > 0x00 && low < 0x5F && source[i + 2] | 0x20 == 0x66 && source[i + 3] | 0x20 == 0x66 {
                  low &+= 0x20
                }
                out[d] = low
              }
              d += 1
              i += 6
            } else {
              out[d] = source[i]
              out[d + 1] = source[i + 1]
              d += 2
              i += 2
            }
          } else if i + 2 < count, ByteClass.isHex(source[i + 1]), ByteClass.isHex(source[i + 2]) {
            out[d] = ByteClass.x2c(source[i + 1], source[i + 2])
            d += 1
            i += 3
          } else {
            out[d] = c
            d += 1
            i += 1
          }
        } else {
          out[d] = c == 0x2B ? 0x20 : c
          d += 1
          i += 1
        }
      }
      return d
    }
  }

  // MARK: - HTML entities

  /// `t:htmlEntityDecode`.
  ///
  /// - `&#DDD` and `&#xHHH` / `&#XHHH` decode with or without the closing `;`; the value is taken as
  ///   `strtol` does (saturating) and only its low byte is kept.
  /// - Named entities: only `quot`, `amp`, `lt`, `gt` and `nbsp` (case-insensitive; `nbsp` gives
  ///   0xA0), again with or without `;`. The name is the run of ASCII letters and digits after `&`.
  /// - Anything else (`&foo;`, `&#;`, `&#x;`, a lone `&`) is copied as it is.
  static func htmlEntityDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, of: 0x26) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        var copy = 1
        entity: if source[i] == 0x26 && i + 1 < count {
          var j = i + 1
          if source[j] == 0x23 {
            copy += 1
            guard j + 1 < count else { break entity }
            j += 1
            let hex = source[j] | 0x20 == 0x78
            if hex {
              copy += 1
              guard j + 1 < count else { break entity }
              j += 1
            }
            let k = j
            var value = 0
            while j < count, hex ? ByteClass.isHex(source[j]) : ByteClass.isDigit(source[j]) {
              let digit = hex ? ByteClass.hexValue(source[j]) : Int(source[j]) - 0x30
              let (shifted, overflow1) = value.multipliedReportingOverflow(by: hex ? 16 : 10)
              let (sum, overflow2) = shifted.addingReportingOverflow(digit)
              value = overflow1 || overflow2 ? Int.max : sum
              j += 1
            }
            guard j > k else { break entity }
            out[d] = UInt8(truncatingIfNeeded: value)
            d += 1
            i = j < count && source[j] == 0x3B ? j + 1 : j
            continue
          }
          let k = j
          while j < count, ByteClass.isAlphanumeric(source[j]) { j += 1 }
          guard j > k else { break entity }
          let decoded: UInt8?
          switch j - k {
          case 2:
            let a = source[k] | 0x20
            let b = source[k + 1] | 0x20
            decoded = b != 0x74 ? nil : (a == 0x6C ? 0x3C : (a == 0x67 ? 0x3E : nil))  // lt, gt
          case 3:
            decoded =
              source[k] | 0x20 == 0x61 && source[k + 1] | 0x20 == 0x6D && source[k + 2] | 0x20 == 0x70
              ? 0x26 : nil  // amp
          case 4:
            let word = (source[k] | 0x20, source[k + 1] | 0x20, source[k + 2] | 0x20, source[k + 3] | 0x20)
            if word == (0x71, 0x75, 0x6F, 0x74) {
              decoded = 0x22  // quot
            } else if word == (0x6E, 0x62, 0x73, 0x70) {
              decoded = 0xA0  // nbsp
            } else {
              decoded = nil
            }
          default:
            decoded = nil
          }
          guard let decoded else {
            copy = j - k + 1
            break entity
          }
          out[d] = decoded
          d += 1
          i = j < count && source[j] == 0x3B ? j + 1 : j
          continue
        }
        // Copy `copy` raw bytes (ModSecurity also stops once the output is as long as the input,
        // which cannot cut anything: decoding only shrinks).
        var z = 0
        while z < copy && i < count {
          out[d] = source[i]
          d += 1
          i += 1
          z += 1
        }
      }
      return d
    }
  }

  // MARK: - JavaScript and C escapes

  /// `t:jsDecode`: `\uHHHH` (low byte, +0x20 for full-width `FF01`...`FF5E`), `\xHH`, octal `\OOO`
  /// (at most three digits, two when the first is above `3`, so the value fits a byte), and the
  /// single-character escapes `\a \b \f \n \r \t \v`; any other `\C` becomes `C`. A backslash at the
  /// very end is kept.
  static func jsDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, of: 0x5C) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        guard source[i] == 0x5C else {
          out[d] = source[i]
          d += 1
          i += 1
          continue
        }
        if i + 5 < count, source[i + 1] == 0x75, ByteClass.isHex(source[i + 2]), ByteClass.isHex(source[i + 3]),
          ByteClass.isHex(source[i + 4]), ByteClass.isHex(source[i + 5])
        {
          var low = ByteClass.x2c(source[i + 4], source[i + 5])
          if low > 0x00 && low < 0x5F && source[i + 2] | 0x20 == 0x66 && source[i + 3] | 0x20 == 0x66 {
            low &+= 0x20
          }
          out[d] = low
          d += 1
          i += 6
        } else if i + 3 < count, source[i + 1] == 0x78, ByteClass.isHex(source[i + 2]),
          ByteClass.isHex(source[i + 3])
        {
          out[d] = ByteClass.x2c(source[i + 2], source[i + 3])
          d += 1
          i += 4
        } else if i + 1 < count, ByteClass.isOctal(source[i + 1]) {
          var digits = 0
          while i + 1 + digits < count && digits < 3 {
            digits += 1
            if !ByteClass.isOctal(byte(source, i + 1 + digits)) { break }
          }
          if digits == 3 && source[i + 1] > 0x33 { digits = 2 }
          var value = 0
          for n in 0..<digits { value = value * 8 + Int(source[i + 1 + n] - 0x30) }
          out[d] = UInt8(truncatingIfNeeded: value)
          d += 1
          i += 1 + digits
        } else if i + 1 < count {
          out[d] = singleCharacterEscape(source[i + 1]) ?? source[i + 1]
          d += 1
          i += 2
        } else {
          out[d] = source[i]
          d += 1
          i += 1
        }
      }
      return d
    }
  }

  /// The C escapes both `jsDecode` and `escapeSeqDecode` know: `a b f n r t v`.
  @inline(__always) private static func singleCharacterEscape(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x61: return 0x07  // \a
    case 0x62: return 0x08  // \b
    case 0x66: return 0x0C  // \f
    case 0x6E: return 0x0A  // \n
    case 0x72: return 0x0D  // \r
    case 0x74: return 0x09  // \t
    case 0x76: return 0x0B  // \v
    default: return nil
    }
  }

  /// `t:escapeSeqDecode` (ANSI C escapes): `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH` / `\XHH` with two
  /// hex digits, octal `\O`...`\OOO` (the value's low byte: `\777` gives 0xFF). Any other `\C`
  /// (including `\x` without two hex digits) becomes `C`; a backslash at the very end is kept.
  static func escapeSeqDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, of: 0x5C) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        guard source[i] == 0x5C && i + 1 < count else {
          out[d] = source[i]
          d += 1
          i += 1
          continue
        }
        let next = source[i + 1]
        if let c = singleCharacterEscape(next) {
          out[d] = c
          i += 2
        } else if next == 0x5C || next == 0x3F || next == 0x27 || next == 0x22 {
          out[d] = next
          i += 2
        } else if next | 0x20 == 0x78, i + 3 < count, ByteClass.isHex(source[i + 2]),
          ByteClass.isHex(source[i + 3])
        {
          out[d] = ByteClass.x2c(source[i + 2], source[i + 3])
          i += 4
        } else if ByteClass.isOctal(next) {
          var digits = 0
          while i + 1 + digits < count && digits < 3 {
            digits += 1
            if !ByteClass.isOctal(byte(source, i + 1 + digits)) { break }
          }
          var value = 0
          for n in 0..<digits { value = value * 8 + Int(source[i + 1 + n] - 0x30) }
          out[d] = UInt8(truncatingIfNeeded: value)
          i += 1 + digits
        } else {
          out[d] = next
          i += 2
        }
        d += 1
      }
      return d
    }
  }

  // MARK: - CSS

  /// `t:cssDecode` (CSS 2 escapes): a backslash followed by 1-6 hex digits becomes one byte, the
  /// last two digits (one digit: that nibble). With exactly 4 digits, 5 digits starting `0` or 6
  /// starting `00`, a full-width `FFxx` code point in 0xFF01...0xFF5E gets +0x20. One whitespace byte
  /// after a hex escape is swallowed. `\` + newline is removed, `\` + any other byte gives that byte,
  /// and a trailing lone backslash is dropped.
  static func cssDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, of: 0x5C) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        guard source[i] == 0x5C else {
          out[d] = source[i]
          d += 1
          i += 1
          continue
        }
        guard i + 1 < count else {
          i += 1  // continuation to nothing
          continue
        }
        i += 1
        var j = 0
        while j < 6 && i + j < count && ByteClass.isHex(source[i + j]) { j += 1 }
        if j > 0 {
          var value: UInt8
          var fullCheck = false
          switch j {
          case 1:
            value = UInt8(truncatingIfNeeded: ByteClass.looseNibble(source[i]))
          case 2, 3:
            value = ByteClass.x2c(source[i + j - 2], source[i + j - 1])
          case 4:
            value = ByteClass.x2c(source[i + j - 2], source[i + j - 1])
            fullCheck = true
          case 5:
            value = ByteClass.x2c(source[i + j - 2], source[i + j - 1])
            fullCheck = source[i] == 0x30
          default:
            value = ByteClass.x2c(source[i + j - 2], source[i + j - 1])
            fullCheck = source[i] == 0x30 && source[i + 1] == 0x30
          }
          if fullCheck && value > 0x00 && value < 0x5F && source[i + j - 3] | 0x20 == 0x66
            && source[i + j - 4] | 0x20 == 0x66
          {
            value &+= 0x20
          }
          out[d] = value
          d += 1
          if i + j < count && ByteClass.isSpace(source[i + j]) { j += 1 }
          i += j
        } else if source[i] == 0x0A {
          i += 1
        } else {
          out[d] = source[i]
          d += 1
          i += 1
        }
      }
      return d
    }
  }

  // MARK: - Hex

  /// `t:hexDecode`: every pair of bytes becomes one byte, without validation (non-hex pairs give
  /// ModSecurity's garbage value); an odd final byte is dropped.
  static func hexDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    if input.isEmpty { return false }
    return rewrite(input, from: 0, capacity: input.count / 2, into: &out) { source, out, _ in
      var d = 0
      var i = 0
      while i + 1 < source.count {
        out[d] = ByteClass.x2c(source[i], source[i + 1])
        d += 1
        i += 2
      }
      return d
    }
  }

  /// `t:sqlHexDecode`: each `0x` (the `x` in either case) followed by at least two hex digits is
  /// replaced by the bytes its digit pairs spell; an odd trailing digit stays, and a `0x` without two
  /// hex digits after it is kept as it is (`0x4142430x0x434241` gives `ABC0xCBA`).
  ///
  /// This is the behaviour of ModSecurity's regression vectors (secrules-language-tests
  /// `sqlHexDecode.json`); the 3.0.9 C loop also dropped a value's last byte, which those vectors
  /// reject, so it is not reproduced.
  static func sqlHexDecode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = firstHexLiteral(input, from: 0) else { return false }
    return rewrite(input, from: first, capacity: input.count, into: &out) { source, out, start in
      let count = source.count
      var i = start
      var d = start
      while i < count {
        if source[i] == 0x30 && i + 3 < count && source[i + 1] | 0x20 == 0x78 && ByteClass.isHex(source[i + 2])
          && ByteClass.isHex(source[i + 3])
        {
          i += 2
          while i + 1 < count && ByteClass.isHex(source[i]) && ByteClass.isHex(source[i + 1]) {
            out[d] = ByteClass.x2c(source[i], source[i + 1])
            d += 1
            i += 2
          }
        } else {
          out[d] = source[i]
          d += 1
          i += 1
        }
      }
      return d
    }
  }

  /// Index of the first `0x`/`0X` followed by two hex digits.
  private static func firstHexLiteral(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    var i = start
    while i + 3 < input.count {
      if input[i] == 0x30 && input[i + 1] | 0x20 == 0x78 && ByteClass.isHex(input[i + 2])
        && ByteClass.isHex(input[i + 3])
      {
        return i
      }
      i += 1
    }
    return nil
  }

  // MARK: - UTF-8

  /// `t:utf8toUnicode`: every well-formed 2-, 3- or 4-byte UTF-8 sequence becomes `%uXXXX` (lower-case
  /// hex, at least four digits), ASCII passes through.
  ///
  /// ModSecurity 3.0.9's quirks are kept: NUL bytes are dropped; a lead byte whose continuation bytes
  /// are missing or wrong is dropped (the following bytes are then read as if new); a stray
  /// continuation byte or 0xF8-0xFF passes through; after the `%u` form of an overlong sequence or of a
  /// surrogate the lead byte is appended raw; a lead byte 0xF5-0xF7 is written raw before the sequence.
  static func utf8toUnicode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, where: [.high, .nul]) else { return false }
    let source = input
    let count = source.count
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity(count + count / 2 * 5 + 8)
    out.append(contentsOf: source[0..<first])
    var i = first
    while i < count {
      let c = source[i]
      if c & 0x80 == 0 {
        if c != 0 { out.append(c) }
        i += 1
        continue
      }
      var length = 0
      if c & 0xE0 == 0xC0 {
        length = 2
      } else if c & 0xF0 == 0xE0 {
        length = 3
      } else if c & 0xF8 == 0xF0 {
        length = 4
        if c >= 0xF5 { out.append(c) }
      } else {
        out.append(c)
        i += 1
        continue
      }
      var valid = true
      for n in 1..<length where byte(source, i + n) & 0xC0 != 0x80 {
        valid = false
        break
      }
      guard valid else {
        i += 1
        continue
      }
      var code: UInt32
      switch length {
      case 2: code = UInt32(c & 0x1F) << 6 | UInt32(source[i + 1] & 0x3F)
      case 3:
        code = UInt32(c & 0x0F) << 12 | UInt32(source[i + 1] & 0x3F) << 6 | UInt32(source[i + 2] & 0x3F)
      default:
        code =
          UInt32(c & 0x07) << 18 | UInt32(source[i + 1] & 0x3F) << 12 | UInt32(source[i + 2] & 0x3F) << 6
          | UInt32(source[i + 3] & 0x3F)
      }
      out.append(0x25)
      out.append(0x75)
      var digits = 1
      while digits < 8 && code >> (4 * UInt32(digits)) != 0 { digits += 1 }
      for _ in digits..<max(digits, 4) { out.append(0x30) }
      for n in stride(from: digits - 1, through: 0, by: -1) {
        out.append(ByteClass.lowerHexDigits[Int((code >> (4 * UInt32(n))) & 0xF)])
      }
      if code >= 0xD800 && code <= 0xDFFF { out.append(c) }
      let overlong = (length == 4 && code < 0x10000) || (length == 3 && code < 0x800) || (length == 2 && code < 0x80)
      if overlong { out.append(c) }
      i += length
    }
    return true
  }
}

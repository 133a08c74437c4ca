// The `unicode.mapping` file behind `SecUnicodeMapFile unicode.mapping 20127`.
//
// Format (as ModSecurity's ConfigUnicodeMap::loadConfig reads it): the file is a stream of tokens
// separated by spaces, tabs, CRs and LFs. A token whose leading decimal number equals the configured
// code page starts that code page's section; the `hhhh:hh` tokens that follow (hex code point, colon,
// hex byte) are its mappings, and the first token without a colon after at least one mapping ends
// the section. Code points above U+FFFF are ignored. Whatever the file says, U+002E, U+3002, U+FF0E
// and U+FF61 map to `.` (RFC 3490 section 3.1 dots), set before the file is read.

/// Why a unicode mapping file could not be used.
public enum UnicodeMapError: Error, Sendable, Hashable {
  /// A `code:byte` token in the selected code page that is not two hex numbers.
  case malformedMapping(line: Int, token: String)
  /// The file has no section for the requested code page.
  case codePageNotFound(Int)
}

/// A code point → byte table for one code page of ModSecurity's `unicode.mapping`.
///
///     SecUnicodeMapFile unicode.mapping 20127
public struct UnicodeMap: Sendable {
  /// `table[codePoint]` is the mapped byte plus one, or 0 when the code point is not mapped.
  private let table: [UInt16]
  /// The code page the table was read for.
  public let codePage: Int

  /// Parses the section for `codePage` out of a `unicode.mapping` file.
  ///
  /// - Parameters:
  ///   - contents: The whole file.
  ///   - codePage: The number given after the file name in `SecUnicodeMapFile` (e.g. 20127).
  /// - Throws: ``UnicodeMapError/malformedMapping(line:token:)`` with the 1-based line of a bad
  ///   mapping, or ``UnicodeMapError/codePageNotFound(_:)``.
  public init(contents: [UInt8], codePage: Int) throws(UnicodeMapError) {
    var table = [UInt16](repeating: 0, count: 0x10000)
    for dot in [0x002E, 0x3002, 0xFF0E, 0xFF61] { table[dot] = 0x2E + 1 }

    var found = false
    var processing = false
    var sawSection = false
    var line = 1
    var index = 0
    let count = contents.count
    while index < count {
      // Skip separators, counting lines.
      let byte = contents[index]
      if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
        if byte == 0x0A { line += 1 }
        index += 1
        continue
      }
      let start = index
      while index < count {
        let c = contents[index]
        if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { break }
        index += 1
      }
      let token = contents[start..<index]
      if UnicodeMap.leadingDecimal(token) == codePage {
        found = true
        sawSection = true
      }
      let colon = token.firstIndex(of: 0x3A)
      if found, let colon {
        processing = true
        guard let code = UnicodeMap.hexNumber(token[start..<colon]),
          let mapped = UnicodeMap.hexNumber(token[(colon + 1)..<index])
        else {
          throw .malformedMapping(line: line, token: String(decoding: token, as: UTF8.self))
        }
        if code <= 0xFFFF {
          table[code] = UInt16(truncatingIfNeeded: mapped & 0xFF) + 1
        }
      }
      if processing && colon == nil {
        found = false
        processing = false
      }
    }
    guard sawSection else { throw .codePageNotFound(codePage) }
    self.table = table
    self.codePage = codePage
  }

  /// The byte a code point maps to, or `nil` when the code page has no mapping for it.
  ///
  /// - Parameter codePoint: A code point from a `%uHHHH` escape (0...0xFFFF).
  public func map(_ codePoint: Int) -> UInt8? {
    guard codePoint >= 0 && codePoint < table.count else { return nil }
    let entry = table[codePoint]
    return entry == 0 ? nil : UInt8(truncatingIfNeeded: entry - 1)
  }

  /// `atol` on a token: optional sign, then decimal digits; 0 when there are none.
  private static func leadingDecimal(_ token: ArraySlice<UInt8>) -> Int {
    var value = 0
    var index = token.startIndex
    var negative = false
    if index < token.endIndex, token[index] == 0x2D || token[index] == 0x2B {
      negative = token[index] == 0x2D
      index += 1
    }
    while index < token.endIndex, ByteClass.isDigit(token[index]) {
      value = value &* 10 &+ Int(token[index] - 0x30)
      if value > 1 << 40 { break }
      index += 1
    }
    return negative ? -value : value
  }

  /// `sscanf("%x")` as the loader uses it: leading hex digits (an optional `0x` prefix), at least one.
  private static func hexNumber(_ token: ArraySlice<UInt8>) -> Int? {
    var index = token.startIndex
    if token.count >= 2, token[index] == 0x30, token[index + 1] | 0x20 == 0x78 { index += 2 }
    var value = 0
    var digits = 0
    while index < token.endIndex, ByteClass.isHex(token[index]), digits < 8 {
      value = value * 16 + ByteClass.hexValue(token[index])
      digits += 1
      index += 1
    }
    return digits == 0 ? nil : value
  }
}

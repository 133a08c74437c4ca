// Byte classes and hex helpers with the C library's "C" locale meaning, as ModSecurity uses them.

/// Character tests and hex conversions shared by transformations and matchers.
enum ByteClass {
  /// `isspace` in the C locale: space, `\t`, `\n`, `\v`, `\f`, `\r`.
  @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
  }

  /// `isxdigit` / ModSecurity's `VALID_HEX`.
  @inline(__always) static func isHex(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
  }

  /// `isdigit`.
  @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// ModSecurity's `ISODIGIT`: `0`-`7`.
  @inline(__always) static func isOctal(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x37 }

  /// `isalnum` in the C locale.
  @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
  }

  /// ASCII-only `tolower`.
  @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }

  /// ASCII-only `toupper`.
  @inline(__always) static func upper(_ byte: UInt8) -> UInt8 {
    byte >= 0x61 && byte <= 0x7A ? byte & 0xDF : byte
  }

  /// One hex digit as ModSecurity's `x2c`/`xsingle2c` compute it: no validation, so a non-hex byte
  /// gives the same garbage value it gives upstream (callers that validated first get 0...15).
  @inline(__always) static func looseNibble(_ byte: UInt8) -> Int {
    byte >= 0x41 ? Int(byte & 0xDF) - 0x41 + 10 : Int(byte) - 0x30
  }

  /// ModSecurity's `x2c`: two hex digits to a byte (low 8 bits of the loose computation).
  @inline(__always) static func x2c(_ high: UInt8, _ low: UInt8) -> UInt8 {
    UInt8(truncatingIfNeeded: looseNibble(high) &* 16 &+ looseNibble(low))
  }

  /// Value of a byte already known to be a hex digit.
  @inline(__always) static func hexValue(_ byte: UInt8) -> Int {
    byte <= 0x39 ? Int(byte) - 0x30 : Int(byte | 0x20) - 0x61 + 10
  }

  /// Lower-case hex digits, the alphabet of ModSecurity's `c2x`.
  static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

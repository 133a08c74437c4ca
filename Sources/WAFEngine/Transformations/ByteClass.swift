// Byte classes and hex helpers with the C library's "C" locale meaning, as ModSecurity uses them.

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

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

  // MARK: - Fast scans

  /// Flags per byte value, for the "is there anything to do" scans.
  struct Flags: OptionSet, Sendable {
    let rawValue: UInt8
    /// C `isspace`.
    static let space = Flags(rawValue: 1)
    /// C `isspace` or 0xA0 (removeWhitespace).
    static let spaceOrNBSP = Flags(rawValue: 2)
    /// `A`-`Z`.
    static let upper = Flags(rawValue: 4)
    /// `a`-`z`.
    static let lower = Flags(rawValue: 8)
    /// Bytes `cmdLine` deletes or replaces: `"` `'` `\` `^` `,` `;` `\t` `\r` `\n`.
    static let commandLine = Flags(rawValue: 16)
    /// `%` and `+` (URL decoding).
    static let urlEscape = Flags(rawValue: 32)
    /// 0x00.
    static let nul = Flags(rawValue: 64)
    /// Bytes at or above 0x80.
    static let high = Flags(rawValue: 128)
  }

  static let flagTable: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
    let byte = UInt8(value)
    var flags: Flags = []
    if isSpace(byte) { flags.insert([.space, .spaceOrNBSP]) }
    if byte == 0xA0 { flags.insert(.spaceOrNBSP) }
    if byte >= 0x41 && byte <= 0x5A { flags.insert(.upper) }
    if byte >= 0x61 && byte <= 0x7A { flags.insert(.lower) }
    if [0x22, 0x27, 0x5C, 0x5E, 0x2C, 0x3B, 0x09, 0x0D, 0x0A].contains(byte) { flags.insert(.commandLine) }
    if byte == 0x25 || byte == 0x2B { flags.insert(.urlEscape) }
    if byte == 0 { flags.insert(.nul) }
    if byte >= 0x80 { flags.insert(.high) }
    return flags.rawValue
  }

  /// Index of the first byte having any of `flags`.
  static func firstIndex(in bytes: UnsafeBufferPointer<UInt8>, where flags: Flags) -> Int? {
    let mask = flags.rawValue
    return flagTable.withUnsafeBufferPointer { table in
      guard let base = bytes.baseAddress, let lookup = table.baseAddress else { return nil }
      for index in 0..<bytes.count where lookup[Int(base[index])] & mask != 0 { return index }
      return nil
    }
  }

  /// Index of the first byte equal to `value` (libc `memchr`, which is vectorised).
  static func firstIndex(in bytes: UnsafeBufferPointer<UInt8>, of value: UInt8) -> Int? {
    guard let base = bytes.baseAddress, !bytes.isEmpty,
      let hit = memchr(base, Int32(value), bytes.count)
    else { return nil }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
  }

  /// Copies the bytes whose flags include none of `flags` to the front, branch-free (write every
  /// byte, advance only for kept ones), and returns the new length.
  static func compactRemoving(_ flags: Flags, in buffer: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> Int {
    let mask = flags.rawValue
    return flagTable.withUnsafeBufferPointer { table in
      guard let base = buffer.baseAddress, let lookup = table.baseAddress else { return start }
      var d = start
      for i in start..<buffer.count {
        let c = base[i]
        base[d] = c
        d &+= lookup[Int(c)] & mask == 0 ? 1 : 0
      }
      return d
    }
  }

  /// Lower-case hex digits, the alphabet of ModSecurity's `c2x`.
  static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

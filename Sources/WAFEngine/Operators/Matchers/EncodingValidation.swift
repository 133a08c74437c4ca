// The checks behind `@validateUrlEncoding` and `@validateUtf8Encoding`, as libmodsecurity 3.0.9
// performs them (src/operators/validate_url_encoding.cc, validate_utf8_encoding.cc).

/// What `@validateUrlEncoding` found.
public enum URLEncodingValidation: Sendable, Hashable {
  /// Every `%` is followed by two hex digits (also returned for empty input, which never matches).
  case valid
  /// `%` at `offset` is followed by something other than two hex digits.
  case nonHexadecimalDigits(offset: Int)
  /// `%` at `offset` has fewer than two bytes after it.
  case notEnoughCharacters(offset: Int)

  /// Whether the operator matches (the encoding is invalid).
  public var isInvalid: Bool { self != .valid }

  /// ModSecurity's wording for the debug log.
  public var message: String {
    switch self {
    case .valid: return "Valid URL Encoding"
    case .nonHexadecimalDigits: return "Invalid URL Encoding: Non-hexadecimal digits used"
    case .notEnoughCharacters: return "Invalid URL Encoding: Not enough characters at the end of input"
    }
  }
}

/// What `@validateUtf8Encoding` found.
public enum UTF8EncodingValidation: Sendable, Hashable {
  /// Well-formed as far as ModSecurity checks.
  case valid
  /// A lead byte at `offset` whose sequence is cut off by the end of the input.
  case notEnoughBytes(offset: Int)
  /// A byte that cannot start a sequence (0x80-0xBF, 0xF8-0xFF), or a missing continuation byte.
  case invalidByte(offset: Int)
  /// A sequence longer than the code point needs (`C0 AF` for `/`).
  case overlong(offset: Int)
  /// A surrogate (U+D800-U+DFFF) or a lead byte 0xF5-0xF7 (beyond U+10FFFF).
  case restrictedCharacter(offset: Int)

  /// Whether the operator matches (the encoding is invalid).
  public var isInvalid: Bool { self != .valid }

  /// ModSecurity's wording for the debug log.
  public var message: String {
    switch self {
    case .valid: return "Valid UTF-8 encoding"
    case .notEnoughBytes: return "Invalid UTF-8 encoding: not enough bytes in character"
    case .invalidByte: return "Invalid UTF-8 encoding: invalid byte value in character"
    case .overlong: return "Invalid UTF-8 encoding: overlong character detected"
    case .restrictedCharacter: return "Invalid UTF-8 encoding: use of restricted character"
    }
  }
}

/// The two encoding validators.
public enum EncodingValidation {
  /// Checks `%` escapes: each must be followed by two hex digits. Stops at the first problem.
  ///
  /// - Parameter bytes: The variable value (usually untransformed).
  public static func validateUrlEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> URLEncodingValidation {
    var i = 0
    let count = bytes.count
    while i < count {
      if bytes[i] == 0x25 {
        if i + 2 >= count { return .notEnoughCharacters(offset: i) }
        guard ByteClass.isHex(bytes[i + 1]) && ByteClass.isHex(bytes[i + 2]) else {
          return .nonHexadecimalDigits(offset: i)
        }
        i += 3
      } else {
        i += 1
      }
    }
    return .valid
  }

  /// ``validateUrlEncoding(_:)-(UnsafeBufferPointer<UInt8>)`` over an array.
  public static func validateUrlEncoding(_ bytes: [UInt8]) -> URLEncodingValidation {
    bytes.withUnsafeBufferPointer { validateUrlEncoding($0) }
  }

  /// Checks UTF-8 well-formedness the way ModSecurity does, stopping at the first problem.
  ///
  /// Upstream's checks, kept as they are: a 4-byte sequence led by 0xF4 is not range-checked, so
  /// `F4 90 80 80` (U+110000) passes; a lead byte 0xF5-0xF7 is "restricted", 0xF8-0xFF "invalid".
  ///
  /// - Parameter bytes: The variable value.
  public static func validateUtf8Encoding(_ bytes: UnsafeBufferPointer<UInt8>) -> UTF8EncodingValidation {
    var i = 0
    let count = bytes.count
    while i < count {
      let c = bytes[i]
      let left = count - i
      if c & 0x80 == 0 {
        i += 1
        continue
      }
      let length: Int
      if c & 0xE0 == 0xC0 {
        length = 2
      } else if c & 0xF0 == 0xE0 {
        length = 3
      } else if c & 0xF8 == 0xF0 {
        if c >= 0xF5 { return .restrictedCharacter(offset: i) }
        length = 4
      } else {
        return .invalidByte(offset: i)
      }
      if left < length { return .notEnoughBytes(offset: i) }
      for n in 1..<length where bytes[i + n] & 0xC0 != 0x80 { return .invalidByte(offset: i) }
      let code: UInt32
      switch length {
      case 2: code = UInt32(c & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
      case 3:
        code = UInt32(c & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
      default:
        code =
          UInt32(c & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
          | UInt32(bytes[i + 3] & 0x3F)
      }
      if code >= 0xD800 && code <= 0xDFFF { return .restrictedCharacter(offset: i) }
      if (length == 4 && code < 0x10000) || (length == 3 && code < 0x800) || (length == 2 && code < 0x80) {
        return .overlong(offset: i)
      }
      i += length
    }
    return .valid
  }

  /// ``validateUtf8Encoding(_:)-(UnsafeBufferPointer<UInt8>)`` over an array.
  public static func validateUtf8Encoding(_ bytes: [UInt8]) -> UTF8EncodingValidation {
    bytes.withUnsafeBufferPointer { validateUtf8Encoding($0) }
  }
}

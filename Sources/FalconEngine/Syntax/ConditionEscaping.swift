/// String quoting in Falco conditions, as libsinsp's `filter/escaping.cpp` does it.
enum ConditionEscaping {
  /// The form a constant takes in a canonical condition string: unchanged when it holds no
  /// character that needs escaping, otherwise double-quoted with `\b \f \n \r \t \\ \"` escaped.
  /// A space or a single quote alone also makes the value quoted (but is kept as is).
  static func escape(_ value: String) -> String {
    var needsQuotes = false
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count + 2)
    for byte in value.utf8 {
      switch byte {
      case 0x08: needsQuotes = true; out += [0x5C, UInt8(ascii: "b")]
      case 0x0C: needsQuotes = true; out += [0x5C, UInt8(ascii: "f")]
      case 0x0A: needsQuotes = true; out += [0x5C, UInt8(ascii: "n")]
      case 0x0D: needsQuotes = true; out += [0x5C, UInt8(ascii: "r")]
      case 0x09: needsQuotes = true; out += [0x5C, UInt8(ascii: "t")]
      case UInt8(ascii: " "), UInt8(ascii: "'"): needsQuotes = true; out.append(byte)
      case 0x5C: needsQuotes = true; out += [0x5C, 0x5C]
      case UInt8(ascii: "\""): needsQuotes = true; out += [0x5C, UInt8(ascii: "\"")]
      default: out.append(byte)
      }
    }
    if needsQuotes {
      out.insert(UInt8(ascii: "\""), at: 0)
      out.append(UInt8(ascii: "\""))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Always double-quoted: used where the grammar accepts only quoted strings (transformer
  /// arguments), so the canonical string parses back to the same tree.
  static func quote(_ value: String) -> String {
    let escaped = escape(value)
    // `escape` returns its input unchanged exactly when nothing needed quoting.
    return escaped != value ? escaped : "\"" + value + "\""
  }

  /// Why an escape sequence was refused.
  struct UnescapeError: Error {
    var message: String
  }

  /// Removes the delimiters of a quoted token (`"..."` or `'...'`) and resolves its escapes:
  /// `\b \f \n \r \t \\ \/`, `\ ` (kept as a backslash, for old rules), and the escaped delimiter;
  /// the other quote escaped, or any other escape, is an error.
  static func unescape(_ token: ArraySlice<UInt8>) throws(UnescapeError) -> String {
    guard token.count >= 2, let delimiter = token.first else { return "" }
    var out: [UInt8] = []
    out.reserveCapacity(token.count)
    var escaped = false
    for byte in token.dropFirst().dropLast() {
      if !escaped {
        if byte == 0x5C { escaped = true } else { out.append(byte) }
        continue
      }
      switch byte {
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: " "), 0x5C: out.append(0x5C)
      case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
      case UInt8(ascii: "\""):
        if delimiter != byte { throw UnescapeError(message: "invalid \\\" escape in '-quoted string") }
        out.append(byte)
      case UInt8(ascii: "'"):
        if delimiter != byte { throw UnescapeError(message: "invalid \\' escape in \"-quoted string") }
        out.append(byte)
      default:
        throw UnescapeError(message: "unsupported string escape sequence: \\" + String(decoding: [byte], as: UTF8.self))
      }
      escaped = false
    }
    return String(decoding: out, as: UTF8.self)
  }
}

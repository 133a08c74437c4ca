public import PolicyCore

extension Diagnostic.Code {
  /// Rego source that does not parse.
  public static let regoParseError = Self("rego_parse_error")
  /// A module that parses but does not compile (unsafe variables, conflicts, recursion...).
  public static let regoCompileError = Self("rego_compile_error")
  /// A variable that no expression binds.
  public static let regoUnsafeVarError = Self("rego_unsafe_var_error")
  /// A rule that depends on itself.
  public static let regoRecursionError = Self("rego_recursion_error")
  /// A type error found at compile time.
  public static let regoTypeError = Self("rego_type_error")
  /// A type error found during evaluation.
  public static let evalTypeError = Self("eval_type_error")
  /// A builtin function failed.
  public static let evalBuiltinError = Self("eval_builtin_error")
  /// A rule or function produced conflicting values.
  public static let evalConflictError = Self("eval_conflict_error")
}

/// Splits Rego source into tokens.
///
/// Comments (`#` to end of line) and whitespace are skipped; each token records whether a line
/// break came before it, which the parser needs because a line break ends an expression.
struct Lexer {
  private let file: SourceFile
  private let bytes: [UInt8]
  private var index = 0

  init(file: SourceFile) {
    self.file = file
    self.bytes = file.bytes
  }

  mutating func tokenize() throws(Diagnostic) -> [Token] {
    var tokens: [Token] = []
    while true {
      let token = try next()
      tokens.append(token)
      if token.kind == .endOfFile { return tokens }
    }
  }

  private func error(_ message: String, at offset: Int) -> Diagnostic {
    Diagnostic(.regoParseError, message, span: SourceSpan(file: file, start: offset))
  }

  private mutating func next() throws(Diagnostic) -> Token {
    var sawNewline = false
    // Skip whitespace and comments.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\n") {
        sawNewline = true
        index += 1
      } else if byte == 0x20 || byte == 0x09 || byte == 0x0D {
        index += 1
      } else if byte == UInt8(ascii: "#") {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
      } else {
        break
      }
    }
    let start = index
    guard index < bytes.count else {
      return Token(kind: .endOfFile, text: "", start: start, end: start, newlineBefore: sawNewline)
    }
    let byte = bytes[index]
    func make(_ kind: Token.Kind, _ text: String) -> Token {
      Token(kind: kind, text: text, start: start, end: index, newlineBefore: sawNewline)
    }
    if isIdentifierStart(byte) {
      while index < bytes.count, isIdentifierContinue(bytes[index]) { index += 1 }
      return make(.identifier, String(decoding: bytes[start..<index], as: UTF8.self))
    }
    if isDigit(byte) || (byte == UInt8(ascii: ".") && index + 1 < bytes.count && isDigit(bytes[index + 1])) {
      return make(.number, try scanNumber())
    }
    if byte == UInt8(ascii: "\"") {
      return make(.string, try scanString())
    }
    if byte == UInt8(ascii: "`") {
      index += 1
      let contentStart = index
      while index < bytes.count, bytes[index] != UInt8(ascii: "`") { index += 1 }
      guard index < bytes.count else { throw error("non-terminated raw string", at: start) }
      let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
      index += 1
      return make(.rawString, text)
    }
    if byte == UInt8(ascii: "$"), index + 1 < bytes.count,
      bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "`")
    {
      let quote = bytes[index + 1]
      index += 2
      let contentStart = index
      var depth = 0
      while index < bytes.count {
        let c = bytes[index]
        if depth == 0 {
          if c == quote { break }
          if c == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") || (index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "{")) {
            index += 2
            continue
          }
          if quote == UInt8(ascii: "\""), c == UInt8(ascii: "\n") {
            throw error("non-terminated template string", at: start)
          }
          if c == UInt8(ascii: "{") { depth = 1 }
          index += 1
          continue
        }
        // Inside an expression: skip strings, track braces.
        if c == UInt8(ascii: "\"") {
          index += 1
          while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
          }
        } else if c == UInt8(ascii: "`") {
          index += 1
          while index < bytes.count, bytes[index] != UInt8(ascii: "`") { index += 1 }
        } else if c == UInt8(ascii: "{") {
          depth += 1
        } else if c == UInt8(ascii: "}") {
          depth -= 1
        }
        index += 1
      }
      guard index < bytes.count else { throw error("non-terminated template string", at: start) }
      let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
      index += 1
      var token = make(.templateString, text)
      token.text = (quote == UInt8(ascii: "`") ? "`" : "\"") + text
      return token
    }
    // Punctuation, longest match first.
    let two = index + 1 < bytes.count ? String(decoding: bytes[index...index + 1], as: UTF8.self) : ""
    if [":=", "==", "!=", "<=", ">="].contains(two) {
      index += 2
      return make(.punctuation, two)
    }
    let single = String(decoding: [byte], as: UTF8.self)
    if "{}[](),;:.=<>+-*/%&|!".utf8.contains(byte) {
      index += 1
      return make(.punctuation, single)
    }
    throw error("illegal token: unexpected character '\(String(decoding: [byte], as: UTF8.self))'", at: start)
  }

  private mutating func scanNumber() throws(Diagnostic) -> String {
    let start = index
    while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    if index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
      index += 1
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      var look = index + 1
      if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
      if look < bytes.count, isDigit(bytes[look]) {
        index = look
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
      }
    }
    if index < bytes.count, isIdentifierStart(bytes[index]) {
      throw error("illegal number format", at: start)
    }
    var text = String(decoding: bytes[start..<index], as: UTF8.self)
    if text.hasPrefix(".") { text = "0" + text }
    // Rego accepts leading zeros as Go's ParseFloat would; keep JSON form for exactness.
    while text.count > 1, text.hasPrefix("0"), let second = text.dropFirst().first, second.isNumber {
      text.removeFirst()
    }
    return text
  }

  /// Scans a double-quoted string with Go's escapes; returns the decoded text.
  private mutating func scanString() throws(Diagnostic) -> String {
    let start = index
    index += 1
    var out: [UInt8] = []
    while true {
      guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else {
        throw error("non-terminated string", at: start)
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        break
      }
      if byte != UInt8(ascii: "\\") {
        out.append(byte)
        index += 1
        continue
      }
      let escapeStart = index
      index += 1
      guard index < bytes.count else { throw error("non-terminated string", at: start) }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
      case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "a"): out.append(0x07)
      case UInt8(ascii: "v"): out.append(0x0B)
      case UInt8(ascii: "u"):
        var scalar = try hex(count: 4, escapeStart: escapeStart)
        if scalar >= 0xD800 && scalar < 0xDC00, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          index += 2
          let low = try hex(count: 4, escapeStart: escapeStart)
          if low >= 0xDC00 && low < 0xE000 {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            scalar = 0xFFFD
          }
        }
        let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(character).utf8))
      default:
        throw error("invalid escape sequence '\\\(String(decoding: [escape], as: UTF8.self))' in string", at: escapeStart)
      }
    }
    guard let text = String(validating: out, as: UTF8.self) else {
      throw error("invalid UTF-8 in string", at: start)
    }
    return text
  }

  private mutating func hex(count: Int, escapeStart: Int) throws(Diagnostic) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<count {
      guard index < bytes.count, let digit = hexValue(bytes[index]) else {
        throw error("invalid \\u escape in string", at: escapeStart)
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }
}

@inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
@inline(__always) private func isIdentifierStart(_ byte: UInt8) -> Bool {
  (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
}
@inline(__always) private func isIdentifierContinue(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }
private func hexValue(_ byte: UInt8) -> UInt32? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
  default: return nil
  }
}

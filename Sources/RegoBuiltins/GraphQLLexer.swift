// Tokenizer for GraphQL documents, after the behaviour of vektah/gqlparser's lexer (which OPA
// vendors): positions are 1-based lines and columns counted in Unicode scalars, commas are
// whitespace, comments are tokens the parser skips, and a character the lexer cannot read becomes
// an `Invalid` token whose position is where reading stopped. The parser reports such a token as
// `Unexpected <Invalid>` unless it consumes it outright, in which case the lexer's own message is
// the error.

/// A 1-based line and column (in Unicode scalars) in a GraphQL source.
struct GraphQLPosition: Sendable, Hashable {
  var line: Int
  var column: Int
}

/// A token kind; `display` is how gqlparser names it in error messages.
enum GraphQLTokenKind: Sendable, Hashable {
  case invalid, eof, bang, dollar, amp, parenL, parenR, spread, colon, equals, at
  case bracketL, bracketR, braceL, pipe, braceR, name, int, float, string, blockString, comment

  /// The name used in messages such as `Expected Name, found <EOF>`.
  var display: String {
    switch self {
    case .invalid: return "<Invalid>"
    case .eof: return "<EOF>"
    case .bang: return "!"
    case .dollar: return "$"
    case .amp: return "&"
    case .parenL: return "("
    case .parenR: return ")"
    case .spread: return "..."
    case .colon: return ":"
    case .equals: return "="
    case .at: return "@"
    case .bracketL: return "["
    case .bracketR: return "]"
    case .braceL: return "{"
    case .pipe: return "|"
    case .braceR: return "}"
    case .name: return "Name"
    case .int: return "Int"
    case .float: return "Float"
    case .string: return "String"
    case .blockString: return "BlockString"
    case .comment: return "Comment"
    }
  }
}

/// One token: its kind, its value (names, numbers, decoded strings; empty for punctuators), its
/// position, and for `Invalid` tokens the lexer's message.
struct GraphQLToken: Sendable {
  var kind: GraphQLTokenKind
  var value: String
  var position: GraphQLPosition
  var lexerError: String?

  /// The token as messages show it: the kind, then the quoted value when there is one.
  var display: String {
    value.isEmpty ? kind.display : kind.display + " " + graphQLGoQuote(value)
  }
}

/// Reads tokens one at a time from UTF-8 source text.
struct GraphQLLexer {
  private let input: [UInt8]
  /// Byte offset where the current token starts, and its offset in Unicode scalars.
  private var start = 0
  private var startRunes = 0
  /// Byte offset of the read head, and its offset in Unicode scalars.
  private var end = 0
  private var endRunes = 0
  private var line = 1
  private var lineStartRunes = 0

  init(_ text: String) {
    input = Array(text.utf8)
  }

  /// The next token, including comments; `EOF` at the end (repeatedly).
  mutating func next() -> GraphQLToken {
    skipWhitespace()
    start = end
    startRunes = endRunes
    guard end < input.count else { return makeToken(.eof) }
    let byte = input[start]
    end += 1
    endRunes += 1
    switch byte {
    case UInt8(ascii: "!"): return makeValueToken(.bang, "")
    case UInt8(ascii: "$"): return makeValueToken(.dollar, "")
    case UInt8(ascii: "&"): return makeValueToken(.amp, "")
    case UInt8(ascii: "("): return makeValueToken(.parenL, "")
    case UInt8(ascii: ")"): return makeValueToken(.parenR, "")
    case UInt8(ascii: "."):
      if start + 2 < input.count, input[start + 1] == UInt8(ascii: "."), input[start + 2] == UInt8(ascii: ".") {
        end += 2
        endRunes += 2
        return makeValueToken(.spread, "")
      }
    case UInt8(ascii: ":"): return makeValueToken(.colon, "")
    case UInt8(ascii: "="): return makeValueToken(.equals, "")
    case UInt8(ascii: "@"): return makeValueToken(.at, "")
    case UInt8(ascii: "["): return makeValueToken(.bracketL, "")
    case UInt8(ascii: "]"): return makeValueToken(.bracketR, "")
    case UInt8(ascii: "{"): return makeValueToken(.braceL, "")
    case UInt8(ascii: "}"): return makeValueToken(.braceR, "")
    case UInt8(ascii: "|"): return makeValueToken(.pipe, "")
    case UInt8(ascii: "#"): return readComment()
    case UInt8(ascii: "_"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
      return readName()
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return readNumber()
    case UInt8(ascii: "\""):
      if start + 2 < input.count, input[start + 1] == UInt8(ascii: "\""), input[start + 2] == UInt8(ascii: "\"") {
        return readBlockString()
      }
      return readString()
    default:
      break
    }
    end -= 1
    endRunes -= 1
    if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
      // gqlparser formats the code with %04d, so the "hex" digits are decimal.
      let digits = String(byte)
      return makeError("Cannot contain the invalid character \"\\u\(String(repeating: "0", count: max(0, 4 - digits.count)) + digits)\"")
    }
    if byte == UInt8(ascii: "'") {
      return makeError("Unexpected single quote character ('), did you mean to use a double quote (\")?")
    }
    // gqlparser converts the first byte (not the whole character) to a string here.
    let character = String(Character(Unicode.Scalar(byte)))
    return makeError("Cannot parse the unexpected character \"\(character)\".")
  }

  // MARK: Token construction

  private func text(_ from: Int, _ to: Int) -> String {
    String(decoding: input[from..<to], as: UTF8.self)
  }

  private func makeToken(_ kind: GraphQLTokenKind) -> GraphQLToken {
    makeValueToken(kind, text(start, end))
  }

  private func makeValueToken(_ kind: GraphQLTokenKind, _ value: String) -> GraphQLToken {
    GraphQLToken(
      kind: kind, value: value,
      position: GraphQLPosition(line: line, column: startRunes - lineStartRunes + 1), lexerError: nil)
  }

  private func makeError(_ message: String) -> GraphQLToken {
    GraphQLToken(
      kind: .invalid, value: "",
      position: GraphQLPosition(line: line, column: endRunes - lineStartRunes + 1), lexerError: message)
  }

  // MARK: Whitespace and comments

  private mutating func skipWhitespace() {
    while end < input.count {
      switch input[end] {
      case 0x09, 0x20, UInt8(ascii: ","):
        end += 1
        endRunes += 1
      case 0x0A:
        end += 1
        endRunes += 1
        line += 1
        lineStartRunes = endRunes
      case 0x0D:
        end += 1
        endRunes += 1
        line += 1
        lineStartRunes = endRunes
        if end < input.count, input[end] == 0x0A {
          end += 1
          endRunes += 1
        }
      case 0xEF:
        // A UTF-8 byte order mark counts as one character of whitespace.
        if end + 2 < input.count, input[end + 1] == 0xBB, input[end + 2] == 0xBF {
          end += 3
          endRunes += 1
        } else {
          return
        }
      default:
        return
      }
    }
  }

  /// The width in bytes of the UTF-8 sequence starting at `index` (1 for malformed bytes).
  private func scalarWidth(at index: Int) -> Int {
    let lead = input[index]
    let width: Int
    switch lead {
    case 0xC0...0xDF: width = 2
    case 0xE0...0xEF: width = 3
    case 0xF0...0xF7: width = 4
    default: width = 1
    }
    return index + width <= input.count ? width : 1
  }

  private mutating func readComment() -> GraphQLToken {
    while end < input.count {
      let byte = input[end]
      if byte > 0x1F || byte == 0x09 {
        end += byte < 0x80 ? 1 : scalarWidth(at: end)
        endRunes += 1
      } else {
        break
      }
    }
    return makeToken(.comment)
  }

  // MARK: Names and numbers

  private mutating func readName() -> GraphQLToken {
    while end < input.count {
      let byte = input[end]
      let isNameByte =
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
      guard isNameByte else { break }
      end += 1
      endRunes += 1
    }
    return makeToken(.name)
  }

  private mutating func acceptByte(_ accepted: UInt8...) -> Bool {
    guard end < input.count, accepted.contains(input[end]) else { return false }
    end += 1
    endRunes += 1
    return true
  }

  private mutating func acceptDigits() -> Int {
    var consumed = 0
    while end < input.count, input[end] >= UInt8(ascii: "0"), input[end] <= UInt8(ascii: "9") {
      end += 1
      endRunes += 1
      consumed += 1
    }
    return consumed
  }

  private func describeNext() -> String {
    guard end < input.count else { return "<EOF>" }
    return "\"" + String(Character(Unicode.Scalar(input[end]))) + "\""
  }

  private mutating func readNumber() -> GraphQLToken {
    var isFloat = false
    end -= 1
    endRunes -= 1
    _ = acceptByte(UInt8(ascii: "-"))
    if acceptByte(UInt8(ascii: "0")) {
      let consumed = acceptDigits()
      if consumed != 0 {
        end -= consumed
        endRunes -= consumed
        return makeError("Invalid number, unexpected digit after 0: \(describeNext()).")
      }
    } else if acceptDigits() == 0 {
      return makeError("Invalid number, expected digit but got: \(describeNext()).")
    }
    if acceptByte(UInt8(ascii: ".")) {
      isFloat = true
      if acceptDigits() == 0 {
        return makeError("Invalid number, expected digit but got: \(describeNext()).")
      }
    }
    if acceptByte(UInt8(ascii: "e"), UInt8(ascii: "E")) {
      isFloat = true
      _ = acceptByte(UInt8(ascii: "-"), UInt8(ascii: "+"))
      if acceptDigits() == 0 {
        return makeError("Invalid number, expected digit but got: \(describeNext()).")
      }
    }
    return makeToken(isFloat ? .float : .int)
  }

  // MARK: Strings

  private static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  private static func appendScalar(_ value: UInt32, to buffer: inout [UInt8]) {
    let scalar = Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD as UInt32) ?? "?"
    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
  }

  private mutating func readString() -> GraphQLToken {
    var buffer: [UInt8]?
    start += 1
    startRunes += 1
    while end < input.count {
      let byte = input[end]
      if byte == 0x0A || byte == 0x0D { break }
      if byte < 0x20, byte != 0x09 {
        let digits = String(byte)
        return makeError(
          "Invalid character within String: \"\\u\(String(repeating: "0", count: max(0, 4 - digits.count)) + digits)\".")
      }
      switch byte {
      case UInt8(ascii: "\""):
        let value = buffer.map { String(decoding: $0, as: UTF8.self) } ?? text(start, end)
        let token = makeValueToken(.string, value)
        end += 1
        endRunes += 1
        return token
      case UInt8(ascii: "\\"):
        if end + 1 >= input.count {
          end += 1
          endRunes += 1
          return makeError("Invalid character escape sequence.")
        }
        if buffer == nil { buffer = Array(input[start..<end]) }
        let escape = input[end + 1]
        if escape == UInt8(ascii: "u") {
          if end + 6 >= input.count {
            end += 1
            endRunes += 1
            return makeError("Invalid character escape sequence: \\\(text(end, input.count)).")
          }
          var code: UInt32 = 0
          for index in (end + 2)..<(end + 6) {
            guard let digit = GraphQLLexer.hexValue(input[index]) else {
              end += 1
              endRunes += 1
              return makeError("Invalid character escape sequence: \\\(text(end, min(end + 5, input.count))).")
            }
            code = code << 4 | digit
          }
          var decoded = buffer ?? []
          GraphQLLexer.appendScalar(code, to: &decoded)
          buffer = decoded
          end += 6
          endRunes += 6
        } else {
          let decoded: UInt8
          switch escape {
          case UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): decoded = escape
          case UInt8(ascii: "b"): decoded = 0x08
          case UInt8(ascii: "f"): decoded = 0x0C
          case UInt8(ascii: "n"): decoded = 0x0A
          case UInt8(ascii: "r"): decoded = 0x0D
          case UInt8(ascii: "t"): decoded = 0x09
          default:
            end += 1
            endRunes += 1
            let shown = String(Character(Unicode.Scalar(escape)))
            return makeError("Invalid character escape sequence: \\\(shown).")
          }
          buffer?.append(decoded)
          end += 2
          endRunes += 2
        }
      default:
        let width = byte < 0x80 ? 1 : scalarWidth(at: end)
        buffer?.append(contentsOf: input[end..<(end + width)])
        end += width
        endRunes += 1
      }
    }
    return makeError("Unterminated string.")
  }

  private mutating func readBlockString() -> GraphQLToken {
    var buffer: [UInt8] = []
    start += 3
    startRunes += 3
    end += 2
    endRunes += 2
    while end < input.count {
      let byte = input[end]
      if byte == UInt8(ascii: "\"") {
        var quotes = 1
        var index = end + 1
        while index < input.count, input[index] == UInt8(ascii: "\"") {
          quotes += 1
          index += 1
        }
        if quotes >= 3 {
          buffer.append(contentsOf: [UInt8](repeating: UInt8(ascii: "\""), count: quotes - 3))
          let token = makeValueToken(.blockString, graphQLBlockStringValue(String(decoding: buffer, as: UTF8.self)))
          end += quotes
          endRunes += quotes
          return token
        }
      }
      if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
        let digits = String(byte)
        return makeError(
          "Invalid character within String: \"\\u\(String(repeating: "0", count: max(0, 4 - digits.count)) + digits)\".")
      }
      if byte == UInt8(ascii: "\\"), end + 4 <= input.count, input[end + 1] == UInt8(ascii: "\""),
        input[end + 2] == UInt8(ascii: "\""), input[end + 3] == UInt8(ascii: "\"")
      {
        buffer.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\""), UInt8(ascii: "\"")])
        end += 4
        endRunes += 4
      } else if byte == 0x0D {
        if end + 1 < input.count, input[end + 1] == 0x0A {
          end += 1
          endRunes += 1
        }
        buffer.append(0x0A)
        end += 1
        endRunes += 1
        line += 1
        lineStartRunes = endRunes
      } else {
        let width = byte < 0x80 ? 1 : scalarWidth(at: end)
        buffer.append(contentsOf: input[end..<(end + width)])
        end += width
        endRunes += 1
        if byte == 0x0A {
          line += 1
          lineStartRunes = endRunes
        }
      }
    }
    return makeError("Unterminated string.")
  }
}

/// The value of a block string from its raw text, as gqlparser computes it: the common indent of
/// all lines (gqlparser counts the first line too) is removed from every line but the first, then
/// leading and trailing blank lines are dropped.
func graphQLBlockStringValue(_ raw: String) -> String {
  var lines = Array(raw.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
  /// The count of leading spaces and tabs, or nil when the line is only whitespace.
  func leadingWhitespace(_ line: [UInt8]) -> Int? {
    for (index, byte) in line.enumerated() where byte != 0x20 && byte != 0x09 {
      return index
    }
    return nil
  }
  var commonIndent: Int?
  for line in lines {
    if let indent = leadingWhitespace(line), indent < (commonIndent ?? Int.max) {
      commonIndent = indent
      if indent == 0 { break }
    }
  }
  if let commonIndent, !lines.isEmpty {
    for index in lines.indices.dropFirst() {
      lines[index] = lines[index].count < commonIndent ? [] : Array(lines[index][commonIndent...])
    }
  }
  var first = 0
  var last = lines.count
  while first < last, leadingWhitespace(lines[first]) == nil { first += 1 }
  while first < last, leadingWhitespace(lines[last - 1]) == nil { last -= 1 }
  return lines[first..<last].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
}

/// Quotes a string as Go's `strconv.Quote` does: printable characters as they are, `"` and `\`
/// escaped, control characters as `\n`-style or `\xHH`/`\uHHHH` escapes.
func graphQLGoQuote(_ text: String) -> String {
  var result = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\u{07}": result += "\\a"
    case "\u{08}": result += "\\b"
    case "\u{0C}": result += "\\f"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    case "\u{0B}": result += "\\v"
    default:
      if graphQLIsPrintable(scalar) {
        result.unicodeScalars.append(scalar)
      } else if scalar.value < 0x80 {
        result += "\\x" + graphQLHex(scalar.value, width: 2)
      } else if scalar.value <= 0xFFFF {
        result += "\\u" + graphQLHex(scalar.value, width: 4)
      } else {
        result += "\\U" + graphQLHex(scalar.value, width: 8)
      }
    }
  }
  return result + "\""
}

private func graphQLHex(_ value: UInt32, width: Int) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Approximates Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the
/// ASCII space.
private func graphQLIsPrintable(_ scalar: Unicode.Scalar) -> Bool {
  if scalar == " " { return true }
  switch scalar.properties.generalCategory {
  case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
    .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
    .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol,
    .modifierSymbol, .otherSymbol:
    return true
  default:
    return false
  }
}

// SQLTokenizer: splits untrusted bytes into SQL token classes for `@detectSQLi`.
//
// Written here from SQL knowledge; libinjection's published design is the model (tokens, three quote
// contexts, folding, a short fingerprint), none of its code or tables are used.
//
// Lexical grammar, one token per rule, tried in this order at each position:
//
//   whitespace   ::= [\x00-\x20] | 0x7F | 0xA0                    skipped
//   comment      ::= "/*" ... "*/" | "--" ...EOL | "#" ...EOL       'c'   ("/*!" MySQL executable
//                                                                         comments are read as code)
//   string       ::= quote ( "\" any | quote quote | ~quote )* quote?   's' (quote is ' or ")
//   string       ::= [nNxXbBeE] "'" ... "'"    (national, hex, bit, escape strings)   's'
//   string       ::= "$$" ... "$$"             (PostgreSQL dollar quoting)            's'
//   identifier   ::= "`" ... "`"                                                      'n'
//   variable     ::= "@" "@"? word | "@" string                                       'v'
//   number       ::= "0x" hex+ | "0b" [01]+ | digits ("." digits)? ([eE] [+-]? digits)? | "." digits   '1'
//   word         ::= [A-Za-z_\x80-\xff] [A-Za-z0-9_$\x80-\xff]* ("." word)*   classified by
//                    `SQLKeywords`: 'k' keyword, 'U' union-type, 'E' statement, 'T' procedural statement,
//                    'B' grouping, '&' logic, 'o' word operator, '1' literal, 'f' function (only when a
//                    "(" follows), otherwise 'n' bareword
//   operator     ::= "<=>" | "<=" | ">=" | "<>" | "!=" | "||" | "&&" | ":=" | "::" | "->" | "<<" | ">>"
//                  | one of = < > ! + - * / % ^ | & ~ \ [ ] { } ?      'o'  ("||" and "&&" are '&')
//   punctuation  ::= "(" | ")" | "," | ";" | ":" | "."   themselves
//
// Anything else (stray bytes) is skipped. The tokenizer only moves forward, never backtracks more
// than a fixed look-ahead, and the caller stops it after `SQLTokenizer.maximumTokens`, so the work
// is linear in the input and bounded overall.

/// One lexical token: its class letter (the fingerprint alphabet above) and where it came from.
struct SQLToken: Sendable, Equatable {
  /// The class letter that goes into the fingerprint.
  var kind: UInt8
  /// Byte range in the (context-prefixed) input.
  var start: Int
  var end: Int
  /// For strings: whether the closing quote was found. Open strings at the end of input are how an
  /// injection inside a quoted context leaves the application's own closing quote to finish it.
  var closed: Bool = true
  /// For operators: whether this is an arithmetic or unary one (`+ - * / % ~ !`), which folding
  /// drops or merges. For comments: whether it is a real terminator (`#`, `/*`, or `--` followed by
  /// whitespace, `-` or the end), as opposed to `-->` and the like.
  var flag: Bool = false
}

/// The byte classes and the tokenizer state machine; see the file header for the grammar.
struct SQLTokenizer {
  /// Upper bound on tokens one context produces; the classifier only reads the first few anyway.
  static let maximumTokens = 64

  private let bytes: UnsafeBufferPointer<UInt8>
  /// When not 0, the input is treated as if it started right after this opening quote.
  private let contextQuote: UInt8
  private var position = 0
  private var startedContext = false
  /// Set while inside a `/*! ... */` MySQL executable comment, so its `*/` is skipped as space.
  private var inExecutableComment = false

  init(_ bytes: UnsafeBufferPointer<UInt8>, contextQuote: UInt8) {
    self.bytes = bytes
    self.contextQuote = contextQuote
  }

  /// Returns the next token, or nil at the end of the input.
  mutating func next() -> SQLToken? {
    if contextQuote != 0 && !startedContext {
      startedContext = true
      // The input continues a string the application opened: the first token is that string.
      return readString(quote: contextQuote, from: 0, tokenStart: 0)
    }
    while position < bytes.count {
      let byte = bytes[position]
      let start = position
      switch byte {
      case 0x00...0x20, 0x7F, 0xA0:
        position += 1
      case UInt8(ascii: "'"), UInt8(ascii: "\""):
        return readString(quote: byte, from: position + 1, tokenStart: start)
      case UInt8(ascii: "`"):
        let end = scan(from: position + 1, until: UInt8(ascii: "`"))
        position = min(end + 1, bytes.count)
        return SQLToken(kind: UInt8(ascii: "n"), start: start, end: position)
      case UInt8(ascii: "/"):
        if peek(1) == UInt8(ascii: "*") {
          if peek(2) == UInt8(ascii: "!") {
            // MySQL runs the body of /*!NNNNN ... */ as SQL: skip the marker and version digits.
            position += 3
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            inExecutableComment = true
            continue
          }
          let end = scanCommentEnd(from: position + 2)
          position = end
          return SQLToken(kind: UInt8(ascii: "c"), start: start, end: end, flag: true)
        }
        position += 1
        return SQLToken(kind: UInt8(ascii: "o"), start: start, end: position, flag: true)
      case UInt8(ascii: "*"):
        if inExecutableComment && peek(1) == UInt8(ascii: "/") {
          inExecutableComment = false
          position += 2
          continue
        }
        position += 1
        return SQLToken(kind: UInt8(ascii: "o"), start: start, end: position, flag: true)
      case UInt8(ascii: "-"):
        if peek(1) == UInt8(ascii: "-") {
          let after = peek(2)
          let strong =
            after == nil || after == UInt8(ascii: "-") || after == UInt8(ascii: "#") || after.map { $0 <= 0x20 } == true
          position = scanLineEnd(from: position + 2)
          return SQLToken(kind: UInt8(ascii: "c"), start: start, end: position, flag: strong)
        }
        position += 1
        return SQLToken(kind: UInt8(ascii: "o"), start: start, end: position, flag: true)
      case UInt8(ascii: "#"):
        // MySQL's `#` comment. It only counts as cutting off a query when the rest of the line is
        // not prose: no quote and no word after a space (`admin'#`, `'#$%^`), unlike
        // `'#' marks a comment` or `" # for v3.2"`.
        position = scanLineEnd(from: position + 1)
        var strong = true
        var index = start + 1
        while index < position {
          let byte = bytes[index]
          if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") { strong = false }
          if byte == 0x20, index + 1 < position, isASCIILetter(bytes[index + 1]) { strong = false }
          index += 1
        }
        return SQLToken(kind: UInt8(ascii: "c"), start: start, end: position, flag: strong)
      case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ";"):
        position += 1
        return SQLToken(kind: byte, start: start, end: position)
      case UInt8(ascii: "."):
        if let next = peek(1), isDigit(next) { return readNumber() }
        position += 1
        return SQLToken(kind: UInt8(ascii: "."), start: start, end: position)
      case UInt8(ascii: "@"):
        return readVariable()
      case UInt8(ascii: "$"):
        if peek(1) == UInt8(ascii: "$") {
          // $$ ... $$ dollar-quoted string.
          var index = position + 2
          var closed = false
          while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "$") && bytes[index + 1] == UInt8(ascii: "$") {
              closed = true
              break
            }
            index += 1
          }
          position = closed ? index + 2 : bytes.count
          return SQLToken(kind: UInt8(ascii: "s"), start: start, end: position, closed: closed)
        }
        if let next = peek(1), isDigit(next) {
          // $1 positional parameter.
          position += 1
          while position < bytes.count, isDigit(bytes[position]) { position += 1 }
          return SQLToken(kind: UInt8(ascii: "v"), start: start, end: position)
        }
        return readWord()
      case _ where isDigit(byte):
        return readNumber()
      case _ where isWordStart(byte):
        // Prefixed string literals: N'..', X'..', B'..', E'..'.
        if let next = peek(1), next == UInt8(ascii: "'") {
          switch byte | 0x20 {
          case UInt8(ascii: "n"), UInt8(ascii: "x"), UInt8(ascii: "b"), UInt8(ascii: "e"):
            return readString(quote: next, from: position + 2, tokenStart: start)
          default: break
          }
        }
        return readWord()
      default:
        if let length = operatorLength(at: position) {
          position += length
          if length == 1 && byte == UInt8(ascii: ":") {
            // A lone colon is a label or parameter marker, not an operator.
            return SQLToken(kind: UInt8(ascii: ":"), start: start, end: position)
          }
          let text0 = bytes[start]
          let isLogic =
            length == 2 && bytes[start + 1] == text0
            && (text0 == UInt8(ascii: "|") || text0 == UInt8(ascii: "&"))
          let arithmetic =
            length == 1
            && (text0 == UInt8(ascii: "+") || text0 == UInt8(ascii: "%") || text0 == UInt8(ascii: "~")
              || text0 == UInt8(ascii: "!"))
          return SQLToken(
            kind: isLogic ? UInt8(ascii: "&") : UInt8(ascii: "o"), start: start, end: position, flag: arithmetic)
        }
        position += 1  // a byte SQL has no use for
      }
    }
    return nil
  }

  // MARK: - Pieces

  private func peek(_ offset: Int) -> UInt8? {
    let index = position + offset
    return index < bytes.count ? bytes[index] : nil
  }

  private func scan(from index: Int, until terminator: UInt8) -> Int {
    var index = index
    while index < bytes.count && bytes[index] != terminator { index += 1 }
    return index
  }

  private func scanLineEnd(from index: Int) -> Int {
    var index = index
    while index < bytes.count && bytes[index] != 0x0A { index += 1 }
    return index
  }

  private func scanCommentEnd(from index: Int) -> Int {
    var index = index
    while index + 1 < bytes.count {
      if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") { return index + 2 }
      index += 1
    }
    return bytes.count
  }

  /// Reads a quoted string whose body starts at `from`; a doubled quote or a backslash escapes.
  private mutating func readString(quote: UInt8, from: Int, tokenStart: Int) -> SQLToken {
    var index = from
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if byte == quote {
        if index + 1 < bytes.count && bytes[index + 1] == quote {
          index += 2
          continue
        }
        position = index + 1
        return SQLToken(kind: UInt8(ascii: "s"), start: tokenStart, end: position)
      }
      index += 1
    }
    position = bytes.count
    return SQLToken(kind: UInt8(ascii: "s"), start: tokenStart, end: position, closed: false)
  }

  private mutating func readNumber() -> SQLToken {
    let start = position
    if bytes[position] == UInt8(ascii: "0"), let x = peek(1), x | 0x20 == UInt8(ascii: "x") || x | 0x20 == UInt8(ascii: "b") {
      position += 2
      while position < bytes.count, isHexDigit(bytes[position]) { position += 1 }
      return SQLToken(kind: UInt8(ascii: "1"), start: start, end: position)
    }
    while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      position += 1
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }
    if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
      var index = position + 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      if index < bytes.count, isDigit(bytes[index]) {
        position = index
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
      }
    }
    return SQLToken(kind: UInt8(ascii: "1"), start: start, end: position)
  }

  private mutating func readVariable() -> SQLToken {
    let start = position
    position += 1
    if position < bytes.count, bytes[position] == UInt8(ascii: "@") { position += 1 }
    if position < bytes.count, bytes[position] == UInt8(ascii: "'") || bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "`") {
      let quote = bytes[position]
      let end = scan(from: position + 1, until: quote)
      position = min(end + 1, bytes.count)
    } else {
      while position < bytes.count, isWordByte(bytes[position]) || bytes[position] == UInt8(ascii: ".") {
        position += 1
      }
    }
    return SQLToken(kind: UInt8(ascii: "v"), start: start, end: position)
  }

  private mutating func readWord() -> SQLToken {
    let start = position
    position += 1
    while position < bytes.count {
      let byte = bytes[position]
      if isWordByte(byte) {
        position += 1
      } else if byte == UInt8(ascii: "."), position + 1 < bytes.count, isWordStart(bytes[position + 1]) {
        position += 1  // schema.table.column stays one name
      } else {
        break
      }
    }
    return SQLToken(kind: UInt8(ascii: "n"), start: start, end: position)
  }

  private func operatorLength(at index: Int) -> Int? {
    let byte = bytes[index]
    let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
    let third: UInt8 = index + 2 < bytes.count ? bytes[index + 2] : 0
    switch byte {
    case UInt8(ascii: "<"):
      if next == UInt8(ascii: "="), third == UInt8(ascii: ">") { return 3 }
      if next == UInt8(ascii: "=") || next == UInt8(ascii: ">") || next == UInt8(ascii: "<") { return 2 }
      return 1
    case UInt8(ascii: ">"):
      return next == UInt8(ascii: "=") || next == UInt8(ascii: ">") ? 2 : 1
    case UInt8(ascii: "!"):
      return next == UInt8(ascii: "=") ? 2 : 1
    case UInt8(ascii: "|"):
      return next == UInt8(ascii: "|") ? 2 : 1
    case UInt8(ascii: "&"):
      return next == UInt8(ascii: "&") ? 2 : 1
    case UInt8(ascii: ":"):
      return next == UInt8(ascii: "=") || next == UInt8(ascii: ":") ? 2 : 1
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "~"),
      UInt8(ascii: "\\"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
      UInt8(ascii: "?"):
      return 1
    default:
      return nil
    }
  }
}

// MARK: - Byte classes

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

@inline(__always) func isHexDigit(_ byte: UInt8) -> Bool {
  isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
}

@inline(__always) func isASCIILetter(_ byte: UInt8) -> Bool {
  byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")
}

@inline(__always) func isWordStart(_ byte: UInt8) -> Bool {
  isASCIILetter(byte) || byte == UInt8(ascii: "_") || byte >= 0x80 && byte != 0xA0
}

@inline(__always) func isWordByte(_ byte: UInt8) -> Bool {
  isWordStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
}

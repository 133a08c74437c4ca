/// The token matchers of the condition grammar, applied at a cursor.
///
/// libsinsp's parser has no separate token stream: each grammar rule tries the token classes it
/// accepts at the current position (`lex_identifier`, `lex_bare_str`, ...), longest match first,
/// and the same text can be a field name in one place and a bare string in another
/// (`proc.name = proc.pname` compares with the string "proc.pname"). This lexer keeps that model:
/// every `lex...` method either consumes one token and returns true, or consumes nothing.
///
/// The token classes (POSIX classes as in libsinsp's regular expressions):
///
///     Blank           ::= [ \t\b\r\n]
///     NotBlank        ::= 'not' [[:space:]]+
///     Identifier      ::= [a-zA-Z]+ [a-zA-Z0-9_]*
///     FieldName       ::= [a-zA-Z]+ [a-zA-Z0-9_]* ('.' [a-zA-Z]+ [a-zA-Z0-9_]*)+
///     FieldArgBareStr ::= [^][\"'[:space:]]+
///     HexNumber       ::= 0[xX][0-9a-zA-Z]+
///     Number          ::= [+\-]?[0-9]+[\.]?[0-9]*([eE][+\-][0-9]+)?
///     QuotedStr       ::= "(\\"|.)*?" | '(\\'|.)*?'
///     BareStr         ::= [^()\"'[:space:]=,]+
///
/// A NUL byte ends the text for every matcher, as it ends libsinsp's C-string cursor.
struct ConditionLexer {
  let bytes: [UInt8]
  /// The cursor.
  private(set) var position = ConditionPosition.start
  /// The text of the last token consumed (blanks excepted), for error messages.
  private(set) var lastToken = ""

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  var offset: Int { position.offset }
  var atEnd: Bool { position.offset >= bytes.count }

  /// The byte `ahead` bytes after the cursor, or 0 past the end.
  @inline(__always)
  func peek(_ ahead: Int = 0) -> UInt8 {
    let index = position.offset + ahead
    return index < bytes.count ? bytes[index] : 0
  }

  /// Moves the cursor over `count` bytes, counting lines as libsinsp does (`\r` and `\n` each
  /// start a line).
  private mutating func advance(_ count: Int) {
    var index = position.offset
    let end = min(index + count, bytes.count)
    while index < end {
      let byte = bytes[index]
      position.column += 1
      if byte == 0x0D || byte == 0x0A {
        position.column = 1
        position.line += 1
      }
      index += 1
    }
    position.offset = index
  }

  /// Consumes `count` bytes as the last token.
  private mutating func take(_ count: Int) {
    let start = position.offset
    lastToken = String(decoding: bytes[start..<min(start + count, bytes.count)], as: UTF8.self)
    advance(count)
  }

  /// Moves the cursor back to a saved position (for the few places the grammar backtracks).
  mutating func reset(to saved: ConditionPosition) {
    position = saved
  }

  // MARK: - Character classes

  static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x08 || byte == 0x0D || byte == 0x0A
  }

  /// POSIX `[[:space:]]`.
  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
  }

  static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
  }

  static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  static func isWordCharacter(_ byte: UInt8) -> Bool {
    isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
  }

  // MARK: - Matchers (lengths of the match at `ahead`, 0 when none)

  /// `[a-zA-Z]+[a-zA-Z0-9_]*` starting `ahead` bytes after the cursor.
  private func identifierLength(at ahead: Int) -> Int {
    guard Self.isLetter(peek(ahead)) else { return 0 }
    var length = 1
    while Self.isWordCharacter(peek(ahead + length)) { length += 1 }
    return length
  }

  private func fieldNameLength() -> Int {
    var length = identifierLength(at: 0)
    guard length > 0 else { return 0 }
    var segments = 0
    while peek(length) == UInt8(ascii: ".") {
      let segment = identifierLength(at: length + 1)
      if segment == 0 { break }
      length += 1 + segment
      segments += 1
    }
    return segments > 0 ? length : 0
  }

  private func runLength(while accepts: (UInt8) -> Bool) -> Int {
    var length = 0
    while true {
      let byte = peek(length)
      if byte == 0 || !accepts(byte) { return length }
      length += 1
    }
  }

  private func numberLength() -> Int {
    var length = 0
    if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { length = 1 }
    let digits = runLength(from: length, while: Self.isDigit)
    guard digits > 0 else { return 0 }
    length += digits
    if peek(length) == UInt8(ascii: ".") {
      length += 1
      length += runLength(from: length, while: Self.isDigit)
    }
    let exponent = peek(length)
    if exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
      let sign = peek(length + 1)
      if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        let digits = runLength(from: length + 2, while: Self.isDigit)
        if digits > 0 { length += 2 + digits }
      }
    }
    return length
  }

  private func runLength(from start: Int, while accepts: (UInt8) -> Bool) -> Int {
    var length = 0
    while true {
      let byte = peek(start + length)
      if byte == 0 || !accepts(byte) { return length }
      length += 1
    }
  }

  // MARK: - Token lexers

  /// Skips blanks; true when at least one was skipped. Does not change `lastToken`.
  @discardableResult
  mutating func lexBlank() -> Bool {
    let length = runLength(while: Self.isBlank)
    advance(length)
    return length > 0
  }

  /// True when the cursor is on a blank.
  var onBlank: Bool { Self.isBlank(peek()) }

  /// Consumes `literal` when the text continues with it.
  mutating func lex(_ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    var index = 0
    while index < count {
      if peek(index) != literal.utf8Start[index] { return false }
      index += 1
    }
    take(count)
    return true
  }

  /// Consumes `literal` (a runtime string) when the text continues with it.
  mutating func lex(string literal: String) -> Bool {
    var index = 0
    for byte in literal.utf8 {
      if peek(index) != byte { return false }
      index += 1
    }
    take(index)
    return true
  }

  /// `not` followed by at least one POSIX space.
  mutating func lexNotBlank() -> Bool {
    guard peek() == UInt8(ascii: "n"), peek(1) == UInt8(ascii: "o"), peek(2) == UInt8(ascii: "t") else { return false }
    let spaces = runLength(from: 3, while: Self.isSpace)
    guard spaces > 0 else { return false }
    take(3 + spaces)
    return true
  }

  mutating func lexIdentifier() -> Bool {
    let length = identifierLength(at: 0)
    guard length > 0 else { return false }
    take(length)
    return true
  }

  /// The identifier at the cursor without consuming it.
  func peekIdentifier() -> String? {
    let length = identifierLength(at: 0)
    guard length > 0 else { return nil }
    return String(decoding: bytes[position.offset..<position.offset + length], as: UTF8.self)
  }

  mutating func lexFieldName() -> Bool {
    let length = fieldNameLength()
    guard length > 0 else { return false }
    take(length)
    return true
  }

  mutating func lexFieldArgBareString() -> Bool {
    let length = runLength {
      !Self.isSpace($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'")
    }
    guard length > 0 else { return false }
    take(length)
    return true
  }

  mutating func lexHexNumber() -> Bool {
    guard peek() == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X") else { return false }
    let digits = runLength(from: 2) { Self.isLetter($0) || Self.isDigit($0) }
    guard digits > 0 else { return false }
    take(2 + digits)
    return true
  }

  mutating func lexNumber() -> Bool {
    let length = numberLength()
    guard length > 0 else { return false }
    take(length)
    return true
  }

  mutating func lexBareString() -> Bool {
    let length = runLength {
      !Self.isSpace($0) && $0 != UInt8(ascii: "(") && $0 != UInt8(ascii: ")") && $0 != UInt8(ascii: "\"")
        && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: ",")
    }
    guard length > 0 else { return false }
    take(length)
    return true
  }

  /// A quoted string; on success `lastToken` is its unescaped content. An unterminated quote
  /// consumes nothing and returns false; a bad escape throws.
  mutating func lexQuotedString() throws(ConditionEscaping.UnescapeError) -> Bool {
    let delimiter = peek()
    guard delimiter == UInt8(ascii: "'") || delimiter == UInt8(ascii: "\"") else { return false }
    // The opening delimiter counts as escaped, so the scan starts after it.
    var previous: UInt8 = 0x5C
    var length = 0
    while true {
      let byte = peek(length)
      if byte == 0 { return false }
      if byte == delimiter && previous != 0x5C {
        length += 1
        break
      }
      previous = byte
      length += 1
    }
    let start = position.offset
    let token = bytes[start..<start + length]
    advance(length)
    lastToken = try ConditionEscaping.unescape(token)
    return true
  }

  /// The first of `candidates` the text continues with, consumed.
  mutating func lexFirst(of candidates: [String]) -> String? {
    for candidate in candidates where lex(string: candidate) { return candidate }
    return nil
  }
}

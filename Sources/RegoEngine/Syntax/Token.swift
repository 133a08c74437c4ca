/// A lexical token of Rego.
struct Token: Sendable {
  enum Kind: Sendable, Equatable {
    case identifier
    case string  // text holds the decoded value
    case rawString  // `...`, text holds the contents
    case number  // text holds the literal
    case templateString  // $"..." or $`...`: text holds the raw contents between the quotes
    case punctuation  // text holds the symbol: { } [ ] ( ) . , ; : := = == != < <= > >= + - * / % & | !
    case endOfFile
  }

  var kind: Kind
  var text: String
  /// Byte offset of the first byte.
  var start: Int
  /// Byte offset one past the last byte.
  var end: Int
  /// True when a line break separates this token from the previous one (Rego ends an
  /// expression at a line break when the next token cannot continue it).
  var newlineBefore: Bool

  func isPunctuation(_ symbol: String) -> Bool { kind == .punctuation && text == symbol }
  func isIdentifier(_ word: String) -> Bool { kind == .identifier && text == word }
}

/// A problem found while loading or evaluating rules or data, with the place it came from.
///
/// `code` is part of the public contract: tests, scripts and users match on it, so a code is never
/// reworded once released. Engines add their own codes in `extension Diagnostic.Code`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
  /// A stable, machine-readable error code such as `rego_parse_error`.
  public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
  }

  /// The stable code.
  public var code: Code
  /// A one-line, human-readable message (no position; rendering adds it).
  public var message: String
  /// Where the problem is, when it comes from a source text.
  public var span: SourceSpan?
  /// Context from outer to inner, such as `in rule 'Write below etc'`.
  public var notes: [String]

  /// Creates a diagnostic.
  public init(_ code: Code, _ message: String, span: SourceSpan? = nil, notes: [String] = []) {
    self.code = code
    self.message = message
    self.span = span
    self.notes = notes
  }

  /// Returns a copy with one more note of context.
  public func noting(_ note: String) -> Diagnostic {
    var copy = self
    copy.notes.append(note)
    return copy
  }

  /// The compact one-line form: `file:line:col: code: message`.
  public var description: String {
    var text = ""
    if let span {
      let (line, column) = span.file.location(of: span.start)
      text += "\(span.file.name):\(line):\(column): "
    }
    text += "\(code.rawValue): \(message)"
    return text
  }
}

// MARK: - Codes shared by every engine

extension Diagnostic.Code {
  /// A JSON document is malformed.
  public static let jsonParseError = Self("json_parse_error")
  /// A file could not be read or written.
  public static let ioError = Self("io_error")
  /// A regular expression does not compile.
  public static let regexCompileError = Self("regex_compile_error")
  /// A regular expression is valid PCRE2 but uses a feature the caller's dialect rejects.
  public static let regexUnsupported = Self("regex_unsupported")
  /// A command-line argument or API parameter is invalid.
  public static let invalidArgument = Self("invalid_argument")
}

public import PolicyCore

/// One downloaded IP reputation list: its name and its prefixes, each with the line it came from.
///
/// Formats, detected from the content (`Format.automatic`) or given:
/// - **Lines** (FireHOL `.netset`/`.ipset`, Spamhaus DROP/EDROP text, most blocklists): one IP or
///   CIDR per line; `#` and `;` start a comment, anywhere on the line. A comment after an entry
///   is kept as its note, so `1.10.16.0/20 ; SBL256894` records `SBL256894`.
/// - **JSON**: an array of strings (`["192.0.2.0/24", "2001:db8::/32"]`), or an object with an
///   `Addresses` array, as AWS WAF IP sets are written, also nested under `IPSet` as
///   `aws wafv2 get-ip-set` prints it.
/// - **JSON Lines**: Spamhaus's `drop_v4.json`/`drop_v6.json`, one object per line with `cidr`
///   (and `sblid`, kept as the note); the closing `{"type": "metadata", ...}` line is skipped.
///
/// Host bits are masked (see `IPPrefix`). A bad entry makes the whole list fail with
/// `waf_ip_list_error` at its file:line, so a half-downloaded or wrong file never loads partially.
public struct ReputationList: Sendable {
  /// One prefix of the list.
  public struct Entry: Sendable, Hashable {
    /// The prefix, host bits masked.
    public var prefix: IPPrefix
    /// The text after `;` on the line, or a JSON `sblid`: Spamhaus's SBL id, for the verdict.
    public var note: String?
    /// The 1-based line it came from (0 when built in code).
    public var line: Int

    /// Creates an entry.
    public init(prefix: IPPrefix, note: String? = nil, line: Int = 0) {
      self.prefix = prefix
      self.note = note
      self.line = line
    }
  }

  /// How the file is written.
  public enum Format: String, Sendable, Hashable {
    /// JSON when the text starts with `[` or `{` (JSON Lines when several lines start with `{`),
    /// otherwise lines.
    case automatic
    /// One address or CIDR per line, `#`/`;` comments.
    case lines
    /// An array of strings or an object with `Addresses`.
    case json
    /// One object with `cidr` per line (Spamhaus DROP JSON).
    case jsonLines
  }

  /// The name verdicts report (`firehol_level1`, `spamhaus_drop`).
  public var name: String
  /// The prefixes in file order.
  public var entries: [Entry]

  /// Creates a list from entries built in code.
  public init(name: String, entries: [Entry]) {
    self.name = name
    self.entries = entries
  }

  /// Parses a list from a source file.
  /// - Throws: `waf_ip_list_error` at the first bad entry (with a note counting the others), or
  ///   `json_parse_error` for malformed JSON.
  public static func parse(_ file: SourceFile, name: String, format: Format = .automatic) throws(Diagnostic)
    -> ReputationList
  {
    var parser = ListParser(file: file, name: name)
    switch format == .automatic ? detect(file.bytes) : format {
    case .lines, .automatic: try parser.parseLines()
    case .json: try parser.parseJSON()
    case .jsonLines: try parser.parseJSONLines()
    }
    if let first = parser.errors.first {
      throw parser.errors.count > 1 ? first.noting("and \(parser.errors.count - 1) more bad entries") : first
    }
    return ReputationList(name: name, entries: parser.entries)
  }

  /// Reads and parses a list file. The name defaults to the file name without directory and
  /// extension (`/var/lib/firehol/firehol_level1.netset` is `firehol_level1`).
  public static func load(
    path: String, name: String? = nil, format: Format = .automatic, limits: Limits = .default
  ) throws(Diagnostic) -> ReputationList {
    let file = try SourceFile.read(path: path, limits: limits)
    return try parse(file, name: name ?? defaultName(path: path), format: format)
  }

  /// The file name without directory and last extension.
  static func defaultName(path: String) -> String {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
    return String(base[..<dot])
  }

  static func detect(_ bytes: [UInt8]) -> Format {
    var index = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    while index < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) { index += 1 }
    guard index < bytes.count else { return .lines }
    if bytes[index] == UInt8(ascii: "[") { return .json }
    guard bytes[index] == UInt8(ascii: "{") else { return .lines }
    var objectLines = 0
    for line in bytes.split(separator: UInt8(ascii: "\n")) where trimmedASCII(line).first == UInt8(ascii: "{") {
      objectLines += 1
      if objectLines > 1 { return .jsonLines }
    }
    return .json
  }
}

/// The state of parsing one list file: entries so far and the errors found.
private struct ListParser {
  let file: SourceFile
  let name: String
  var entries: [ReputationList.Entry] = []
  var errors: [Diagnostic] = []

  init(file: SourceFile, name: String) {
    self.file = file
    self.name = name
  }

  mutating func add(_ text: String, note: String?, start: Int, end: Int, line: Int) {
    do {
      let prefix = try IPPrefix(parsing: text)
      entries.append(.init(prefix: prefix, note: note, line: line))
    } catch {
      errors.append(
        Diagnostic(.wafIPList, "\(name): \(error.message)", span: SourceSpan(file: file, start: start, end: end)))
    }
  }

  mutating func parseLines() throws(Diagnostic) {
    let bytes = file.bytes
    var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var lineNumber = 1
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      var contentEnd = lineEnd
      var note: String?
      if let comment = bytes[lineStart..<lineEnd].firstIndex(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: ";") }) {
        contentEnd = comment
        let noteText = trimmedASCII(bytes[(comment + 1)..<lineEnd])
        if !noteText.isEmpty { note = String(decoding: noteText, as: UTF8.self) }
      }
      let content = trimmedASCII(bytes[lineStart..<contentEnd])
      if !content.isEmpty {
        add(
          String(decoding: content, as: UTF8.self), note: note, start: content.startIndex, end: content.endIndex,
          line: lineNumber)
      }
      lineStart = lineEnd + 1
      lineNumber += 1
    }
  }

  mutating func parseJSON() throws(Diagnostic) {
    let document = try JSON.parse(file)
    var addresses = document
    if let object = document.objectValue {
      let holder = object["IPSet"]?.objectValue ?? object
      guard let list = holder["Addresses"] ?? holder["addresses"] else {
        throw Diagnostic(
          .wafIPList, "\(name): a JSON IP set is an array of strings or an object with \"Addresses\"",
          span: SourceSpan(file: file, start: 0))
      }
      addresses = list
    }
    guard let array = addresses.arrayValue else {
      throw Diagnostic(
        .wafIPList, "\(name): \"Addresses\" must be an array of strings", span: SourceSpan(file: file, start: 0))
    }
    // JSON values carry no positions, so each string is found in the text, in order, for its line.
    var searchFrom = 0
    var cursor = (offset: 0, line: 1)  // line numbers counted forward, never rescanned from the start
    for element in array {
      guard let text = element.stringValue else {
        errors.append(
          Diagnostic(
            .wafIPList, "\(name): expected a string address, found \(element.typeName)",
            span: SourceSpan(file: file, start: searchFrom)))
        continue
      }
      let start = find(Array("\"\(text)\"".utf8), from: searchFrom) ?? searchFrom
      searchFrom = start + 1
      for index in cursor.offset..<start where file.bytes[index] == UInt8(ascii: "\n") { cursor.line += 1 }
      cursor.offset = start
      add(text.trimmingSpaces, note: nil, start: start + 1, end: start + 1 + text.utf8.count, line: cursor.line)
    }
  }

  mutating func parseJSONLines() throws(Diagnostic) {
    let bytes = file.bytes
    var lineStart = 0
    var lineNumber = 0
    while lineStart < bytes.count {
      var lineEnd = lineStart
      lineNumber += 1
      while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      let line = trimmedASCII(bytes[lineStart..<lineEnd])
      if !line.isEmpty {
        let value: Value
        do {
          value = try JSON.parse(Array(line), name: file.name)
        } catch {
          errors.append(Diagnostic(error.code, error.message, span: SourceSpan(file: file, start: line.startIndex)))
          lineStart = lineEnd + 1
          continue
        }
        if let object = value.objectValue {
          if let cidr = object["cidr"]?.stringValue {
            add(cidr, note: object["sblid"]?.stringValue, start: line.startIndex, end: line.endIndex, line: lineNumber)
          } else if object["type"]?.stringValue != "metadata" {
            errors.append(
              Diagnostic(
                .wafIPList, "\(name): a JSON line needs a \"cidr\" string",
                span: SourceSpan(file: file, start: line.startIndex)))
          }
        } else {
          errors.append(
            Diagnostic(
              .wafIPList, "\(name): a JSON line must be an object", span: SourceSpan(file: file, start: line.startIndex)))
        }
      }
      lineStart = lineEnd + 1
    }
  }

  private func find(_ needle: [UInt8], from: Int) -> Int? {
    let bytes = file.bytes
    guard !needle.isEmpty, bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
    for start in from...(bytes.count - needle.count)
    where bytes[start] == needle[0] && bytes[start..<(start + needle.count)].elementsEqual(needle) {
      return start
    }
    return nil
  }
}

extension String {
  fileprivate var trimmingSpaces: String { String(decoding: trimmedASCII(Array(utf8)), as: UTF8.self) }
}

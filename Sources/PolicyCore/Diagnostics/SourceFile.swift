/// A named piece of source text (a policy module, a rules file, a JSON document) that spans point into.
///
/// The text is kept as UTF-8 bytes. Lines and columns are computed on request by scanning from the
/// start of the text: diagnostics are rare, so parsers that never fail pay nothing for positions,
/// and a 100 MB hostile input that fails at byte 512 costs a 512-byte scan.
public final class SourceFile: Sendable {
  /// The name shown in diagnostics: a path as the user gave it, or a label such as `<stdin>`.
  public let name: String
  /// The whole text as UTF-8.
  public let bytes: [UInt8]

  /// Creates a source file from UTF-8 bytes.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }

  /// Creates a source file from a string.
  public convenience init(name: String, text: String) {
    self.init(name: name, bytes: Array(text.utf8))
  }

  /// Returns the 1-based line and column of a byte offset. Columns count Unicode scalars, so a
  /// caret lines up under the character a terminal shows.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let clamped = min(max(offset, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for index in 0..<clamped where bytes[index] == UInt8(ascii: "\n") {
      line += 1
      lineStart = index + 1
    }
    var column = 1
    for index in lineStart..<clamped where bytes[index] & 0xC0 != 0x80 {
      // Count scalars: UTF-8 continuation bytes do not start a character.
      column += 1
    }
    return (line, column)
  }

  /// Returns the text of a 1-based line without its line terminator.
  public func lineText(_ line: Int) -> String {
    guard line >= 1 else { return "" }
    var current = 1
    var start = 0
    if line > 1 {
      for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
        current += 1
        if current == line {
          start = index + 1
          break
        }
      }
      if current != line { return "" }
    }
    var end = start
    while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}

extension SourceFile: CustomStringConvertible, CustomReflectable {
  /// The name and size, never the contents (a hostile input can be 100 MB).
  public var description: String { "SourceFile(\(name), \(bytes.count) bytes)" }

  /// Reflection shows the name and size only, so test frameworks and debuggers that dump values
  /// do not walk every byte of a large input.
  public var customMirror: Mirror {
    Mirror(self, children: ["name": name, "byteCount": bytes.count], displayStyle: .class)
  }
}

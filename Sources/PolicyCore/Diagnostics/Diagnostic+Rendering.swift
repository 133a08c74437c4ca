extension Diagnostic {
  /// How many characters of the source line to show on each side of the caret. Longer lines
  /// (minified JSON, a hostile 100 MB line) are cut with `...` so output stays readable and small.
  static let sourceWindow = 80

  /// Renders the diagnostic as a compiler would: the `file:line:col: code: message` line, then
  /// the source line and a caret under the column, then the notes.
  ///
  ///     input.json:3:9: json_parse_error: expected ':' after object key
  ///       "kind" "Pod"
  ///              ^
  public func rendered() -> String {
    var lines = [description]
    if let span {
      let (excerpt, caretColumn) = Diagnostic.excerpt(of: span.file.bytes, at: span.start)
      lines.append(excerpt)
      // Keep tabs so the caret lines up under terminals that expand them.
      var caret = ""
      for (index, scalar) in excerpt.unicodeScalars.enumerated() where index < caretColumn {
        caret.append(scalar == "\t" ? "\t" : " ")
      }
      if caret.unicodeScalars.count < caretColumn {
        caret += String(repeating: " ", count: caretColumn - caret.unicodeScalars.count)
      }
      lines.append(caret + "^")
    }
    for note in notes {
      lines.append("note: \(note)")
    }
    return lines.joined(separator: "\n")
  }

  /// The source line around `offset`, cut to `sourceWindow` characters on each side, and the
  /// 0-based character position of `offset` within the excerpt. Works on bytes only near the
  /// offset, so it costs the same on a 100 MB line as on a short one.
  static func excerpt(of bytes: [UInt8], at offset: Int) -> (String, Int) {
    let offset = min(max(offset, 0), bytes.count)
    let limit = sourceWindow
    // Walk back to the line start or `limit` characters, whichever comes first.
    var start = offset
    var charactersBefore = 0
    while start > 0, bytes[start - 1] != UInt8(ascii: "\n") {
      if charactersBefore == limit, bytes[start - 1] & 0xC0 != 0x80 { break }
      start -= 1
      if bytes[start] & 0xC0 != 0x80 { charactersBefore += 1 }
    }
    let cutBefore = start > 0 && bytes[start - 1] != UInt8(ascii: "\n")
    var end = offset
    var charactersAfter = 0
    while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") {
      if bytes[end] & 0xC0 != 0x80 {
        if charactersAfter == limit { break }
        charactersAfter += 1
      }
      end += 1
    }
    let cutAfter = end < bytes.count && bytes[end] != UInt8(ascii: "\n") && bytes[end] != UInt8(ascii: "\r")
    var text = String(decoding: bytes[start..<end], as: UTF8.self)
    var column = charactersBefore
    if cutBefore {
      text = "..." + text
      column += 3
    }
    if cutAfter { text += "..." }
    return (text, column)
  }
}

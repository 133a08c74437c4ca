/// Falco's list references: before a condition is parsed, each list name in its text is
/// replaced by the list's items, as text (`proc.name in (shell_binaries)` becomes
/// `proc.name in (ash, bash)`), the way Falco's `resolve_list` does it.
///
/// A name is replaced wherever it stands between delimiters (blanks, `(`, `)`, `,`, `=`) or the
/// ends of the text, even inside quotes, and the blanks around it are swallowed. Items with a space
/// are double-quoted; an empty list also removes a neighbouring comma. Lists are substituted one
/// after another in definition order, so a list item naming a later list is expanded too.
enum ListExpansion {
  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private static func isDelimiter(_ byte: UInt8) -> Bool {
    isBlank(byte) || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: ",")
      || byte == UInt8(ascii: "=")
  }

  /// Replaces the references to one list in `condition`; returns whether any was replaced.
  static func substitute(_ name: String, items: [String], in condition: inout [UInt8]) -> Bool {
    let needle = Array(name.utf8)
    guard !needle.isEmpty else { return false }
    let replacement = Array(items.map(ExceptionConditions.quoted).joined(separator: ", ").utf8)
    var used = false
    var searchFrom = 0
    while let found = find(needle, in: condition, from: searchFrom) {
      var start = found
      var end = found + needle.count
      let before = start == 0 || isDelimiter(condition[start - 1])
      let after = end >= condition.count || isDelimiter(condition[end])
      guard before && after else {
        searchFrom = found + 1
        continue
      }
      while start > 0, isBlank(condition[start - 1]) { start -= 1 }
      while end < condition.count, isBlank(condition[end]) { end += 1 }
      if replacement.isEmpty {
        if start > 0, condition[start - 1] == UInt8(ascii: ",") {
          start -= 1
        } else if end < condition.count, condition[end] == UInt8(ascii: ",") {
          end += 1
        }
      }
      var rebuilt: [UInt8] = []
      rebuilt.reserveCapacity(condition.count + replacement.count + 2)
      if start > 0 {
        rebuilt += condition[0..<start]
        rebuilt.append(0x20)
      }
      rebuilt += replacement
      rebuilt.append(0x20)
      rebuilt += condition[min(end, condition.count)...]
      condition = rebuilt
      used = true
      // Falco resumes one byte after the end of the inserted items.
      searchFrom = start + replacement.count + 2
    }
    return used
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
    var index = start
    let first = needle[0]
    while index <= haystack.count - needle.count {
      if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }
}

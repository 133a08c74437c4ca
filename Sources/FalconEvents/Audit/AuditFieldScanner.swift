internal import Glibc

/// Where one `key=value` field lies in a record's bytes.
struct RawAuditField {
  var keyStart: Int
  var keyEnd: Int
  var valueStart: Int
  var valueEnd: Int
  /// The value was written in double quotes (which are not part of `valueStart..<valueEnd`).
  var quoted: Bool
}

/// Walks the `key=value` fields of a record, one field per call, without allocating.
///
/// The format is auditd's, written by the kernel and by user-space programs through libaudit:
/// - fields are separated by spaces; a word without `=` (`avc:  denied  { read }`) is skipped;
/// - a value in double quotes runs to the next double quote (the kernel never writes a quote
///   inside one: it hex-encodes any string containing `"`, a space or a control byte);
/// - a user-space message puts its own fields inside `msg='...'`; the scanner steps into the
///   single quotes and returns the inner fields as if they were top-level, as auparse does;
/// - anything else runs to the next space.
///
/// Malformed text never stops the walk: an unterminated quote ends at the end of the record.
struct AuditFieldScanner {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var position: Int
  private let end: Int
  private var insideSingleQuotes = false

  /// Scans `range` of `bytes`.
  init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
    self.bytes = bytes
    self.position = max(0, range.lowerBound)
    self.end = min(bytes.count, range.upperBound)
  }

  mutating func next() -> RawAuditField? {
    let space = UInt8(ascii: " ")
    let equals = UInt8(ascii: "=")
    let singleQuote = UInt8(ascii: "'")
    while position < end {
      while position < end, bytes[position] == space || bytes[position] == UInt8(ascii: "\t") {
        position += 1
      }
      guard position < end else { return nil }
      if insideSingleQuotes, bytes[position] == singleQuote {
        insideSingleQuotes = false
        position += 1
        continue
      }
      let keyStart = position
      while position < end, bytes[position] != equals, bytes[position] != space { position += 1 }
      if position >= end || bytes[position] == space {
        // A bare word; inside msg='...' it may be the one that closes the quotes.
        if insideSingleQuotes, position > keyStart, bytes[position - 1] == singleQuote {
          insideSingleQuotes = false
        }
        continue
      }
      let keyEnd = position
      position += 1  // '='
      if keyEnd == keyStart {
        position = spaceOrEnd(from: position)
        continue
      }
      if position < end, bytes[position] == UInt8(ascii: "\"") {
        let valueStart = position + 1
        let close = find(UInt8(ascii: "\""), from: valueStart) ?? end
        position = min(close + 1, end)
        return RawAuditField(
          keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: close, quoted: true)
      }
      if position < end, bytes[position] == singleQuote, !insideSingleQuotes {
        insideSingleQuotes = true
        position += 1
        continue
      }
      let valueStart = position
      position = spaceOrEnd(from: position)
      var valueEnd = position
      if insideSingleQuotes, valueEnd > valueStart, bytes[valueEnd - 1] == singleQuote {
        valueEnd -= 1
        insideSingleQuotes = false
      }
      return RawAuditField(
        keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: valueEnd,
        quoted: false)
    }
    return nil
  }

  /// The first field called `key` in `range`, or nil.
  static func first(
    _ key: StaticString, in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>
  ) -> RawAuditField? {
    var scanner = AuditFieldScanner(bytes, range: range)
    while let field = scanner.next() {
      if AuditValue.keyEquals(bytes, field, key) { return field }
    }
    return nil
  }

  /// The next space at or after `start`, or the end. Most values are a few bytes (`a0=3`,
  /// `uid=0`), where a plain loop beats a call into `memchr`; long ones (hex argv, proctitle)
  /// go to `memchr` after 16 bytes.
  private func spaceOrEnd(from start: Int) -> Int {
    var index = start
    let shortEnd = min(end, start + 16)
    while index < shortEnd {
      if bytes[index] == UInt8(ascii: " ") { return index }
      index += 1
    }
    return index < end ? (find(UInt8(ascii: " "), from: index) ?? end) : end
  }

  /// The index of the next `byte` at or after `start`, using `memchr` (long hex values are the
  /// bulk of an audit log, so this is the hot loop).
  private func find(_ byte: UInt8, from start: Int) -> Int? {
    guard start < end, let base = bytes.baseAddress else { return nil }
    guard let hit = memchr(base + start, Int32(byte), end - start) else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
  }
}

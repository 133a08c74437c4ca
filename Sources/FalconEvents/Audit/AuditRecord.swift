internal import Glibc

/// One audit record: a line of an auditd log, or one message of the kernel's audit netlink feed.
///
/// Both forms end up here. A log line reads
/// `[node=NAME ]type=SYSCALL msg=audit(1795728638.806:43155): arch=c000003e syscall=59 ...`,
/// optionally followed (ENRICHED format) by `0x1D` and auditd's interpretations
/// (`ARCH=x86_64 SYSCALL=execve UID="root"`). A netlink message carries the type in its header
/// and the text `audit(1795728638.806:43155): arch=...`.
///
/// The record keeps its text and the positions of its parts; fields are scanned when read
/// (see `AuditRecord+Fields.swift`), so parsing a record allocates nothing but the type lookup.
public struct AuditRecord: Sendable {
  /// The record type.
  public let type: AuditRecordType
  /// Time and serial, shared by every record of the event.
  public let stamp: AuditStamp
  /// The whole record text: a log line without its line terminator, or a netlink body.
  public let text: ArraySlice<UInt8>
  /// Where the record starts in its source (the byte offset of a log line), for diagnostics.
  public let sourceOffset: Int
  /// Offsets into `text` (0 is `text.startIndex`) of the parts.
  let typeNameRange: Range<Int>
  let nodeRange: Range<Int>?
  let fieldsRange: Range<Int>
  let enrichmentRange: Range<Int>?

  /// The type name as written (`SYSCALL`, `UNKNOWN[1329]`, or a name this version lacks).
  public var typeName: String { string(typeNameRange) }

  /// The `node=` name auditd prefixes when `name_format` is set, nil otherwise.
  public var node: String? { nodeRange.map(string) }

  /// Whether the record carries ENRICHED interpretations after a `0x1D` separator.
  public var isEnriched: Bool { enrichmentRange != nil }

  /// The fields part of the record as text (what follows `msg=audit(...):`, up to `0x1D`).
  public var fieldsText: String { string(fieldsRange) }

  private func string(_ range: Range<Int>) -> String {
    let start = text.startIndex + range.lowerBound
    return String(decoding: text[start..<(start + range.count)], as: UTF8.self)
  }
}

extension AuditRecord {
  /// Parses one auditd log line (without its newline; a trailing `\r` is ignored).
  ///
  /// - Parameters:
  ///   - line: the line's bytes.
  ///   - sourceOffset: where the line starts in its file, kept for diagnostics.
  /// - Throws: ``AuditRecordError`` when the line has no `type=` or no `msg=audit(...)` stamp.
  public init(logLine line: ArraySlice<UInt8>, sourceOffset: Int = 0) throws(AuditRecordError) {
    let result = line.withUnsafeBufferPointer { buffer -> Result<Header, AuditRecordError> in
      var cursor = ByteCursor(buffer)
      var node: Range<Int>?
      if cursor.consume("node=") {
        let start = cursor.position
        cursor.skip(until: UInt8(ascii: " "))
        node = start..<cursor.position
        cursor.skipSpaces()
      }
      guard cursor.consume("type=") else {
        return .failure(
          AuditRecordError("record does not start with type=", offset: cursor.position))
      }
      let typeStart = cursor.position
      cursor.skip(until: UInt8(ascii: " "))
      let typeName = typeStart..<cursor.position
      if typeName.isEmpty {
        return .failure(AuditRecordError("record has an empty type", offset: typeStart))
      }
      cursor.skipSpaces()
      guard cursor.consume("msg=") else {
        return .failure(
          AuditRecordError("record has no msg= field after its type", offset: cursor.position))
      }
      return Self.parseStampAndFields(&cursor, typeName: typeName, node: node)
    }
    switch result {
    case .success(let header):
      self.init(header: header, text: line, sourceOffset: sourceOffset, netlinkType: nil)
    case .failure(let error):
      throw error
    }
  }

  /// Parses one message of the audit netlink feed: the type from the netlink header and the
  /// payload text `audit(SECONDS.MILLIS:SERIAL): fields`. Trailing NUL padding and a newline are
  /// ignored.
  /// - Throws: ``AuditRecordError`` when the payload has no `audit(...)` stamp.
  public init(netlinkType: UInt16, payload: ArraySlice<UInt8>) throws(AuditRecordError) {
    var body = payload
    while let last = body.last, last == 0 || last == UInt8(ascii: "\n") { body = body.dropLast() }
    let result = body.withUnsafeBufferPointer { buffer -> Result<Header, AuditRecordError> in
      var cursor = ByteCursor(buffer)
      return Self.parseStampAndFields(&cursor, typeName: 0..<0, node: nil)
    }
    switch result {
    case .success(let header):
      self.init(header: header, text: body, sourceOffset: 0, netlinkType: netlinkType)
    case .failure(let error):
      throw error
    }
  }

  /// Where the parts of a record are, before the type name is looked up.
  struct Header {
    var typeName: Range<Int>
    var node: Range<Int>?
    var stamp: AuditStamp
    var fields: Range<Int>
    var enrichment: Range<Int>?
  }

  private init(header: Header, text: ArraySlice<UInt8>, sourceOffset: Int, netlinkType: UInt16?) {
    if let netlinkType {
      type = AuditRecordType(rawValue: netlinkType)
    } else {
      let start = text.startIndex + header.typeName.lowerBound
      let slice = text[start..<(start + header.typeName.count)]
      type =
        slice.withUnsafeBufferPointer(AuditRecordType.common)
        ?? AuditRecordType(name: String(decoding: slice, as: UTF8.self))
        ?? AuditRecordType(rawValue: 0)
    }
    stamp = header.stamp
    self.text = text
    self.sourceOffset = sourceOffset
    typeNameRange = header.typeName
    nodeRange = header.node
    fieldsRange = header.fields
    enrichmentRange = header.enrichment
  }

  /// Parses `audit(SECONDS.FRACTION:SERIAL)`, an optional `:`, and finds the fields and the
  /// ENRICHED separator.
  private static func parseStampAndFields(
    _ cursor: inout ByteCursor, typeName: Range<Int>, node: Range<Int>?
  ) -> Result<Header, AuditRecordError> {
    guard cursor.consume("audit(") else {
      return .failure(
        AuditRecordError("record has no msg=audit(...) stamp", offset: cursor.position))
    }
    let stampStart = cursor.position
    guard let seconds = cursor.decimal(maxDigits: 19), cursor.consume(".") else {
      return .failure(AuditRecordError("malformed seconds in audit stamp", offset: stampStart))
    }
    let fractionStart = cursor.position
    var nanoseconds: UInt32 = 0
    var digits = 0
    while let digit = cursor.digit() {
      if digits < 9 { nanoseconds = nanoseconds * 10 + UInt32(digit) }
      digits += 1
    }
    if digits == 0 || digits > 9 {
      return .failure(AuditRecordError("malformed fraction in audit stamp", offset: fractionStart))
    }
    for _ in digits..<9 { nanoseconds *= 10 }
    guard cursor.consume(":") else {
      return .failure(AuditRecordError("audit stamp has no serial", offset: cursor.position))
    }
    let serialStart = cursor.position
    guard let serial = cursor.decimal(maxDigits: 20), cursor.consume(")") else {
      return .failure(AuditRecordError("malformed serial in audit stamp", offset: serialStart))
    }
    _ = cursor.consume(":")
    let fieldsStart = cursor.position
    let end = cursor.end
    var enrichment: Range<Int>?
    var fieldsEnd = end
    if let separator = cursor.firstIndex(of: 0x1D, from: fieldsStart) {
      fieldsEnd = separator
      enrichment = (separator + 1)..<end
    }
    return .success(
      Header(
        typeName: typeName, node: node,
        stamp: AuditStamp(seconds: seconds, nanoseconds: nanoseconds, serial: serial),
        fields: fieldsStart..<fieldsEnd, enrichment: enrichment))
  }
}

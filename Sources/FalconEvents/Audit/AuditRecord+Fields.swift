/// One `key=value` field of an audit record, as text.
///
/// For inspection and tests; the decoder itself reads fields in place without building these.
public struct AuditField: Sendable, Hashable {
  /// The key, such as `pid` or `a1[0]`.
  public var key: String
  /// The value as written, without surrounding double quotes.
  public var value: String
  /// Whether the value was written in double quotes.
  public var isQuoted: Bool
  /// The value read as one of the kernel's untrusted strings: quoted text as is, an unquoted
  /// hex run decoded (`2F62696E` is `/bin`), nil for `(null)`. Only meaningful for the fields
  /// the kernel encodes that way (`comm`, `exe`, `cwd`, `name`, `aN`, `proctitle`, ...).
  public var decodedValue: String?
}

extension AuditRecord {
  /// The record's fields, in order (user-space `msg='...'` contents flattened in).
  public var fields: [AuditField] { collectFields(in: fieldsRange) }

  /// The ENRICHED interpretations (`ARCH=x86_64 SYSCALL=execve`), empty for RAW records.
  public var enrichedFields: [AuditField] {
    guard let enrichmentRange else { return [] }
    return collectFields(in: enrichmentRange)
  }

  /// The first field called `key`, or nil.
  public func field(_ key: String) -> AuditField? {
    fields.first { $0.key == key }
  }

  /// The first ENRICHED interpretation called `key`, or nil.
  public func enrichedField(_ key: String) -> AuditField? {
    enrichedFields.first { $0.key == key }
  }

  /// Runs `body` over the record's bytes (offset 0 is the record start, as the ranges are).
  func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    text.withUnsafeBufferPointer(body)
  }

  private func collectFields(in range: Range<Int>) -> [AuditField] {
    withBytes { bytes in
      var scanner = AuditFieldScanner(bytes, range: range)
      var result: [AuditField] = []
      while let field = scanner.next() {
        let key = String(
          decoding: UnsafeBufferPointer(rebasing: bytes[field.keyStart..<field.keyEnd]),
          as: UTF8.self)
        result.append(
          AuditField(
            key: key, value: AuditValue.plainString(bytes, field), isQuoted: field.quoted,
            decodedValue: AuditValue.untrustedString(bytes, field)))
      }
      return result
    }
  }
}

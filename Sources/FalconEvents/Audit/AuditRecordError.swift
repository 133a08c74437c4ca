/// Why a record could not be parsed, and where in its text (byte offset from the record start).
public struct AuditRecordError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, such as `record has no msg=audit(...) stamp`.
  public var message: String
  /// Byte offset inside the record text where the problem was found.
  public var offset: Int

  /// Creates an error.
  public init(_ message: String, offset: Int) {
    self.message = message
    self.offset = offset
  }

  public var description: String { message }
}

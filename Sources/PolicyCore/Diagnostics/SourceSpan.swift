/// A range of bytes in a source file: where a diagnostic points.
public struct SourceSpan: Sendable, Hashable {
  /// The file the range is in.
  public let file: SourceFile
  /// Byte offset of the first byte.
  public let start: Int
  /// Byte offset one past the last byte (equal to `start` for a point).
  public let end: Int

  /// Creates a span over `start..<end` of `file`.
  public init(file: SourceFile, start: Int, end: Int? = nil) {
    self.file = file
    self.start = start
    self.end = max(end ?? start, start)
  }

  /// The 1-based line of the start.
  public var line: Int { file.location(of: start).line }
  /// The 1-based column (in Unicode scalars) of the start.
  public var column: Int { file.location(of: start).column }

  public static func == (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
    lhs.file === rhs.file && lhs.start == rhs.start && lhs.end == rhs.end
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(ObjectIdentifier(file))
    hasher.combine(start)
    hasher.combine(end)
  }
}

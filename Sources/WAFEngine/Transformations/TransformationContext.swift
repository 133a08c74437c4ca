/// What transformations may need beyond their input: configuration from the rule set.
///
/// Built once per rule set and shared by every transaction.
public struct TransformationContext: Sendable {
  /// The table `SecUnicodeMapFile` loaded, used by `urlDecodeUni` for `%uHHHH`; `nil` when the
  /// directive is absent (then only the low byte of the code point is kept, as ModSecurity does).
  public var unicodeMap: UnicodeMap?

  /// Creates a context.
  ///
  /// - Parameter unicodeMap: The code page table from `SecUnicodeMapFile`, if configured.
  public init(unicodeMap: UnicodeMap? = nil) {
    self.unicodeMap = unicodeMap
  }
}

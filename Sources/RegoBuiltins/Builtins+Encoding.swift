extension BuiltinRegistry {
  /// Adds the encoding family.
  mutating func registerEncoding() {
  }
}

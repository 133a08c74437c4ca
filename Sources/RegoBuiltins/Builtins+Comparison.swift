extension BuiltinRegistry {
  /// Adds the comparison family.
  mutating func registerComparison() {
  }
}

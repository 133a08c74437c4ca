extension BuiltinRegistry {
  /// Adds the arithmetic family.
  mutating func registerArithmetic() {
  }
}

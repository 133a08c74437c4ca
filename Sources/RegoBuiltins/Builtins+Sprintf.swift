extension BuiltinRegistry {
  /// Adds the sprintf family.
  mutating func registerSprintf() {
  }
}

extension BuiltinRegistry {
  /// Adds the regex family.
  mutating func registerRegex() {
  }
}

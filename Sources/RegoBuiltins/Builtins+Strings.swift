extension BuiltinRegistry {
  /// Adds the strings family.
  mutating func registerStrings() {
  }
}

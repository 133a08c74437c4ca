extension BuiltinRegistry {
  /// Adds the json family.
  mutating func registerJSON() {
  }
}

extension BuiltinRegistry {
  /// Adds the sets family.
  mutating func registerSets() {
  }
}

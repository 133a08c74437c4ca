extension BuiltinRegistry {
  /// Adds the units family.
  mutating func registerUnits() {
  }
}

extension BuiltinRegistry {
  /// Adds the uuid family.
  mutating func registerUUID() {
  }
}

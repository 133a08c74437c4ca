extension BuiltinRegistry {
  /// Adds the objects family.
  mutating func registerObjects() {
  }
}

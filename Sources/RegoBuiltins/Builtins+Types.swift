extension BuiltinRegistry {
  /// Adds the types family.
  mutating func registerTypes() {
  }
}

extension BuiltinRegistry {
  /// Adds the bits family.
  mutating func registerBits() {
  }
}

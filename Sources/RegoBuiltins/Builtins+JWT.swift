extension BuiltinRegistry {
  /// Adds the jwt family.
  mutating func registerJWT() {
  }
}

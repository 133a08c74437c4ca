extension BuiltinRegistry {
  /// Adds the net family.
  mutating func registerNet() {
  }
}

extension BuiltinRegistry {
  /// Adds the glob family.
  mutating func registerGlob() {
  }
}

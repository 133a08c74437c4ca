extension BuiltinRegistry {
  /// Adds the arrays family.
  mutating func registerArrays() {
  }
}

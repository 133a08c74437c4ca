extension BuiltinRegistry {
  /// Adds the time family.
  mutating func registerTime() {
  }
}

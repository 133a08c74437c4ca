extension BuiltinRegistry {
  /// Adds the graph family.
  mutating func registerGraph() {
  }
}

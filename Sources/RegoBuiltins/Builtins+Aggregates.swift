extension BuiltinRegistry {
  /// Adds the aggregates family.
  mutating func registerAggregates() {
  }
}

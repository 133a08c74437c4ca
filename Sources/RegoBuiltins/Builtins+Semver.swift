extension BuiltinRegistry {
  /// Adds the semver family.
  mutating func registerSemver() {
  }
}

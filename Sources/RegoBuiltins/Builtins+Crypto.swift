extension BuiltinRegistry {
  /// Adds the crypto family.
  mutating func registerCrypto() {
  }
}

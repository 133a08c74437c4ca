import RegoBuiltins
import Testing

@Suite("Builtin registry")
struct RegistryTests {
  @Test("the standard registry loads without duplicate names")
  func loads() {
    let registry = BuiltinRegistry.standard
    for (name, builtin) in registry.builtins {
      #expect(builtin.name == name)
    }
  }
}

import Foundation
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

@Suite("Generated builtin reference")
struct BuiltinReferenceTests {
  @Test("docs/rego-builtins.md is up to date (regenerate: policy builtins > docs/rego-builtins.md)")
  func fresh() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("docs/rego-builtins.md"), encoding: .utf8)
    #expect(text == BuiltinRegistry.standard.markdownReference(), "docs/rego-builtins.md is out of date: run `swift run policy builtins > docs/rego-builtins.md`")
  }
}

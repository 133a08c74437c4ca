import FalconEngine
import Testing

@Suite("Condition canonical strings (libsinsp string_visitor)")
struct ConditionPrintingTests {
  @Test("and/or in parentheses, not bare, lists comma-separated", arguments: [
    ("evt.type=open and proc.name in (ash,bash)", "(evt.type = open and proc.name in (ash, bash))"),
    ("not proc.name=cat", "not proc.name = cat"),
    ("a or (b and not c)", "(a or (b and not c))"),
    ("proc.cmdline contains \"curl 127.0.0.1\"", "proc.cmdline contains \"curl 127.0.0.1\""),
    ("fd.name exists", "fd.name exists"),
    ("x.y = \"it's\"", "x.y = \"it's\""),
    ("x.y = \"a\\tb\\\\c\"", "x.y = \"a\\tb\\\\c\""),
    ("container.mount.dest[/var/run/docker.sock] != ''", "container.mount.dest[/var/run/docker.sock] != "),
    ("evt.arg['a b'] = c", "evt.arg[\"a b\"] = c"),
    ("tolower(proc.name) = val(proc.pname)", "tolower(proc.name) = val(proc.pname)"),
  ])
  func canonical(input: String, expected: String) throws {
    #expect(try parse(input).canonicalString == expected)
  }

  @Test("canonical strings parse back to the same tree")
  func roundTrip() throws {
    for text in [
      "((a and b) or not (c.d in (\"x y\", z)))", "proc.name startswith anyof (a, \"b c\")",
      "join(\"/\", (a.b, \"c\")) = d", "x.y = \"\\b\\f\\n\\r\"",
    ] {
      let ast = try parse(text)
      #expect(try parse(ast.canonicalString) == ast, "\(text) -> \(ast.canonicalString)")
    }
  }
}

import FalconEngine
import Testing

@Suite("List names are replaced as text, as Falco does")
struct ListExpansionTests {
  @Test("names between delimiters are replaced, inside quotes too; parts of words are not")
  func boundaries() {
    let yaml = """
      - list: sh
        items: [bash]
      - list: shells
        items: [zsh, "my shell"]
      """ + "\n" + rule("proc.name in (sh, shells) and proc.pname = sh and fd.name = /bin/sh and proc.cmdline contains \"x sh y\"")
    #expect(compiled(yaml) == "(proc.name in (bash, zsh, \"my shell\") and proc.pname = bash and fd.name = /bin/sh and proc.cmdline contains \"x bash y\")")
  }

  @Test("an empty list removes a neighbouring comma")
  func emptyList() {
    let yaml = """
      - list: empty
        items: []
      """ + "\n" + rule("proc.name in (a, empty, b)")
    #expect(compiled(yaml) == "proc.name in (a, b)")
  }
}

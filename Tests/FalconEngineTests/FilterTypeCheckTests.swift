import FalconEngine
import Testing

@Suite("Filter type checks: operators against field types, constants readable as the type")
struct FilterTypeCheckTests {
  static let table = StaticFieldTable(fields: [
    FieldDescriptor(name: "fd.name", type: "PT_CHARBUF"), FieldDescriptor(name: "proc.pid", type: "PT_INT64"),
    FieldDescriptor(name: "evt.count", type: "PT_UINT32"), FieldDescriptor(name: "evt.is_io", type: "PT_BOOL"),
    FieldDescriptor(name: "fd.ip", type: "PT_IPADDR", flags: [.noRightHandSide, .noTransformer]),
    FieldDescriptor(name: "fd.net", type: "PT_IPNET"), FieldDescriptor(name: "evt.buffer", type: "PT_BYTEBUF"),
    FieldDescriptor(name: "fd.types", type: "PT_CHARBUF", flags: [.isList]),
    FieldDescriptor(name: "evt.arg", type: "PT_CHARBUF", flags: .argumentRequired),
    FieldDescriptor(name: "evt.rawarg", type: "PT_DYN", flags: .argumentRequired),
  ])

  func error(_ text: String) throws -> String? {
    FilterTypeCheck(fields: Self.table).check(try parse(text))?.message
  }

  @Test("accepted comparisons", arguments: [
    "fd.name glob /tmp/*", "fd.name < 1", "proc.pid >= -1", "evt.count in (1, 2)", "evt.is_io = true",
    "fd.ip = 127.0.0.1", "fd.ip in (::1, 10.0.0.1)", "fd.net = 10.0.0.0/8", "evt.buffer bcontains 0aff",
    "fd.types intersects (file)", "fd.name regex '^/etc/.*'", "evt.arg.name = x", "evt.rawarg.flags != 1",
    "fd.ip == anyof (127.0.0.1)", "tolower(fd.name) = val(fd.name)", "len(fd.name) > 3",
  ])
  func accepted(text: String) throws {
    #expect(try error(text) == nil)
  }

  @Test("rejected comparisons and libsinsp's reasons", arguments: [
    ("proc.pid contains 1", "'contains' operator not supported for numeric filters"),
    ("fd.name bcontains 303000", "'bcontains' operator not supported for string filters"),
    ("evt.buffer bstartswith 12g4", "bcontains and bstartswith operator support hex strings only"),
    ("evt.count = -1", "'-1' is not a valid number"),
    ("evt.count = 1.0", "'1.0' is not a valid number"),
    ("fd.ip = 300.0.0.1", "unrecognized IP address 300.0.0.1"),
    ("fd.net = 10.0.0.0/33", "unrecognized IP network 10.0.0.0/33"),
    ("fd.types = file", "'=' operator not supported list filters"),
    ("fd.name regex '('", "invalid regular expression"),
    ("fd.name = val(fd.ip)", "field 'fd.ip' can't be used as a right-hand side field"),
    ("toupper(proc.pid) = 1", "transformer 'toupper' is not supported on numeric values"),
    ("toupper(fd.ip) = x", "field 'fd.ip' does not support transformers"),
    ("fd.name = val(proc.pid)", "the left-hand side and the right-hand side fields of '=' have incompatible types"),
    ("evt.arg = x", "filter 'evt.arg' requires an argument"),
    ("fd.nope = 1", "filter_check called with nonexistent field fd.nope"),
  ])
  func rejected(text: String, reason: String) throws {
    let message = try error(text)
    #expect(message?.hasPrefix(reason) == true, "\(text): \(message ?? "accepted")")
  }
}

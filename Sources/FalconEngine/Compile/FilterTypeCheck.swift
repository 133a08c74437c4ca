#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif
internal import PolicyCore

/// How libsinsp's filter compiler treats a field type (`ppm_param_type`) when it checks a
/// comparison: which operators apply and how constants are read.
enum FieldValueKind: Sendable, Equatable {
  case signed(bits: Int)
  case unsigned(bits: Int)
  case bool
  case ipAddress
  case ipNetwork
  case string
  case buffer
  /// A type no comparison applies to (`PT_DYN`, ...): only `exists`.
  case other

  /// The kind of a libsinsp type name (`PT_CHARBUF`).
  init(typeName: String) {
    switch typeName {
    case "PT_INT8": self = .signed(bits: 8)
    case "PT_INT16": self = .signed(bits: 16)
    case "PT_INT32": self = .signed(bits: 32)
    case "PT_INT64", "PT_ERRNO", "PT_FD", "PT_PID": self = .signed(bits: 64)
    case "PT_UINT8", "PT_FLAGS8", "PT_ENUMFLAGS8", "PT_SIGTYPE": self = .unsigned(bits: 8)
    case "PT_UINT16", "PT_FLAGS16", "PT_ENUMFLAGS16", "PT_PORT", "PT_SYSCALLID": self = .unsigned(bits: 16)
    case "PT_UINT32", "PT_FLAGS32", "PT_ENUMFLAGS32", "PT_MODE": self = .unsigned(bits: 32)
    case "PT_UINT64", "PT_RELTIME", "PT_ABSTIME": self = .unsigned(bits: 64)
    // libsinsp reads double constants as integers too (`thread.cpu = 1.0` does not compile).
    case "PT_DOUBLE": self = .signed(bits: 64)
    case "PT_BOOL": self = .bool
    case "PT_IPV4ADDR", "PT_IPV6ADDR", "PT_IPADDR": self = .ipAddress
    case "PT_IPV4NET", "PT_IPV6NET", "PT_IPNET": self = .ipNetwork
    case "PT_CHARBUF", "PT_FSPATH", "PT_FSRELPATH": self = .string
    case "PT_BYTEBUF": self = .buffer
    default: self = .other
    }
  }

  var isNumeric: Bool {
    switch self {
    case .signed, .unsigned: return true
    default: return false
    }
  }

  /// The family name libsinsp's messages use.
  var family: String {
    switch self {
    case .signed, .unsigned, .bool: return "numeric"
    case .ipAddress, .ipNetwork: return "ip address and network"
    case .string: return "string"
    case .buffer: return "buffer"
    case .other: return "this type of"
    }
  }

  /// The operators a comparison of this kind accepts (libsinsp's `flt_is_comparable`).
  func accepts(_ op: String, isList: Bool) -> Bool {
    if op == "exists" { return true }
    if isList {
      switch self {
      case .string, .unsigned(bits: 64), .bool, .ipAddress, .ipNetwork: return op == "in" || op == "intersects"
      default: return false
      }
    }
    switch self {
    case .signed, .unsigned: return ["=", "==", "!=", "<", "<=", ">", ">=", "in", "intersects"].contains(op)
    case .bool, .ipAddress, .ipNetwork: return ["=", "==", "!=", "in", "intersects"].contains(op)
    case .string:
      return ["=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith", "endswith", "glob", "iglob", "pmatch", "regex", "in", "intersects"]
        .contains(op)
    case .buffer: return ["=", "==", "!=", "contains", "startswith", "endswith", "bcontains", "bstartswith", "in", "intersects"].contains(op)
    case .other: return false
    }
  }
}

/// The checks of libsinsp's filter compiler, over a condition whose fields are known: unknown
/// fields, operators against field types, constants readable as the field's type (numbers, booleans,
/// addresses, hex for `bcontains`), valid regular expressions, transformers applied to types they
/// accept, and `val()` comparing fields of the same kind.
///
/// Fields the table cannot verify are not checked.
///
///     let check = FilterTypeCheck(fields: table)
///     check.check(try ConditionParser.parse("fd.name bcontains 303000"))
///     // "'bcontains' operator not supported for string filters"
public struct FilterTypeCheck: Sendable {
  /// The field table giving each field's type.
  public let fields: any FieldTable

  /// Creates a checker over `fields`.
  public init(fields: any FieldTable) {
    self.fields = fields
  }

  /// A type error: libsinsp's kind of message and the node it is about.
  public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in libsinsp's words where known.
    public var message: String
    /// The comparison or constant concerned.
    public var position: ConditionPosition
    public var description: String { "at \(position): \(message)" }

    /// Creates a failure.
    public init(message: String, position: ConditionPosition) {
      self.message = message
      self.position = position
    }
  }

  /// The type and flags of what a check compares, or nil when unverifiable.
  private struct Operand {
    var kind: FieldValueKind
    var isList: Bool
    var flags: FieldDescriptor.Flags
    var name: String
  }

  /// The first type error in `tree`, if any.
  public func check(_ tree: ConditionExpression) -> Failure? {
    for node in tree.allNodes {
      do {
        switch node.kind {
        case .unaryCheck(let left, _):
          _ = try operand(left)
        case .binaryCheck(let left, let op, let modifier, let right):
          try checkComparison(left: left, op: op, modifier: modifier, right: right, at: node.position)
        default:
          break
        }
      } catch {
        return error
      }
    }
    return nil
  }

  private func checkComparison(
    left: ConditionExpression, op: String, modifier: ListModifier?, right: ConditionExpression, at position: ConditionPosition
  ) throws(Failure) {
    guard let subject = try operand(left) else { return }
    if !subject.kind.accepts(op, isList: subject.isList) {
      if subject.isList { throw Failure(message: "'\(op)' operator not supported list filters", position: position) }
      throw Failure(message: "'\(op)' operator not supported for \(subject.kind.family) filters", position: position)
    }
    switch right.kind {
    case .value(let value):
      try checkConstant(value, op: op, kind: subject.kind, at: right.position)
    case .list(let values):
      for value in values { try checkConstant(value, op: op, kind: subject.kind, at: right.position) }
    case .transformer(let name, let arguments, _):
      if subject.flags.contains(.noRightHandSide) {
        throw Failure(message: "field '\(subject.name)' does not support a right-hand side field comparison", position: position)
      }
      guard let other = try operand(right) else { return }
      if name == "val", let field = arguments.first, case .field(let fieldName, _) = field.kind,
        case .known(let descriptor) = fields.lookup(fieldName), descriptor.flags.contains(.noRightHandSide)
      {
        throw Failure(message: "field '\(fieldName)' can't be used as a right-hand side field", position: right.position)
      }
      if !Self.comparable(subject.kind, other.kind) {
        throw Failure(message: "the left-hand side and the right-hand side fields of '\(op)' have incompatible types", position: position)
      }
    default:
      break
    }
    _ = modifier
  }

  /// Numeric kinds compare with each other; other kinds only with themselves.
  private static func comparable(_ a: FieldValueKind, _ b: FieldValueKind) -> Bool {
    (a.isNumeric && b.isNumeric) || a == b || (a == .string && b == .buffer) || (a == .buffer && b == .string)
  }

  /// The kind of a field or transformer expression; nil when a field cannot be verified.
  private func operand(_ node: ConditionExpression) throws(Failure) -> Operand? {
    switch node.kind {
    case .field(let name, let argument):
      let descriptor: FieldDescriptor
      switch fields.lookup(name) {
      case .known(let known): descriptor = known
      case .unverified: return nil
      case .unknown: throw Failure(message: "filter_check called with nonexistent field \(name)", position: node.position)
      }
      // A table that names fields without their types checks names only; `PT_DYN` fields
      // (`evt.rawarg.*`) take the type of the event argument, which the table does not give.
      if descriptor.type.isEmpty || FieldValueKind(typeName: descriptor.type) == .other { return nil }
      let viaDot = descriptor.name != name
      if descriptor.flags.contains(.argumentRequired), argument == nil, !viaDot {
        throw Failure(message: "filter '\(name)' requires an argument", position: node.position)
      }
      return Operand(kind: FieldValueKind(typeName: descriptor.type), isList: descriptor.flags.contains(.isList), flags: descriptor.flags, name: name)
    case .transformer(let name, let arguments, _):
      var inputs: [Operand] = []
      for argument in arguments {
        if case .field = argument.kind, let input = try operand(argument) {
          if input.flags.contains(.noTransformer), name != "val" {
            throw Failure(message: "field '\(input.name)' does not support transformers", position: argument.position)
          }
          inputs.append(input)
        } else if case .transformer = argument.kind, let input = try operand(argument) {
          inputs.append(input)
        } else if case .expressionList(let items) = argument.kind {
          for item in items { if let input = try operand(item) { inputs.append(input) } }
        }
      }
      switch name {
      case "val":
        return inputs.first
      case "tolower", "toupper", "b64", "basename":
        if let input = inputs.first, input.kind != .string, input.kind != .buffer {
          throw Failure(message: "transformer '\(name)' is not supported on \(input.kind.family) values", position: node.position)
        }
        return Operand(kind: .string, isList: inputs.first?.isList ?? false, flags: [], name: name)
      case "len":
        return Operand(kind: .unsigned(bits: 64), isList: false, flags: [], name: name)
      default:
        return Operand(kind: .string, isList: name == "getopt", flags: [], name: name)
      }
    default:
      return nil
    }
  }

  private func checkConstant(_ value: String, op: String, kind: FieldValueKind, at position: ConditionPosition) throws(Failure) {
    if op == "bcontains" || op == "bstartswith" {
      if !Self.isHex(value) {
        throw Failure(message: "bcontains and bstartswith operator support hex strings only", position: position)
      }
      return
    }
    if op == "regex" {
      do {
        _ = try PCRE2Regex(value)
      } catch {
        throw Failure(message: "invalid regular expression '\(value)': \(error.message)", position: position)
      }
      return
    }
    switch kind {
    case .signed(let bits):
      guard Self.integer(value, signed: true, bits: bits) else { throw Failure(message: "'\(value)' is not a valid number", position: position) }
    case .unsigned(let bits):
      guard Self.integer(value, signed: false, bits: bits) else { throw Failure(message: "'\(value)' is not a valid number", position: position) }
    case .bool:
      guard ["true", "false", "0", "1"].contains(value) else { throw Failure(message: "'\(value)' is not a valid boolean", position: position) }
    case .ipAddress:
      guard Self.ipAddress(value) != nil else { throw Failure(message: "unrecognized IP address \(value)", position: position) }
    case .ipNetwork:
      guard Self.ipNetwork(value) else { throw Failure(message: "unrecognized IP network \(value)", position: position) }
    case .string, .buffer, .other:
      break
    }
  }

  static func isHex(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return !bytes.isEmpty && bytes.count % 2 == 0
      && bytes.allSatisfy { ConditionLexer.isDigit($0) || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "f")) }
  }

  static func integer(_ text: String, signed: Bool, bits: Int) -> Bool {
    var digits = Substring(text)
    var negative = false
    if signed, digits.hasPrefix("-") {
      negative = true
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.utf8.allSatisfy(ConditionLexer.isDigit), let magnitude = UInt64(digits) else { return false }
    if bits >= 64 { return signed ? magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) : true }
    let limit: UInt64 = signed ? (UInt64(1) << (bits - 1)) - (negative ? 0 : 1) : (UInt64(1) << bits) - 1
    return magnitude <= limit
  }

  /// The address family (4 or 6) of a textual IP address.
  static func ipAddress(_ text: String) -> Int? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return 4 }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 { return 6 }
    return nil
  }

  static func ipNetwork(_ text: String) -> Bool {
    guard let slash = text.firstIndex(of: "/") else { return ipAddress(text) != nil }
    guard let family = ipAddress(String(text[..<slash])) else { return false }
    let prefix = text[text.index(after: slash)...]
    guard !prefix.isEmpty, prefix.utf8.allSatisfy(ConditionLexer.isDigit), let bits = Int(prefix) else { return false }
    return bits <= (family == 4 ? 32 : 128)
  }
}

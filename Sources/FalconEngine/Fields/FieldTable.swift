/// How a field name fared against a field table.
public enum FieldLookup: Sendable, Hashable {
  /// The table has the field (possibly reached through an argument: `evt.arg.name`).
  case known(FieldDescriptor)
  /// The table does not have it: a condition using it does not compile.
  case unknown
  /// The table cannot tell (it does not list fields): nothing is checked.
  case unverified
}

/// What the loader needs to know about a field: its name and how it takes arguments.
public struct FieldDescriptor: Sendable, Hashable {
  /// How a field accepts an argument (`proc.aname[2]`, `evt.arg.name`).
  public struct Flags: OptionSet, Sendable, Hashable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// libsinsp `EPF_ARG_REQUIRED`.
    public static let argumentRequired = Flags(rawValue: 1 << 0)
    /// libsinsp `EPF_ARG_ALLOWED`.
    public static let argumentAllowed = Flags(rawValue: 1 << 1)
    /// libsinsp `EPF_DEPRECATED`.
    public static let deprecated = Flags(rawValue: 1 << 2)
    /// libsinsp `EPF_IS_LIST`: the field has several values (only `in`, `intersects`).
    public static let isList = Flags(rawValue: 1 << 3)
    /// libsinsp `EPF_NO_RHS`: the field cannot be compared with another field.
    public static let noRightHandSide = Flags(rawValue: 1 << 4)
    /// libsinsp `EPF_NO_TRANSFORMER`: transformers do not apply to the field.
    public static let noTransformer = Flags(rawValue: 1 << 5)
  }

  /// The field name (`proc.aname`).
  public var name: String
  /// libsinsp's type name (`PT_CHARBUF`); empty when unknown.
  public var type: String
  public var flags: Flags

  /// Creates a descriptor.
  public init(name: String, type: String = "", flags: Flags = []) {
    self.name = name
    self.type = type
    self.flags = flags
  }
}

/// The fields and event types conditions may use, so the loader can reject unknown ones.
///
/// Falcon's full table (every libsinsp and plugin field, with extractors) belongs to a later
/// stage; the loader depends only on this protocol. `PermissiveFieldTable` checks nothing;
/// `StaticFieldTable` checks against a list of names.
public protocol FieldTable: Sendable {
  /// Looks a field name up (without its `[argument]`).
  func lookup(_ name: String) -> FieldLookup
  /// Every event type name with its number of event codes (enter, exit and versions), for the
  /// "matches too many evt.type values" warning; nil when the table does not know events.
  var eventCodeCounts: [String: Int]? { get }
}

/// A table that accepts every field and event type: conditions are checked for syntax only.
public struct PermissiveFieldTable: FieldTable {
  public init() {}
  public func lookup(_ name: String) -> FieldLookup { .unverified }
  public var eventCodeCounts: [String: Int]? { nil }
}

/// A table over a fixed list of fields and event types.
///
/// A name not in the list is still known when a listed field taking arguments is a prefix of it
/// followed by `.` (`evt.arg.name` is `evt.arg` with argument `name`), as libsinsp resolves them.
public struct StaticFieldTable: FieldTable {
  private let fields: [String: FieldDescriptor]
  public let eventCodeCounts: [String: Int]?

  /// Creates a table; later descriptors with the same name replace earlier ones.
  public init(fields: [FieldDescriptor], eventCodeCounts: [String: Int]? = nil) {
    var byName: [String: FieldDescriptor] = [:]
    for field in fields { byName[field.name] = field }
    self.fields = byName
    self.eventCodeCounts = eventCodeCounts
  }

  public func lookup(_ name: String) -> FieldLookup {
    if let field = fields[name] { return .known(field) }
    var candidate = Substring(name)
    while let dot = candidate.lastIndex(of: ".") {
      candidate = candidate[..<dot]
      if let field = fields[String(candidate)], !field.flags.isDisjoint(with: [.argumentAllowed, .argumentRequired]) {
        return .known(field)
      }
    }
    return .unknown
  }
}

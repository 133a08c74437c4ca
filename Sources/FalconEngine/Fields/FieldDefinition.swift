public import FalconEvents

/// Which of Falcon's event sources can give a field a value.
public struct FieldSources: OptionSet, Sendable, Hashable {
  public var rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  /// The Linux audit subsystem (live netlink or a replayed log).
  public static let audit = FieldSources(rawValue: 1 << 0)
  /// The kernel's process-events connector.
  public static let procConnector = FieldSources(rawValue: 1 << 1)
  /// A `/proc` scan of running processes.
  public static let procScan = FieldSources(rawValue: 1 << 2)
  /// Every source.
  public static let all: FieldSources = [.audit, .procConnector, .procScan]
  /// No source: the field is known (rules naming it load) but never has a value.
  public static let unavailable: FieldSources = []

  /// `audit, proc-connector, proc-scan`, or `none`.
  public var names: String {
    var parts: [String] = []
    if contains(.audit) { parts.append("audit") }
    if contains(.procConnector) { parts.append("proc-connector") }
    if contains(.procScan) { parts.append("proc-scan") }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }

  /// The sources an event source stands for (synthetic events count as every source).
  public init(_ source: EventSource) {
    switch source {
    case .audit: self = .audit
    case .procConnector: self = .procConnector
    case .procScan: self = .procScan
    case .synthetic: self = .all
    }
  }
}

/// How a field takes a bracketed or dotted argument.
public enum FieldArgumentKind: Sendable, Hashable {
  /// No argument.
  case none
  /// A number (`proc.aname[2]`); `required` says whether it must be given.
  case index(required: Bool)
  /// A name (`evt.arg.flags`, `evt.arg[flags]`, `proc.env[HOME]`).
  case key(required: Bool)

  /// `-`, `[N]`, `[N] (required)`, `.name`, ...
  public var summary: String {
    switch self {
    case .none: return "-"
    case .index(let required): return required ? "[N] (required)" : "[N] (optional)"
    case .key(let required): return required ? "[name] (required)" : "[name] (optional)"
    }
  }
}

/// Reads one field from an event.
public typealias FieldExtractor = @Sendable (Event) -> FieldValue

/// One field of Falcon's table: what it is called, its libsinsp type, what it means, which
/// sources can supply it, and how its value is read from an ``Event``.
public struct FieldDefinition: Sendable {
  /// The name rules use (`proc.aname`).
  public let name: String
  /// libsinsp's type name (`PT_CHARBUF`), which decides the operators and how constants read.
  public let type: String
  /// What the field holds.
  public let description: String
  /// Which sources can supply it; empty when none can (rules using it are disabled).
  public let sources: FieldSources
  /// How it takes an argument.
  public let argument: FieldArgumentKind
  /// libsinsp's flags for the loader (`EPF_NO_RHS`, `EPF_IS_LIST`, ...); argument flags are
  /// derived from ``argument``.
  public let extraFlags: FieldDescriptor.Flags
  /// Builds the extractor for a given argument (nil when the argument is not acceptable).
  let bind: @Sendable (String?) -> FieldExtractor?

  /// Whether some source can supply the field.
  public var isAvailable: Bool { !sources.isEmpty }

  /// The loader's view of the field.
  public var descriptor: FieldDescriptor {
    var flags = extraFlags
    switch argument {
    case .none: break
    case .index(let required), .key(let required):
      flags.insert(required ? .argumentRequired : .argumentAllowed)
    }
    return FieldDescriptor(name: name, type: type, flags: flags)
  }

  /// The extractor for `argument` (the text in brackets or after the dot), or nil when the
  /// field does not accept it.
  public func extractor(argument: String?) -> FieldExtractor? { bind(argument) }

  /// A field without argument.
  init(
    _ name: String, _ type: String, _ sources: FieldSources, _ description: String,
    flags: FieldDescriptor.Flags = [], _ extract: @escaping FieldExtractor
  ) {
    self.name = name
    self.type = type
    self.description = description
    self.sources = sources
    self.argument = .none
    self.extraFlags = flags
    self.bind = { argument in argument == nil ? extract : nil }
  }

  /// A field taking a numeric argument; `defaultIndex` is used when it is optional and absent.
  init(
    _ name: String, _ type: String, _ sources: FieldSources, _ description: String,
    index defaultIndex: Int?, flags: FieldDescriptor.Flags = [],
    _ extract: @escaping @Sendable (Event, Int) -> FieldValue
  ) {
    self.name = name
    self.type = type
    self.description = description
    self.sources = sources
    self.argument = .index(required: defaultIndex == nil)
    self.extraFlags = flags
    self.bind = { argument in
      let index: Int
      if let argument {
        guard let parsed = Int(argument), parsed >= 0 else { return nil }
        index = parsed
      } else if let defaultIndex {
        index = defaultIndex
      } else {
        return nil
      }
      return { event in extract(event, index) }
    }
  }

  /// A field taking a name argument; the extractor receives nil when it is optional and absent.
  init(
    _ name: String, _ type: String, _ sources: FieldSources, _ description: String,
    keyRequired: Bool, flags: FieldDescriptor.Flags = [],
    _ extract: @escaping @Sendable (Event, String?) -> FieldValue
  ) {
    self.init(name, type, sources, description, key: .key(required: keyRequired), flags: flags) { argument in
      if keyRequired, argument == nil { return nil }
      return { event in extract(event, argument) }
    }
  }

  /// A field taking an optional name argument whose extractor is built once per argument by
  /// `bind` (which parses the argument, and returns nil when it is not acceptable).
  init(
    _ name: String, _ type: String, _ sources: FieldSources, _ description: String,
    optionalKey flags: FieldDescriptor.Flags, bind: @escaping @Sendable (String?) -> FieldExtractor?
  ) {
    self.init(name, type, sources, description, key: .key(required: false), flags: flags, bind: bind)
  }

  private init(
    _ name: String, _ type: String, _ sources: FieldSources, _ description: String,
    key argument: FieldArgumentKind, flags: FieldDescriptor.Flags, bind: @escaping @Sendable (String?) -> FieldExtractor?
  ) {
    self.name = name
    self.type = type
    self.description = description
    self.sources = sources
    self.argument = argument
    self.extraFlags = flags
    self.bind = bind
  }

  /// A known field no source supplies: it always extracts nothing.
  static func unavailable(
    _ name: String, _ type: String, _ description: String, argument: FieldArgumentKind = .none,
    flags: FieldDescriptor.Flags = []
  ) -> FieldDefinition {
    FieldDefinition(name: name, type: type, description: description, argument: argument, extraFlags: flags)
  }

  private init(name: String, type: String, description: String, argument: FieldArgumentKind, extraFlags: FieldDescriptor.Flags) {
    self.name = name
    self.type = type
    self.description = description
    self.sources = .unavailable
    self.argument = argument
    self.extraFlags = extraFlags
    self.bind = { _ in { _ in .none } }
  }
}

internal import FalconEvents

/// Falcon's field table: every field rules may name, with its libsinsp type, a description,
/// which Linux sources can supply it, and how it is read from an ``Event``.
///
/// It is a ``FieldTable``, so the loader checks names and types against it:
///
///     let fields = FalconFieldTable(users: .read())
///     var loader = RuleLoader(options: RuleLoaderOptions(fields: fields))
///
/// Fields no Linux source can supply without a kernel module (`fd.name_changed`, DNS names,
/// container runtime metadata) are listed as unavailable: rules that use them load, and
/// ``RuleEngine`` disables them with a warning rather than letting them match on missing data.
public struct FalconFieldTable: FieldTable {
  /// Every field, sorted by name.
  public let definitions: [FieldDefinition]
  private let byName: [String: Int]
  /// The user and group names `user.name` and `group.name` answer from.
  public let users: UserDirectory
  /// What `evt.hostname` answers.
  public let hostname: String

  /// Creates the table; `users` answers name lookups, `hostname` is `evt.hostname`.
  public init(users: UserDirectory = .empty, hostname: String = "") {
    var all = FalconFieldTable.eventFields(users: users, hostname: hostname)
    all += FalconFieldTable.processFields(users: users)
    all += FalconFieldTable.fileDescriptorFields()
    all += FalconFieldTable.containerFields()
    all.sort { $0.name < $1.name }
    var index: [String: Int] = [:]
    for (position, field) in all.enumerated() { index[field.name] = position }
    self.definitions = all
    self.byName = index
    self.users = users
    self.hostname = hostname
  }

  /// The definition named exactly `name`.
  public func definition(_ name: String) -> FieldDefinition? { byName[name].map { definitions[$0] } }

  /// The definition a field reference names and its argument: `proc.aname` with `[2]`, or
  /// `evt.arg.flags` read as `evt.arg` with argument `flags`.
  public func resolve(name: String, argument: String?) -> (definition: FieldDefinition, argument: String?)? {
    if let field = definition(name) { return (field, argument) }
    guard argument == nil else { return nil }
    var candidate = Substring(name)
    while let dot = candidate.lastIndex(of: ".") {
      candidate = candidate[..<dot]
      if let field = definition(String(candidate)), field.argument != .none {
        return (field, String(name[name.index(after: dot)...]))
      }
    }
    return nil
  }

  /// The extractor for a field reference, or nil when the name or argument is not acceptable.
  public func extractor(name: String, argument: String?) -> FieldExtractor? {
    guard let (field, argument) = resolve(name: name, argument: argument) else { return nil }
    return field.extractor(argument: argument)
  }

  public func lookup(_ name: String) -> FieldLookup {
    guard let (field, _) = resolve(name: name, argument: nil) else { return .unknown }
    return .known(field.descriptor)
  }

  public var eventCodeCounts: [String: Int]? { nil }
}

// MARK: - Helpers shared by the field groups

extension FalconFieldTable {
  /// A text field that is missing when empty.
  static func text(_ value: String) -> FieldValue { value.isEmpty ? .none : .string(value) }

  /// A process-ID-like number that is missing when negative (unknown).
  static func id(_ value: Int64) -> FieldValue { value < 0 ? .none : .int(value) }

  /// `proc.cmdline`: the command name followed by the arguments.
  static func commandLine(_ thread: borrowing ThreadInfo) -> String {
    thread.args.isEmpty ? thread.name : thread.name + " " + thread.argumentLine
  }

  /// The values of one ancestor field: generation `index` (0 is the process itself), or, with
  /// no index, every ancestor from the parent up (a comparison then holds when any does).
  static func ancestors(_ event: Event, _ index: Int?, _ read: (borrowing ThreadInfo) -> String) -> FieldValue {
    if let index {
      return event.thread.withAncestor(index) { text(read($0)) } ?? .none
    }
    var values: [String] = []
    event.thread.forEachAncestor { thread in
      values.append(read(thread))
      return true
    }
    return values.isEmpty ? .none : .list(values)
  }
}

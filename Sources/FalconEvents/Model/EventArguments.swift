/// The named arguments of an event, in the event table's order.
///
/// Events have a handful of arguments (eight at most for the calls Falcon decodes), so lookup
/// by name is a linear scan over one small array: cheaper than hashing, and the array is shared
/// when the event is copied.
public struct EventArguments: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral
{
  private var storage: [EventArgument]

  /// Creates an empty argument list.
  public init() { storage = [] }

  /// Creates an argument list from arguments in order.
  public init(_ arguments: [EventArgument]) { storage = arguments }

  public init(arrayLiteral elements: EventArgument...) { storage = elements }

  public var startIndex: Int { storage.startIndex }
  public var endIndex: Int { storage.endIndex }
  public subscript(position: Int) -> EventArgument { storage[position] }

  /// The value of the argument called `name` (the first one if a name repeats), or nil.
  public subscript(name: String) -> EventValue? {
    for argument in storage where argument.name == name { return argument.value }
    return nil
  }

  /// Adds an argument at the end.
  public mutating func append(_ name: String, _ value: EventValue) {
    storage.append(EventArgument(name, value))
  }

  /// Reserves room for `count` arguments.
  public mutating func reserveCapacity(_ count: Int) { storage.reserveCapacity(count) }
}

/// One named argument of an event, named as in libsinsp's event table
/// (`fd`, `dirfd`, `name`, `flags`, `mode` for `openat`).
public struct EventArgument: Sendable, Hashable {
  /// The parameter name, as `evt.arg.<name>` spells it.
  public var name: String
  /// The value.
  public var value: EventValue

  /// Creates an argument.
  public init(_ name: String, _ value: EventValue) {
    self.name = name
    self.value = value
  }
}

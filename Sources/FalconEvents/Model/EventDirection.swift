/// Whether an event is the entry (`>`) or the exit (`<`) of a call, as Falco's `evt.dir`.
///
/// Audit reports a call once, after it returned, so audit events are exits; so are audit
/// records that are not calls (a `USER_AUTH` reports what already happened).
public enum EventDirection: UInt8, Sendable, Hashable {
  /// `>`: the call started.
  case enter
  /// `<`: the call returned.
  case exit

  /// `>` or `<`.
  public var symbol: Character { self == .enter ? ">" : "<" }
}

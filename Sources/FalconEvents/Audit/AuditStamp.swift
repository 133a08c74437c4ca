/// When an audit event happened and which one it is: `msg=audit(1795728638.806:43155)`.
///
/// The kernel stamps every record of one event with the same time and serial, which is how the
/// records of an event are put back together. Order is by time, then serial.
public struct AuditStamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Whole seconds since the Unix epoch.
  public var seconds: UInt64
  /// The fraction of the second, in nanoseconds (the kernel writes milliseconds).
  public var nanoseconds: UInt32
  /// The event serial number, unique per boot until it wraps.
  public var serial: UInt64

  /// Creates a stamp.
  public init(seconds: UInt64, nanoseconds: UInt32, serial: UInt64) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
    self.serial = serial
  }

  /// Nanoseconds since the Unix epoch (saturating at `UInt64.max`).
  public var timestamp: UInt64 {
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return .max }
    let (sum, carry) = product.addingReportingOverflow(UInt64(nanoseconds))
    return carry ? .max : sum
  }

  public static func < (lhs: AuditStamp, rhs: AuditStamp) -> Bool {
    (lhs.seconds, lhs.nanoseconds, lhs.serial) < (rhs.seconds, rhs.nanoseconds, rhs.serial)
  }

  /// `1795728638.806:43155`, the form inside `msg=audit(...)`.
  public var description: String {
    var fraction = String(nanoseconds / 1_000_000)
    while fraction.utf8.count < 3 { fraction = "0" + fraction }
    return "\(seconds).\(fraction):\(serial)"
  }
}

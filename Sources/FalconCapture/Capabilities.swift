// The libcap funnel: the only Swift file that calls libcap (and the CCap shim). Everything else
// about capabilities goes through `CapabilitySet`.

internal import CCap
internal import Glibc

/// The effective, permitted and inheritable Linux capability sets of a process, by number.
///
/// Capabilities are identified by their kernel numbers (`CAP_CHOWN` is 0, `CAP_SYS_ADMIN` is 21);
/// ``name(of:)`` and ``number(named:)`` convert to and from libcap's lower-case names. A set can
/// be read from the kernel (``current()``, ``init(pid:)``), or decoded without any system call
/// from the hex masks of `/proc/PID/status` (``init(procStatus:)``, ``decodeHexMask(_:)``), which
/// is how captured events are enriched.
public struct CapabilitySet: Sendable, Hashable {
  /// Capabilities the kernel checks when the thread acts.
  public var effective: Set<Int32>
  /// Capabilities the thread may make effective; the upper bound of the other two.
  public var permitted: Set<Int32>
  /// Capabilities that may be passed on across `execve`.
  public var inheritable: Set<Int32>

  /// Creates a set from explicit capability numbers.
  public init(
    effective: Set<Int32> = [], permitted: Set<Int32> = [], inheritable: Set<Int32> = []
  ) {
    self.effective = effective
    self.permitted = permitted
    self.inheritable = inheritable
  }

  /// The number of capabilities the running kernel supports (from `cap_max_bits`).
  ///
  /// This can exceed the `CAP_LAST_CAP` libcap was built with; valid numbers are `0..<maxBits`.
  public static var maxBits: Int32 {
    Int32(rampart_cap_max_bits())
  }

  /// Reads the capabilities of the calling thread with `cap_get_proc`.
  public static func current() throws -> CapabilitySet {
    guard let capabilities = cap_get_proc() else { throw CaptureError.fromErrno("cap_get_proc") }
    defer { cap_free(UnsafeMutableRawPointer(capabilities)) }
    return try CapabilitySet(decoding: capabilities)
  }

  /// Reads the capabilities of process `pid` with `cap_get_pid` (its main thread's sets).
  ///
  /// Throws with `ESRCH` if no such process exists.
  public init(pid: Int32) throws {
    guard let capabilities = cap_get_pid(pid) else { throw CaptureError.fromErrno("cap_get_pid") }
    defer { cap_free(UnsafeMutableRawPointer(capabilities)) }
    try self.init(decoding: capabilities)
  }

  /// Copies the three flags of every supported capability out of a libcap `cap_t`.
  ///
  /// A kernel newer than libcap may know more capabilities than a `cap_t` can hold; libcap
  /// rejects those numbers with `EINVAL`, and reading stops there.
  private init(decoding capabilities: cap_t) throws {
    self.init()
    let flags: [(cap_flag_t, WritableKeyPath<CapabilitySet, Set<Int32>>)] = [
      (CAP_EFFECTIVE, \.effective), (CAP_PERMITTED, \.permitted),
      (CAP_INHERITABLE, \.inheritable),
    ]
    for capability in 0..<Self.maxBits {
      for (flag, path) in flags {
        var value = CAP_CLEAR
        guard cap_get_flag(capabilities, capability, flag, &value) == 0 else {
          if Glibc.errno == EINVAL && capability > 0 { return }
          throw CaptureError.fromErrno("cap_get_flag")
        }
        if value == CAP_SET { self[keyPath: path].insert(capability) }
      }
    }
  }

  /// libcap's name for capability `number`, such as `"cap_sys_admin"`.
  ///
  /// Numbers libcap has no name for (newer than the library) come back as decimal text, as
  /// `cap_to_name` gives them; negative numbers give `nil`.
  public static func name(of number: Int32) -> String? {
    guard number >= 0, let text = cap_to_name(number) else { return nil }
    defer { cap_free(UnsafeMutableRawPointer(text)) }
    return String(cString: text)
  }

  /// The number of the capability called `name` (`"cap_sys_admin"`, any letter case), or `nil`.
  ///
  /// Uses `cap_from_name`, which also accepts a decimal number.
  public static func number(named name: String) -> Int32? {
    var value: cap_value_t = 0
    guard cap_from_name(name.lowercased(), &value) == 0, value >= 0 else { return nil }
    return value
  }

  /// Formats capabilities the way Falco prints `thread.cap_effective` and its siblings.
  ///
  /// The result is the upper-case names in ascending capability-number order, separated by single
  /// spaces (`"CAP_CHOWN CAP_DAC_OVERRIDE"`), or the empty string for an empty set.
  public static func falcoString(_ capabilities: Set<Int32>) -> String {
    capabilities.sorted().map { (name(of: $0) ?? String($0)).uppercased() }
      .joined(separator: " ")
  }

  /// Renders the sets in libcap's textual form with `cap_to_text`, such as `"=ep cap_net_raw-e"`.
  public func libcapText() throws -> String {
    let capabilities = try makeLibcapSet()
    defer { cap_free(UnsafeMutableRawPointer(capabilities)) }
    guard let text = cap_to_text(capabilities, nil) else {
      throw CaptureError.fromErrno("cap_to_text")
    }
    defer { cap_free(UnsafeMutableRawPointer(text)) }
    return String(cString: text)
  }

  /// Replaces the calling thread's capabilities with `keeping` in all three sets; irreversible.
  ///
  /// Every capability not in `keeping` is cleared from the effective, permitted and inheritable
  /// sets with `cap_set_proc`. Once a capability leaves the permitted set the thread can never
  /// regain it (short of executing a privileged program), so this is the last step of hardening a
  /// process. The bounding and ambient sets are left alone. Linux capabilities are per thread:
  /// only the calling thread changes, so call this before starting other threads. Keeping a
  /// capability the thread does not currently have fails with `EPERM`.
  public static func dropPrivileges(keeping: Set<Int32>) throws {
    let limit = maxBits
    if let bad = keeping.first(where: { $0 < 0 || $0 >= limit }) {
      throw CaptureError.invalidArgument(
        operation: "cap_set_proc", reason: "capability \(bad) is outside 0..<\(limit)")
    }
    let target = CapabilitySet(effective: keeping, permitted: keeping, inheritable: keeping)
    let capabilities = try target.makeLibcapSet()
    defer { cap_free(UnsafeMutableRawPointer(capabilities)) }
    guard cap_set_proc(capabilities) == 0 else { throw CaptureError.fromErrno("cap_set_proc") }
  }

  /// Builds a libcap `cap_t` holding these sets; the caller frees it with `cap_free`.
  private func makeLibcapSet() throws -> cap_t {
    guard let capabilities = cap_init() else { throw CaptureError.fromErrno("cap_init") }
    let flags: [(cap_flag_t, Set<Int32>)] = [
      (CAP_EFFECTIVE, effective), (CAP_PERMITTED, permitted), (CAP_INHERITABLE, inheritable),
    ]
    for (flag, numbers) in flags where !numbers.isEmpty {
      let values: [cap_value_t] = numbers.sorted()
      let result = values.withUnsafeBufferPointer {
        cap_set_flag(capabilities, flag, Int32($0.count), $0.baseAddress, CAP_SET)
      }
      guard result == 0 else {
        let error = CaptureError.fromErrno("cap_set_flag")
        cap_free(UnsafeMutableRawPointer(capabilities))
        throw error
      }
    }
    return capabilities
  }
}

/// A system-call name/number table for one ABI, built from libseccomp's tables.
///
/// The static lookups (`number(of:arch:)`, `name(of:arch:)`, in `Seccomp.swift`) ask libseccomp each
/// time; an instance scans the ABI once and answers from dictionaries, which suits enriching a
/// stream of events with syscall names. Both see the system calls the installed libseccomp knows,
/// which may lag the running kernel for the newest calls.
public struct SyscallTable: Sendable {
  /// One system call of an ABI.
  public struct Entry: Sendable, Hashable {
    /// The number the ABI passes in its syscall-number register.
    public let number: Int32
    /// The kernel's name for the call, such as `"execve"`.
    public let name: String
  }

  /// The ABI this table describes.
  public let architecture: SeccompArchitecture
  /// Every known system call of the ABI, in ascending number order.
  public let entries: [Entry]
  /// The entries indexed by number.
  private let namesByNumber: [Int32: String]
  /// The entries indexed by name.
  private let numbersByName: [String: Int32]

  /// Builds the table for `architecture` by scanning its syscall numbers (see ``allSyscalls(arch:)``).
  public init(architecture: SeccompArchitecture = .native) {
    self.architecture = architecture
    entries = Self.allSyscalls(arch: architecture)
    var names: [Int32: String] = [:]
    var numbers: [String: Int32] = [:]
    for entry in entries {
      names[entry.number] = entry.name
      // Keep the lowest number if libseccomp ever reports one name twice.
      if numbers[entry.name] == nil { numbers[entry.name] = entry.number }
    }
    namesByNumber = names
    numbersByName = numbers
  }

  /// The name of system call `number` in this table's ABI, or `nil` if it has none.
  public func name(of number: Int32) -> String? {
    namesByNumber[number]
  }

  /// The number of the system call `name` in this table's ABI, or `nil` if the ABI lacks it.
  public func number(of name: String) -> Int32? {
    numbersByName[name]
  }

  /// Lists every system call libseccomp knows for `arch`, in ascending number order.
  ///
  /// libseccomp has no enumeration API, so this asks it for the name of each number in the ABI's
  /// scan ranges: `0..<1024` for most ABIs, the same window offset by the x32 bit for x32, and
  /// additionally the private `0x0f0000` block for 32-bit ARM. The whole window is scanned rather
  /// than stopping at the first unnamed number, because numbering has gaps (x86_64 has none
  /// between 335 and 423). Negative pseudo-numbers that libseccomp uses for calls an ABI lacks
  /// are not listed.
  public static func allSyscalls(arch: SeccompArchitecture) -> [Entry] {
    var result: [Entry] = []
    for range in arch.scanRanges {
      for number in range {
        if let name = name(of: number, arch: arch) {
          result.append(Entry(number: number, name: name))
        }
      }
    }
    return result
  }
}

#if canImport(Glibc)
  internal import Glibc
#endif

/// SplitMix64 (Steele, Lea and Flood): a tiny deterministic generator, so a benchmark or a
/// property test with the same seed builds the same data on every run and machine.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Seconds on the monotonic clock (`CLOCK_MONOTONIC`), for timing; never goes backwards.
func monotonicSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Seconds since the Unix epoch on the real-time clock, with sub-second precision.
func wallClockSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_REALTIME, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Resident set size of this process in bytes, from the second field of `/proc/self/statm`
/// (0 where that file does not exist).
func residentBytes() -> Int {
  let descriptor = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
  guard descriptor >= 0 else { return 0 }
  defer { close(descriptor) }
  var buffer = [UInt8](repeating: 0, count: 128)
  let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
  guard got > 0 else { return 0 }
  let fields = buffer[0..<got].split(separator: UInt8(ascii: " "))
  guard fields.count >= 2 else { return 0 }
  let pages = fields[1].reduce(0) { ($1 >= 0x30 && $1 <= 0x39) ? $0 * 10 + Int($1 - 0x30) : $0 }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

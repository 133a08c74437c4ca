#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif
internal import FalconEvents

/// `proc.cmdline` checks answered from the command name and the arguments without joining them
/// into one string (long `argv`s made joining the costliest part of matching exec events).
///
/// `proc.cmdline` is the name followed by each argument, separated by single spaces, and is
/// missing when the name is empty. So:
/// - `contains X` (and `icontains X`) with no space in `X` holds exactly when the name or one
///   argument contains `X`: a match cannot straddle a separator;
/// - `startswith X` walks `X` along the name, a space, the first argument, and so on.
///
/// Other operators, and needles with spaces, go through the joined value as before.
enum CommandLineMatching {
  /// A test of `proc.cmdline <op> <constants>` (any constant matching), or nil when it must
  /// read the joined command line.
  static func test(op: String, constants: [String]) -> ContextTest? {
    guard !constants.isEmpty else { return nil }
    switch op {
    case "contains":
      guard constants.allSatisfy({ !$0.utf8.contains(0x20) }) else { return nil }
      let needles = NeedleSet(constants.map { Array($0.utf8) })
      return { _, event in event.thread.commandLineContainsAny(needles, folding: false) }
    case "icontains":
      guard constants.allSatisfy({ !$0.utf8.contains(0x20) }) else { return nil }
      let needles = NeedleSet(constants.map { Array(StringMatching.lowercased($0).utf8) })
      return { _, event in event.thread.commandLineContainsAny(needles, folding: true) }
    case "startswith":
      let prefixes = constants.map { Array($0.utf8) }
      return { _, event in event.thread.commandLineStartsWithAny(prefixes) }
    default:
      return nil
    }
  }

  /// Whether the command line of `name` and the arguments joined with spaces (`argumentLine`)
  /// is present and contains one of `needles` (none with a space): such a needle is in the
  /// joined line exactly when it is in the name or in one argument.
  static func containsAny(_ name: String, _ argumentLine: String, _ needles: NeedleSet, folding: Bool) -> Bool {
    guard !name.isEmpty else { return false }
    return containsAny(name, needles, folding: folding) || containsAny(argumentLine, needles, folding: folding)
  }

  /// Whether `part` contains one of `needles` (see ``contains(_:_:folding:)``).
  static func containsAny(_ part: String, _ needles: [[UInt8]], folding: Bool) -> Bool {
    for needle in needles where contains(part, needle, folding: folding) { return true }
    return false
  }

  /// Whether `part` contains one of `needles`, searched in one flat buffer (no per-needle
  /// array retains).
  static func containsAny(_ part: String, _ needles: NeedleSet, folding: Bool) -> Bool {
    let found = part.utf8.withContiguousStorageIfAvailable { hay -> Bool in
      needles.bytes.withUnsafeBufferPointer { all -> Bool in
        guard let hayBase = hay.baseAddress else { return needles.hasEmpty }
        guard let allBase = all.baseAddress else { return needles.hasEmpty }
        if !folding, needles.commonPrefix >= 2, needles.ranges.count > 1 {
          // One memchr/memcmp scan for the shared prefix, then each needle at every hit.
          let prefix = needles.commonPrefix
          let last = hay.count - needles.shortest
          var offset = 0
          while offset <= last {
            // memchr on the prefix's rarest-looking byte (not its first: `s` is everywhere).
            let anchor = needles.anchor
            guard let found = memchr(hayBase + offset + anchor, Int32(allBase[anchor]), last - offset + 1) else { return false }
            let position = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - hayBase - anchor
            if memcmp(hayBase + position, allBase, prefix) == 0 {
              for (start, count) in needles.ranges where count <= hay.count - position {
                if memcmp(hayBase + position + prefix, allBase + start + prefix, count - prefix) == 0 { return true }
              }
            }
            offset = position + 1
          }
          return false
        }
        for (start, count) in needles.ranges {
          if count == 0 { return true }
          guard hay.count >= count else { continue }
          let pinBase = allBase + start
          if folding ? StringMatching.searchFolded(hayBase, hay.count, pinBase, count) : StringMatching.search(hayBase, hay.count, pinBase, count) {
            return true
          }
        }
        return false
      }
    }
    if let found { return found }
    return containsAny(part, needles.arrays, folding: folding)
  }

  /// Needles laid out in one buffer.
  struct NeedleSet: Sendable {
    let bytes: [UInt8]
    let ranges: [(start: Int, count: Int)]
    let arrays: [[UInt8]]
    let hasEmpty: Bool
    /// The length of the prefix all needles share, and the shortest needle's length.
    let commonPrefix: Int
    let shortest: Int
    /// Which byte of the common prefix the scan looks for with memchr.
    let anchor: Int

    init(_ needles: [[UInt8]]) {
      var common = needles.first?.count ?? 0
      for needle in needles {
        var index = 0
        while index < common, index < needle.count, needle[index] == needles[0][index] { index += 1 }
        common = index
      }
      self.commonPrefix = common
      // English letter frequency, most common first: later letters (and non-letters) are rarer.
      let frequent = Array("etaoinshrdlcumwfgypbvkjxqz".utf8)
      var anchor = 0
      var best = -1
      if let first = needles.first {
        for index in 0..<common {
          var byte = first[index]
          if byte >= 0x41 && byte <= 0x5a { byte += 0x20 }
          let rarity = frequent.firstIndex(of: byte) ?? frequent.count
          if rarity > best { (anchor, best) = (index, rarity) }
        }
      }
      self.anchor = anchor
      self.shortest = needles.map(\.count).min() ?? 0
      var bytes: [UInt8] = []
      var ranges: [(start: Int, count: Int)] = []
      for needle in needles {
        ranges.append((bytes.count, needle.count))
        bytes += needle
      }
      self.bytes = bytes
      self.ranges = ranges
      self.arrays = needles
      self.hasEmpty = needles.contains { $0.isEmpty }
    }
  }

  /// Whether the command line of `name` and the arguments (`argumentLine`, empty when
  /// `hasArguments` is false) is present and starts with one of `prefixes`.
  static func startsWithAny(_ name: String, _ argumentLine: String, hasArguments: Bool, _ prefixes: [[UInt8]]) -> Bool {
    guard !name.isEmpty else { return false }
    for prefix in prefixes where startsWith(name, argumentLine, hasArguments: hasArguments, prefix) { return true }
    return false
  }

  /// Whether `part` contains `needle` as bytes (`needle` already lower case when `folding`,
  /// and `part` then compared ASCII case-insensitively, as `icontains` does).
  static func contains(_ part: String, _ needle: [UInt8], folding: Bool) -> Bool {
    if needle.isEmpty { return true }
    return part.utf8.withContiguousStorageIfAvailable { hay in
      needle.withUnsafeBufferPointer { pin in
        guard hay.count >= pin.count, let hayBase = hay.baseAddress, let pinBase = pin.baseAddress else { return false }
        if !folding { return StringMatching.search(hayBase, hay.count, pinBase, pin.count) }
        return StringMatching.searchFolded(hayBase, hay.count, pinBase, pin.count)
      }
    } ?? StringMatching.contains(folding ? StringMatching.lowercased(part) : part, String(decoding: needle, as: UTF8.self))
  }

  /// Whether the joined command line (`name`, then a space and `argumentLine` when there are
  /// arguments) starts with `prefix`.
  static func startsWith(_ name: String, _ argumentLine: String, hasArguments: Bool, _ prefix: [UInt8]) -> Bool {
    var position = 0
    guard feed(name, prefix, &position) else { return false }
    guard hasArguments else { return position == prefix.count }
    if position == prefix.count { return true }
    guard prefix[position] == 0x20 else { return false }
    position += 1
    guard feed(argumentLine, prefix, &position) else { return false }
    return position == prefix.count
  }

  /// Compares `part` with `prefix` from `position` on, advancing it; false on a difference.
  @inline(__always)
  private static func feed(_ part: String, _ prefix: [UInt8], _ position: inout Int) -> Bool {
    for byte in part.utf8 {
      if position == prefix.count { return true }
      if byte != prefix[position] { return false }
      position += 1
    }
    return true
  }
}

extension ThreadInfo {
  /// ``CommandLineMatching/containsAny(_:_:_:folding:)`` on this thread, read in place (a
  /// method borrows the thread the event lends, where reading two fields could copy it).
  func commandLineContainsAny(_ needles: CommandLineMatching.NeedleSet, folding: Bool) -> Bool {
    CommandLineMatching.containsAny(name, argumentLine, needles, folding: folding)
  }

  /// ``CommandLineMatching/startsWithAny(_:_:_:)`` on this thread, read in place.
  func commandLineStartsWithAny(_ prefixes: [[UInt8]]) -> Bool {
    CommandLineMatching.startsWithAny(name, argumentLine, hasArguments: !args.isEmpty, prefixes)
  }
}

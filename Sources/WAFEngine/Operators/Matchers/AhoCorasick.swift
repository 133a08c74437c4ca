// The phrase matcher behind `@pm` and `@pmFromFile`: case-insensitive, matches anywhere.
//
// Built once per rule as a dense DFA: bytes are first mapped to a small alphabet (one class per
// distinct ASCII-case-folded byte that occurs in some phrase, plus one class for all other bytes),
// and `transitions[state * classCount + class]` is the next state with failure links already
// followed. Matching is then one table load per input byte, with no branches on the pattern set.

/// A multi-phrase, ASCII-case-insensitive matcher (Aho-Corasick), as ModSecurity's `acmp`.
///
///     SecRule REQUEST_HEADERS:User-Agent "@pm nikto sqlmap" "id:913100,capture,deny"
///     SecRule REQUEST_FILENAME "@pmFromFile restricted-files.data" "id:930130,deny"
///
/// Two `acmp` behaviours are reproduced because CRS results depend on them:
/// - A phrase byte at or above 0x80 never matches: `acmp` stores phrase bytes as signed `char`
///   (x86-64) and compares them with unsigned input bytes. Such a phrase's ASCII prefix still
///   shapes the trie. (CRS `ssrf.data` and `php-variables.data` have such lines.)
/// - The text ModSecurity reports (`TX.0` with `capture`, `MATCHED_VAR` logging) is the trie path
///   at the match position, spelled as the phrase that first created that path: usually the phrase
///   itself, but when only a shorter phrase ends inside a longer partial match (phrases `bc` and
///   `abcd`, input `abcx`) it is `abc`. See ``Match/capture``.
public struct AhoCorasick: Sendable {
  /// One occurrence found by ``firstMatch(in:)-(UnsafeBufferPointer<UInt8>)``.
  public struct Match: Sendable, Hashable {
    /// Index into ``AhoCorasick/patterns`` of the longest phrase ending at the match position.
    public var patternIndex: Int
    /// Input bytes covered by ``capture``; ends right after the byte where a phrase first ended.
    public var range: Range<Int>
    /// What ModSecurity reports as the matched phrase (see the type's discussion).
    public var capture: ArraySlice<UInt8>
  }

  /// How failure links (where to continue after a mismatch) are computed.
  public enum FailureLinks: Sendable, Hashable {
    /// libmodsecurity's `acmp`: a node's link is the child, for the same byte, of its parent's link
    /// target, or else the root. It looks one level only instead of walking the whole suffix chain,
    /// so some occurrences are missed: with phrases `zabcd`, `abd` and `bc`, the input `zabce` does
    /// not match although it contains `bc`. The default, because the CRS regression corpus was
    /// recorded against ModSecurity.
    case modSecurity
    /// Textbook Aho-Corasick: every occurrence is found.
    case complete
  }

  /// The phrases as given (duplicates and empty phrases included, so indexes match the input).
  public let patterns: [[UInt8]]

  /// The byte-to-class map and the transition table, in memory of their own so that a scan reads
  /// them through plain pointers (see ``Tables``).
  let tables: Tables
  /// Per state: index of the longest phrase ending there (itself or a suffix), or -1.
  private let output: [Int32]
  /// Per state: the phrase that created the state (its spelling is the state's path text).
  private let creator: [Int32]
  /// Per state: path length.
  private let depth: [Int32]

  /// Builds the matcher.
  ///
  /// - Parameters:
  ///   - patterns: The phrases. Empty phrases never match; for duplicates (ignoring ASCII case) the
  ///     first index is reported.
  ///   - failureLinks: ``FailureLinks/modSecurity`` (default) or ``FailureLinks/complete``.
  public init(patterns: [[UInt8]], failureLinks: FailureLinks = .modSecurity) {
    self.patterns = patterns

    // Alphabet: one class per folded ASCII byte used by a phrase; class 0 for everything else.
    var classOf = [UInt8](repeating: 0, count: 256)
    var foldedClass = [Int](repeating: 0, count: 128)
    var classCount = 1
    for pattern in patterns {
      for byte in pattern {
        if byte >= 0x80 { break }
        let folded = Int(ByteClass.lower(byte))
        if foldedClass[folded] == 0 {
          foldedClass[folded] = classCount
          classCount += 1
        }
      }
    }
    for byte in 0..<128 {
      classOf[byte] = UInt8(truncatingIfNeeded: foldedClass[Int(ByteClass.lower(UInt8(byte)))])
    }

    // Trie, as a goto table (-1 = no edge).
    var goto = [Int32](repeating: -1, count: classCount)
    var terminal: [Int32] = [-1]
    var creator: [Int32] = [-1]
    var depth: [Int32] = [0]
    for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
      var state = 0
      var complete = true
      for byte in pattern {
        guard byte < 0x80 else {
          complete = false
          break
        }
        let cls = Int(classOf[Int(byte)])
        let next = goto[state * classCount + cls]
        if next >= 0 {
          state = Int(next)
        } else {
          let created = terminal.count
          goto[state * classCount + cls] = Int32(created)
          goto.append(contentsOf: repeatElement(-1, count: classCount))
          terminal.append(-1)
          creator.append(Int32(index))
          depth.append(depth[state] + 1)
          state = created
        }
      }
      if complete && terminal[state] < 0 { terminal[state] = Int32(index) }
    }

    // Breadth-first: failure links, outputs, and the full DFA (goto with failures folded in).
    let stateCount = terminal.count
    var fail = [Int32](repeating: 0, count: stateCount)
    var output = terminal
    var transitions = goto
    var queue: [Int] = []
    queue.reserveCapacity(stateCount)
    for cls in 0..<classCount {
      let next = goto[cls]
      if next >= 0 {
        fail[Int(next)] = 0
        queue.append(Int(next))
      } else {
        transitions[cls] = 0
      }
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      if output[state] < 0 { output[state] = output[Int(fail[state])] }
      for cls in 0..<classCount {
        let next = goto[state * classCount + cls]
        let viaFailure = transitions[Int(fail[state]) * classCount + cls]
        if next >= 0 {
          switch failureLinks {
          case .complete:
            fail[Int(next)] = viaFailure
          case .modSecurity:
            let child = goto[Int(fail[state]) * classCount + cls]
            fail[Int(next)] = child >= 0 ? child : 0
          }
          queue.append(Int(next))
        } else {
          transitions[state * classCount + cls] = viaFailure
        }
      }
    }
    // Class 0 (bytes in no phrase) always returns to the root.
    for state in 0..<stateCount { transitions[state * classCount] = 0 }

    // Renumber states breadth-first (root, then the queue's order), so that the shallow states,
    // where a scan of ordinary text spends nearly all its steps, share a few contiguous rows of
    // the table instead of being spread over all of it (php-errors.data's is 12 MB).
    var renumbered = [Int32](repeating: 0, count: stateCount)
    for (position, state) in queue.enumerated() { renumbered[state] = Int32(position + 1) }
    let order = [0] + queue
    var table = [Int32](repeating: 0, count: transitions.count)
    var orderedOutput = [Int32](repeating: -1, count: stateCount)
    var orderedCreator = [Int32](repeating: -1, count: stateCount)
    var orderedDepth = [Int32](repeating: 0, count: stateCount)
    for (position, state) in order.enumerated() {
      orderedOutput[position] = output[state]
      orderedCreator[position] = creator[state]
      orderedDepth[position] = depth[state]
      // Entries are row offsets, negative when the target state has an output.
      for cls in 0..<classCount {
        let target = Int(transitions[state * classCount + cls])
        let offset = Int32(Int(renumbered[target]) * classCount)
        table[position * classCount + cls] = output[target] >= 0 ? ~offset : offset
      }
    }

    self.tables = Tables(classOf: classOf, classCount: classCount, transitions: table)
    self.output = orderedOutput
    self.creator = orderedCreator
    self.depth = orderedDepth
  }

  /// Number of DFA states (for diagnostics and memory estimates).
  public var stateCount: Int { output.count }

  /// Bytes held by the transition table (states × alphabet classes × 4). For the CRS v4 lists this
  /// ranges from 90 KB (`scanners-user-agents.data`) to 12 MB (`php-errors.data`, 45k states);
  /// rules that load the same file should share one matcher.
  public var tableByteCount: Int { tables.transitionCount * MemoryLayout<Int32>.stride }

  /// Finds the first position where a phrase ends (scanning left to right).
  ///
  /// - Parameter bytes: The (transformed) variable value.
  /// - Returns: The match, or `nil` when no phrase occurs.
  public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>) -> Match? {
    guard let found = tables.firstEnd(in: bytes) else { return nil }
    let length = Int(depth[found.state])
    let phrase = patterns[Int(creator[found.state])]
    return Match(
      patternIndex: Int(output[found.state]), range: (found.end - length)..<found.end,
      capture: phrase[0..<length])
  }

  /// The ``Match/patternIndex`` of ``firstMatch(in:)-(UnsafeBufferPointer<UInt8>)``, or -1 when
  /// no phrase occurs (what `@pm` needs, without building the capture).
  public func firstPatternIndex(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let found = tables.firstEnd(in: bytes) else { return -1 }
    return Int(output[found.state])
  }

  /// ``firstMatch(in:)-(UnsafeBufferPointer<UInt8>)`` over an array.
  public func firstMatch(in bytes: [UInt8]) -> Match? {
    bytes.withUnsafeBufferPointer { firstMatch(in: $0) }
  }

  /// Whether any phrase occurs in `bytes`.
  public func matches(_ bytes: [UInt8]) -> Bool { firstMatch(in: bytes) != nil }
}

extension AhoCorasick {
  /// An automaton's scan tables, allocated once when it is built and never written afterwards, so
  /// any number of threads may scan with them.
  final class Tables: @unchecked Sendable {
    /// Byte (0-255) to alphabet class.
    let classOf: UnsafeMutablePointer<UInt8>
    let classCount: Int
    /// Row-major `states × classCount`. Each entry is the next state's row offset
    /// (`state * classCount`), bit-inverted (negative) when a phrase ends in that state, so the
    /// scan loop needs no multiply and no second table.
    let transitions: UnsafeMutablePointer<Int32>
    let transitionCount: Int

    init(classOf: [UInt8], classCount: Int, transitions: [Int32]) {
      self.classOf = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
      self.classOf.initialize(repeating: 0, count: 256)
      for (byte, cls) in classOf.prefix(256).enumerated() { self.classOf[byte] = cls }
      self.classCount = max(classCount, 1)
      transitionCount = max(transitions.count, 1)
      self.transitions = UnsafeMutablePointer<Int32>.allocate(capacity: transitionCount)
      self.transitions.initialize(repeating: 0, count: transitionCount)
      for (index, entry) in transitions.enumerated() { self.transitions[index] = entry }
    }

    deinit {
      classOf.deallocate()
      transitions.deallocate()
    }

    /// The state (index) where a phrase first ends in `bytes` and the position just after it.
    @inline(__always)
    func firstEnd(in bytes: UnsafeBufferPointer<UInt8>) -> (state: Int, end: Int)? {
      guard let input = bytes.baseAddress else { return nil }
      let classes = classOf
      let table = transitions
      var row = 0
      for position in 0..<bytes.count {
        let entry = table[row &+ Int(classes[Int(input[position])])]
        if entry < 0 { return (Int(~entry) / classCount, position + 1) }
        row = Int(entry)
      }
      return nil
    }
  }

  /// The index of the longest phrase ending in `state` (from ``Tables/firstEnd(in:)``).
  func phraseIndex(endingIn state: Int) -> Int { Int(output[state]) }
}

extension AhoCorasick {
  /// Splits an `@pm` argument into phrases the way libmodsecurity 3's `Pm::init` does.
  ///
  /// The argument first goes through v3's `parse_pm_content`: leading spaces and tabs are skipped;
  /// if it then starts and ends with `"` those quotes are removed; `\:`, `\;`, `\\` and `\"` are
  /// escapes (any other escape makes ModSecurity fall back to the raw argument); inside `|...|` only
  /// the letters `a`-`f`/`A`-`F` count as hex digits (v3 compares with the numbers 0-9, not the
  /// characters, so `|41|` decodes nothing). The compacted bytes are written over the argument
  /// without shortening it, so escapes and `|` spans leave the argument's stale tail behind
  /// (`a\;b` gives `a;bb`). The result is split on C whitespace. CRS `@pm` arguments use none of
  /// this; it matters only for hand-written rules.
  ///
  /// - Parameter argument: The text after `@pm `.
  /// - Returns: The phrases in order.
  public static func phrases(fromArgument argument: String) -> [[UInt8]] {
    let raw = Array(argument.utf8)
    var content = parsePmContent(raw) ?? raw
    if let nul = content.firstIndex(of: 0) { content.removeSubrange(nul...) }
    var phrases: [[UInt8]] = []
    var current: [UInt8] = []
    for byte in content {
      if ByteClass.isSpace(byte) {
        if !current.isEmpty {
          phrases.append(current)
          current.removeAll(keepingCapacity: true)
        }
      } else {
        current.append(byte)
      }
    }
    if !current.isEmpty { phrases.append(current) }
    return phrases
  }

  /// The phrases of an `@pmFromFile` data file, as libmodsecurity 3.0.9's `PmFromFile::init` reads it:
  /// one phrase per line (split on `\n`), skipping empty lines and lines whose first non-whitespace
  /// byte is `#`. Lines are otherwise kept byte for byte, leading spaces and a trailing `\r`
  /// included, because ModSecurity does not trim them.
  ///
  /// - Parameter contents: The whole file.
  /// - Returns: The phrases in file order.
  public static func phrases(fromFile contents: [UInt8]) -> [[UInt8]] {
    var phrases: [[UInt8]] = []
    var start = 0
    while start < contents.count {
      let end = contents[start...].firstIndex(of: 0x0A) ?? contents.count
      let line = contents[start..<end]
      start = end + 1
      if line.isEmpty { continue }
      if let firstNonSpace = line.firstIndex(where: { !ByteClass.isSpace($0) }), line[firstNonSpace] == 0x23 {
        continue
      }
      phrases.append(Array(line))
    }
    return phrases
  }

  /// libmodsecurity 3's `parse_pm_content`; `nil` where upstream reports an error (empty content,
  /// unsupported escape). The result may contain a NUL; the caller cuts there, as `strdup` does.
  static func parsePmContent(_ input: [UInt8]) -> [UInt8]? {
    var offset = 0
    while offset < input.count && (input[offset] == 0x20 || input[offset] == 0x09) { offset += 1 }
    var parm: [UInt8]
    if input.count - offset >= 2, input[offset] == 0x22, input[input.count - 1] == 0x22 {
      parm = Array(input[(offset + 1)..<(input.count - 1)])
    } else {
      parm = Array(input[offset...])
    }
    if let nul = parm.firstIndex(of: 0) { parm.removeSubrange(nul...) }
    if parm.isEmpty { return nil }
    var inBinary = false
    var escaped = false
    var pendingHex: [UInt8] = []
    var x = 0
    for i in 0..<parm.count {
      let c = parm[i]
      if c == 0x7C {
        inBinary.toggle()
      } else if !escaped && c == 0x5C {
        escaped = true
      } else if inBinary {
        let accepted = c <= 0x09 || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
        guard accepted else { continue }
        pendingHex.append(c)
        if pendingHex.count == 2 {
          parm[x] = strtolHexByte(pendingHex)
          x += 1
          pendingHex.removeAll(keepingCapacity: true)
        }
      } else if escaped {
        guard c == 0x3A || c == 0x3B || c == 0x5C || c == 0x22 else { return nil }
        parm[x] = c
        x += 1
        escaped = false
      } else {
        parm[x] = c
        x += 1
      }
    }
    return parm
  }

  /// `strtol(two_bytes, NULL, 16) & 0xFF` for the bytes `parse_pm_content` collects.
  private static func strtolHexByte(_ digits: [UInt8]) -> UInt8 {
    var index = 0
    var value = 0
    // The string ends at a NUL; leading whitespace (here only a tab can occur) is skipped.
    let end = digits.firstIndex(of: 0) ?? digits.count
    while index < end && ByteClass.isSpace(digits[index]) { index += 1 }
    while index < end && ByteClass.isHex(digits[index]) {
      value = value * 16 + ByteClass.hexValue(digits[index])
      index += 1
    }
    return UInt8(truncatingIfNeeded: value)
  }
}

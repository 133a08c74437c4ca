import FalconCapture
import FalconEvents
import Glibc
import PolicyCore

/// The recorded audit corpus in `shared/conformance/falcon/audit` (read in place, never copied):
/// `$RAMPART_SHARED/conformance/...` when set, else `<package>/../shared/conformance/...`.
enum AuditReplayCorpus {
  static let directory: String = {
    if let shared = getenv("RAMPART_SHARED").map({ String(cString: $0) }), !shared.isEmpty {
      return "\(shared)/conformance/falcon/audit"
    }
    // #filePath is <package>/Tests/FalconCaptureTests/AuditReplayCorpus.swift.
    var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    components.removeLast(4)
    return components.joined(separator: "/") + "/shared/conformance/falcon/audit"
  }()

  /// Whether the corpus is present (tests are skipped, with this path in the message, if not).
  static let isAvailable: Bool = access(directory + "/truth.json", R_OK) == 0

  static let names = AuditSyscallNames()

  static func file(_ name: String) throws -> SourceFile {
    try SourceFile.read(path: "\(directory)/\(name)")
  }

  /// Every assembled event of a log, paired with its decoded `Event`, and the decoder's report.
  static func decode(_ log: String, naming: AuditSyscallNaming? = nil) throws
    -> (pairs: [(audit: AuditEvent, event: Event)], decoder: AuditDecoder)
  {
    let naming = naming ?? names.naming
    let source = try file(log)
    var decoder = AuditDecoder(syscallName: naming)
    var audits: [AuditEvent] = []
    decoder.decodeEvents(log: source) { audits.append($0) }
    let converter = AuditEventConverter(syscallName: naming)
    return (audits.map { ($0, converter.event(from: $0)) }, decoder)
  }
}

/// Reading truth-file values.
extension Value {
  var int: Int? { numberValue?.intValue }
  var string: String? { stringValue }
  var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }
  var strings: [String]? { arrayValue?.compactMap(\.stringValue) }
}

/// Collects field mismatches of one truth section.
struct TruthCheck {
  let section: String
  private(set) var checked = 0
  private(set) var matched = 0
  private(set) var mismatches: [String] = []

  init(_ section: String) { self.section = section }

  /// Records one truth entry; `problems` lists its differing fields.
  mutating func record(serial: Int, _ problems: [String]) {
    checked += 1
    if problems.isEmpty {
      matched += 1
    } else if mismatches.count < 20 {
      mismatches.append("\(section) serial \(serial): " + problems.joined(separator: "; "))
    }
  }

  var summary: String { "\(section) \(matched)/\(checked)" }
}

/// Compares one value and describes a difference.
func differ<T: Equatable>(_ name: String, _ actual: T?, _ expected: T?) -> String? {
  actual == expected
    ? nil
    : "\(name): got \(actual.map { "\($0)" } ?? "nil"), want \(expected.map { "\($0)" } ?? "nil")"
}

internal import Foundation
internal import PolicyCore

/// Every JSON and JSON Lines document in the reference data, read by PolicyCore's parser and
/// checked three ways: it parses; printing and parsing again gives an equal value and the same
/// text (the printer is a fixed point); and the value equals what Foundation's
/// JSONSerialization reads from the same bytes (an independent parser as the oracle; numbers
/// compared exactly when both sides are integers, as doubles otherwise).
///
/// A JSON Lines file is one case that passes when every line does.
public struct JSONDocumentsSuite: ConformanceSuite {
  public init() {}
  public var name: String { "json-documents" }
  public var summary: String { "every JSON document in shared/conformance: parse, print round trip, Foundation oracle" }

  public var subpath: String { "" }
  public var aliases: [String] { ["json"] }

  public func run(directory: String) throws -> [CaseResult] {
    let root = URL(fileURLWithPath: directory)
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
      return []
    }
    var paths: [String] = []
    for case let url as URL in walker where url.pathExtension == "json" || url.pathExtension == "jsonl" {
      paths.append(url.path)
    }
    paths.sort()
    let prefix = root.path + "/"
    let limits = Limits(maxInputBytes: 256 << 20)
    return paths.map { path in
      let id = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
      do {
        let file = try SourceFile.read(path: path, limits: limits)
        if path.hasSuffix(".jsonl") {
          var start = 0
          var lineNumber = 0
          let bytes = file.bytes
          while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let line = Array(bytes[start..<end])
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }),
              let problem = check(line, name: "\(id):\(lineNumber)", limits: limits)
            {
              return CaseResult(id: id, passed: false, detail: problem)
            }
            start = end + 1
          }
          return CaseResult(id: id, passed: true)
        }
        if let problem = check(file.bytes, name: id, limits: limits) {
          return CaseResult(id: id, passed: false, detail: problem)
        }
        return CaseResult(id: id, passed: true)
      } catch {
        return CaseResult(id: id, passed: false, detail: "\(error)")
      }
    }
  }

  /// Returns a description of the first failed check, or nil when all hold.
  func check(_ bytes: [UInt8], name: String, limits: Limits) -> String? {
    let value: Value
    do {
      value = try JSON.parse(bytes, name: name, limits: limits)
    } catch {
      return "does not parse: \(error)"
    }
    let printed = JSONPrinter().bytes(value)
    guard let reparsed = try? JSON.parse(printed, limits: limits) else {
      return "\(name): printed form does not parse"
    }
    if reparsed != value { return "\(name): print/parse round trip changed the value" }
    if JSONPrinter().bytes(reparsed) != printed { return "\(name): printing is not a fixed point" }
    let foundation: Any
    do {
      foundation = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    } catch {
      return "\(name): Foundation rejects a document we accept: \(error)"
    }
    if let path = firstDifference(value, foundation, path: "$") {
      return "\(name): differs from Foundation at \(path)"
    }
    return nil
  }

  /// Compares our value with Foundation's reading; returns the JSON path of the first difference.
  func firstDifference(_ ours: Value, _ theirs: Any, path: String) -> String? {
    switch ours {
    case .null:
      return theirs is NSNull ? nil : path
    case .bool(let flag):
      guard let other = theirs as? Bool else { return path }
      return other == flag ? nil : path
    case .number(let number):
      guard let other = theirs as? NSNumber else { return path }
      if let exact = number.intValue, other.int64Value == Int64(exact), other.doubleValue == Double(exact) {
        return nil
      }
      let difference = (number.doubleValue - other.doubleValue).magnitude
      return difference <= 1e-9 * max(1, number.doubleValue.magnitude) ? nil : path
    case .string(let text):
      guard let other = theirs as? String else { return path }
      return Array(text.utf8) == Array(other.utf8) ? nil : path
    case .array(let elements):
      guard let other = theirs as? [Any], other.count == elements.count else { return path }
      for (index, element) in elements.enumerated() {
        if let difference = firstDifference(element, other[index], path: "\(path)[\(index)]") { return difference }
      }
      return nil
    case .object(let object):
      guard let other = theirs as? [String: Any], other.count == object.count else { return path }
      for entry in object {
        guard let key = entry.key.stringValue, let member = other[key] else { return "\(path) (keys)" }
        if let difference = firstDifference(entry.value, member, path: "\(path).\(key)") { return difference }
      }
      return nil
    case .set, .undefined:
      return path
    }
  }
}

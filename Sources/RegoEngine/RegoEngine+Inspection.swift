internal import PolicyCore

extension RegoPolicy {
  /// Data paths (`data.pkg.rule`) of the complete rules whose name starts with `prefix`, sorted:
  /// `policy test` runs the `test_` ones.
  public func rulePaths(namePrefix prefix: String) -> [String] {
    var result: [String] = []
    func visit(_ node: RuleNode) {
      if node.isRuleNode, !node.isFunction, case .string(let name)? = node.path.last, name.hasPrefix(prefix) {
        result.append(node.dottedPath)
      }
      for child in node.children.values { visit(child) }
    }
    visit(root)
    return result.sorted()
  }

  /// The packages the modules declare, as data paths (`data.kubernetes.admission`), sorted.
  public var packagePaths: [String] { packages.sorted() }
}

/// Entry points declared in METADATA comments (`# METADATA` blocks with `entrypoint: true`).
public enum RegoMetadata {
  /// Returns the data paths of rules or packages annotated as entry points in a module's text.
  ///
  /// A METADATA block is a run of `#` comment lines starting with `# METADATA`; it applies to the
  /// package or rule that follows it. Only the `entrypoint` key is read here.
  public static func entrypoints(in text: String) -> [String] {
    var result: [String] = []
    var packagePath: String? = nil
    var inBlock = false
    var blockIsEntrypoint = false
    var pending = false
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.trimmingCharacters(in: " \t\r")
      if line.hasPrefix("#") {
        let comment = line.dropFirst().trimmingCharacters(in: " \t")
        if comment == "METADATA" {
          inBlock = true
          blockIsEntrypoint = false
          continue
        }
        if inBlock, comment.replacingOccurrences(of: " ", with: "") == "entrypoint:true" {
          blockIsEntrypoint = true
        }
        continue
      }
      if inBlock {
        inBlock = false
        pending = blockIsEntrypoint
      }
      if line.isEmpty { continue }
      if line.hasPrefix("package ") {
        let name = line.dropFirst("package ".count).trimmingCharacters(in: " \t")
        packagePath = "data." + name
        if pending { result.append(packagePath ?? "") }
        pending = false
        continue
      }
      if pending, let packagePath {
        let name = line.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        if !name.isEmpty { result.append("\(packagePath).\(name)") }
      }
      pending = false
    }
    return result
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var scalars = Substring(self)
    while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
    while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
    return String(scalars)
  }

  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}

#if canImport(Glibc)
  internal import Glibc
#endif
public import PolicyCore

/// Loads policies and data from files and directories the way `opa eval -d` does.
///
/// `.rego` files become modules; `.json` files become data placed at the path of their folder
/// relative to the loaded root (`rules/inventory/data.json` under `-d rules` lands at
/// `data.inventory`); other files are ignored. Directories are walked recursively in name order.
public enum RegoLoader {
  public struct Loaded: Sendable {
    public var modules: [RegoModule] = []
    public var data: Value = .object(ValueObject())
    /// Entry points declared with METADATA `entrypoint: true`.
    public var entrypoints: [String] = []
  }

  public static func load(paths: [String], version: RegoVersion = .v1, limits: Limits = .default) throws(Diagnostic) -> Loaded {
    var loaded = Loaded()
    for path in paths {
      try load(path: path, relative: [], into: &loaded, version: version, limits: limits, isRoot: true)
    }
    return loaded
  }

  private static func load(path: String, relative: [String], into loaded: inout Loaded, version: RegoVersion, limits: Limits, isRoot: Bool) throws(Diagnostic) {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw Diagnostic(.ioError, "cannot read \(path): \(String(cString: strerror(errno)))")
    }
    if (status.st_mode & S_IFMT) == S_IFDIR {
      for name in try entries(of: path) where !name.hasPrefix(".") {
        try load(path: path.hasSuffix("/") ? path + name : "\(path)/\(name)", relative: relative + [name], into: &loaded, version: version, limits: limits, isRoot: false)
      }
      return
    }
    if path.hasSuffix(".rego") {
      let file = try SourceFile.read(path: path, limits: limits)
      let text = String(decoding: file.bytes, as: UTF8.self)
      loaded.modules.append(RegoModule(name: path, text: text, version: version))
      loaded.entrypoints.append(contentsOf: RegoMetadata.entrypoints(in: text))
    } else if path.hasSuffix(".json") {
      let value = try JSON.parse(try SourceFile.read(path: path, limits: limits), limits: limits)
      let folder = isRoot ? [] : Array(relative.dropLast())
      loaded.data = merge(loaded.data, at: folder[...], value)
    }
  }

  private static func entries(of directory: String) throws(Diagnostic) -> [String] {
    guard let handle = opendir(directory) else {
      throw Diagnostic(.ioError, "cannot read \(directory): \(String(cString: strerror(errno)))")
    }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// Merges `value` into `document` at `path`, objects recursively.
  static func merge(_ document: Value, at path: ArraySlice<String>, _ value: Value) -> Value {
    guard let first = path.first else {
      guard case .object(let left) = document, case .object(let right) = value else { return value }
      var result = left
      for entry in right {
        result.set(merge(left[entry.key] ?? .undefined, at: [], entry.value), forKey: entry.key)
      }
      return .object(result)
    }
    var object = document.objectValue ?? ValueObject()
    object.set(merge(object[first] ?? .undefined, at: path.dropFirst(), value), forKey: .string(first))
    return .object(object)
  }
}

import ArgumentParser
import FalconEngine
import FalconEvents
import PolicyCore

#if canImport(Glibc)
  import Glibc
#endif

/// `falcon validate RULES...`: loads rules files in order and prints their errors and warnings
/// with `file:line:col`, like `falco -V`; exits 1 when any file has errors.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check Falco rules files: print errors and warnings, exit non-zero on errors.")

  @Argument(help: "Rules files (or directories of .yaml files), loaded in order.")
  var rules: [String]

  func run() throws {
    let loaded = try RulesLoading.load(paths: rules)
    for message in loaded.result.errors { StandardStreams.writeError(message.description) }
    for message in loaded.result.warnings { StandardStreams.writeError(message.description) }
    if let engine = loaded.engine {
      for message in engine.warnings { StandardStreams.writeError(message.description) }
    }
    let errors = loaded.result.errors.count
    let warnings = loaded.result.warnings.count + (loaded.engine?.warnings.count ?? 0)
    let runnable = loaded.engine?.rules.count ?? 0
    let total = loaded.result.ruleset?.rules.count ?? 0
    StandardStreams.writeOutput(
      "\(rules.joined(separator: " ")): \(errors == 0 ? "Ok" : "Invalid"): \(total) rules, \(runnable) runnable, \(errors) errors, \(warnings) warnings\n")
    if errors > 0 { throw ExitCode(1) }
  }
}

/// Loading rules files the way every subcommand does: Falcon's field table with the host's
/// users, files (or the `.yaml` files of directories, sorted) in order, then the engine.
enum RulesLoading {
  struct Loaded {
    var result: LoadResult
    var engine: RuleEngine?
    var fields: FalconFieldTable
  }

  /// Expands directories into their `.yaml`/`.yml` files, sorted.
  static func expand(_ paths: [String]) -> [String] {
    var files: [String] = []
    for path in paths {
      var isDirectory = false
      if let directory = opendir(path) {
        isDirectory = true
        var names: [String] = []
        while let entry = readdir(directory) {
          let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
          }
          if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { names.append(name) }
        }
        closedir(directory)
        files += names.sorted().map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
      }
      if !isDirectory { files.append(path) }
    }
    return files
  }

  static func load(paths: [String], options: RuleEngine.Options = .init()) throws -> Loaded {
    let fields = FalconFieldTable(users: UserDirectory.read(), hostname: hostname())
    var files: [SourceFile] = []
    for path in expand(paths) {
      do {
        files.append(try SourceFile.read(path: path))
      } catch {
        StandardStreams.writeError(error.rendered())
        throw ExitCode(2)
      }
    }
    let result = RuleLoader.load(files, options: RuleLoaderOptions(fields: fields))
    let engine = result.ruleset.map { RuleEngine(ruleset: $0, fields: fields, options: options) }
    return Loaded(result: result, engine: result.errors.isEmpty ? engine : nil, fields: fields)
  }

  /// This machine's name, for `evt.hostname` and JSON alerts.
  static func hostname() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The stock rules files under the nearest `shared/conformance/falcon/rules` above the
  /// working directory (for `bench`).
  static func stockRules() -> [String]? {
    var directory = currentDirectory()
    for _ in 0..<6 {
      let candidate = directory + "/shared/conformance/falcon"
      if access(candidate + "/rules/falco_rules.yaml", R_OK) == 0 {
        return ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map { candidate + "/rules/" + $0 }
      }
      guard let slash = directory.lastIndex(of: "/"), directory != "/" else { break }
      directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
    }
    return nil
  }

  /// The shared audit logs (raw and enriched) next to the stock rules.
  static func sharedAuditLogs() -> [String] {
    guard let rules = stockRules(), let first = rules.first else { return [] }
    let base = String(first.dropLast("/rules/falco_rules.yaml".count))
    return [base + "/audit/raw.log", base + "/audit/enriched.log"]
  }

  static func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

public import PolicyCore

/// How rules are loaded: what fields and sources exist and which engine version rules see.
public struct RuleLoaderOptions: Sendable {
  /// The fields and event types conditions may use (default: check nothing).
  public var fields: any FieldTable
  /// Event sources rules may name; a rule with another source is skipped with a warning.
  public var sources: Set<String>
  /// The version `required_engine_version` is checked against.
  public var engineVersion: SemanticVersion
  /// How deep a condition may nest while parsing; Falco's rule loader allows 1000.
  public var conditionMaxDepth: Int
  /// Input size and YAML nesting limits.
  public var limits: Limits

  /// The engine version Falcon reports: the one Falco's current stock rules require.
  public static let engineVersion = SemanticVersion(0, 57, 0)

  /// Creates options; every argument has a default.
  public init(
    fields: any FieldTable = PermissiveFieldTable(), sources: Set<String> = ["syscall"],
    engineVersion: SemanticVersion = RuleLoaderOptions.engineVersion, conditionMaxDepth: Int = 1000, limits: Limits = .default
  ) {
    self.fields = fields
    self.sources = sources
    self.engineVersion = engineVersion
    self.conditionMaxDepth = conditionMaxDepth
    self.limits = limits
  }
}

/// Loads Falco rules files: reads their YAML items, merges definitions, appends and overrides
/// across files, and compiles conditions with macros and lists resolved, giving Falco's errors
/// and warnings.
///
///     var loader = RuleLoader()
///     let result = loader.load(SourceFile(name: "rules.yaml", text: yaml))
///     if result.successful, let rule = result.ruleset?.rule(named: "Terminal shell in container") {
///       print(rule.compiledCondition)
///     }
///     for warning in result.warnings { print(warning) }   // rules.yaml:12:3: falcon_load_warning: ...
///
/// Like Falco's engine, a loader keeps what it has read: each `load` adds one file and compiles
/// everything loaded so far, so a file may append to or override items of earlier files, and
/// must not use items of later ones.
public struct RuleLoader: Sendable {
  /// The options the loader was created with.
  public let options: RuleLoaderOptions
  private var collector: RuleCollector

  /// Creates an empty loader.
  public init(options: RuleLoaderOptions = RuleLoaderOptions()) {
    self.options = options
    self.collector = RuleCollector(fields: options.fields, sources: options.sources, engineVersion: options.engineVersion)
  }

  /// Reads `file` into the loader and compiles everything loaded so far.
  ///
  /// - Returns: the file's errors and warnings, and on success the compiled rule set. After an
  ///   error the loader's state is the one Falco's would have: items read before the error stay.
  public mutating func load(_ file: SourceFile) -> LoadResult {
    var result = LoadResult()
    do {
      try options.limits.checkInputSize(file.bytes.count, name: file.name)
    } catch {
      result.add(error: .fileRead, error.message, LoadContext(span: SourceSpan(file: file, start: 0)))
      return result
    }
    let reader = RuleReader(file: file, limits: options.limits)
    guard reader.read(into: &collector, result: &result) else { return result }
    let compiler = RuleCompiler(fields: options.fields, conditionMaxDepth: options.conditionMaxDepth)
    result.ruleset = compiler.compile(collector, result: &result)
    return result
  }

  /// Reads and compiles `content` as a file named `name`.
  public mutating func load(name: String, content: String) -> LoadResult {
    load(SourceFile(name: name, text: content))
  }

  /// Loads `files` in order into a new loader, stopping at the first file with an error.
  ///
  /// The result has every file's read warnings, the compile warnings of the last compilation
  /// only (earlier ones would report macros that later files use as unused), and the rule set
  /// of the last file loaded.
  public static func load(_ files: [SourceFile], options: RuleLoaderOptions = RuleLoaderOptions()) -> LoadResult {
    var loader = RuleLoader(options: options)
    var combined = LoadResult()
    for (position, file) in files.enumerated() {
      let before = loader.collector
      var result = loader.load(file)
      if position < files.count - 1, result.successful {
        // Keep this file's read warnings; its compile warnings are superseded by the next load.
        var readOnly = LoadResult()
        var replay = before
        _ = RuleReader(file: file, limits: options.limits).read(into: &replay, result: &readOnly)
        result.warnings = readOnly.warnings
      }
      combined.warnings += result.warnings
      combined.errors += result.errors
      combined.ruleset = result.ruleset
      if !result.successful { break }
    }
    return combined
  }
}

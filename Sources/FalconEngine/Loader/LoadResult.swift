public import PolicyCore

/// What went wrong while loading rules: Falco's `falco::load_result::error_code`.
///
/// The raw values are Falco's names (`LOAD_ERR_YAML_VALIDATE`), so messages read like Falco's and
/// scripts written for `falco --validate` output keep working.
public struct LoadErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// Falco's name of the code.
  public var rawValue: String
  /// Creates a code from Falco's name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// The file could not be read.
  public static let fileRead = Self(rawValue: "LOAD_ERR_FILE_READ")
  /// The content is not valid YAML.
  public static let yamlParse = Self(rawValue: "LOAD_ERR_YAML_PARSE")
  /// The YAML has the wrong structure (a missing key, a value of the wrong type, ...).
  public static let yamlValidate = Self(rawValue: "LOAD_ERR_YAML_VALIDATE")
  /// A condition does not parse or compile.
  public static let compileCondition = Self(rawValue: "LOAD_ERR_COMPILE_CONDITION")
  /// An output format does not compile.
  public static let compileOutput = Self(rawValue: "LOAD_ERR_COMPILE_OUTPUT")
  /// An item is inconsistent (an undefined macro, an append without a definition, ...).
  public static let validate = Self(rawValue: "LOAD_ERR_VALIDATE")

  /// Falco's one-line summary of the code.
  public var summary: String {
    switch self {
    case .fileRead: return "File read error"
    case .yamlParse: return "YAML parse error"
    case .yamlValidate: return "Error validating internal structure of YAML file"
    case .compileCondition: return "Error compiling condition"
    case .compileOutput: return "Error compiling output"
    case .validate: return "Error validating rule/macro/list/exception objects"
    default: return rawValue
    }
  }

  public var description: String { rawValue }
}

/// Why a loaded rule set deserves attention: Falco's `falco::load_result::warning_code`.
public struct LoadWarningCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// Falco's name of the code.
  public var rawValue: String
  /// Creates a code from Falco's name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// A rule names an event source that is not loaded; it is skipped.
  public static let unknownSource = Self(rawValue: "LOAD_UNKNOWN_SOURCE")
  /// A `ka.*`/`jevt.*` field is compared with `<NA>`.
  public static let unsafeNACheck = Self(rawValue: "LOAD_UNSAFE_NA_CHECK")
  /// A rule can match too many event types (more than 100 event codes).
  public static let noEventType = Self(rawValue: "LOAD_NO_EVTTYPE")
  /// A field is unknown in a rule with `skip-if-unknown-filter`; the rule is skipped.
  public static let unknownFilter = Self(rawValue: "LOAD_UNKNOWN_FILTER")
  /// A macro nothing refers to.
  public static let unusedMacro = Self(rawValue: "LOAD_UNUSED_MACRO")
  /// A list nothing refers to.
  public static let unusedList = Self(rawValue: "LOAD_UNUSED_LIST")
  /// A top-level item that is not a rule, macro, list or requirement.
  public static let unknownItem = Self(rawValue: "LOAD_UNKNOWN_ITEM")
  /// A deprecated key, field or output token.
  public static let deprecatedItem = Self(rawValue: "LOAD_DEPRECATED_ITEM")
  /// An exception appended or overridden without values.
  public static let appendNoValues = Self(rawValue: "LOAD_APPEND_NO_VALUES")
  /// Two exceptions of a rule share a name.
  public static let exceptionNameNotUnique = Self(rawValue: "LOAD_EXCEPTION_NAME_NOT_UNIQUE")
  /// A macro name that is not an identifier.
  public static let invalidMacroName = Self(rawValue: "LOAD_INVALID_MACRO_NAME")
  /// A list name that is not a bare string.
  public static let invalidListName = Self(rawValue: "LOAD_INVALID_LIST_NAME")
  /// A condition compiled with a warning (a constant that looks like a field).
  public static let compileCondition = Self(rawValue: "LOAD_COMPILE_CONDITION")
  /// A key the item type does not have; it is ignored.
  public static let unknownKey = Self(rawValue: "LOAD_UNKNOWN_KEY")

  public var description: String { rawValue }
}

/// One error or warning of a load, with where it happened.
public struct LoadMessage: Sendable, Hashable, CustomStringConvertible {
  /// `LOAD_ERR_...` for errors, `LOAD_...` for warnings.
  public var code: String
  /// Falco's message text.
  public var message: String
  /// The place in the rules file (the item, key or value concerned).
  public var span: SourceSpan?
  /// Context from outer to inner: `in rule 'Write below etc'`, `in condition at index 4, ...`.
  public var notes: [String]

  /// Creates a message.
  public init(code: String, message: String, span: SourceSpan?, notes: [String] = []) {
    self.code = code
    self.message = message
    self.span = span
    self.notes = notes
  }

  /// As a diagnostic: code `falcon_load_error` or `falcon_load_warning`, the message prefixed
  /// with Falco's code (`LOAD_ERR_VALIDATE: Undefined macro 'x' used in filter.`).
  public var diagnostic: Diagnostic {
    let kind: Diagnostic.Code = code.hasPrefix("LOAD_ERR") ? .falconLoadError : .falconLoadWarning
    return Diagnostic(kind, "\(code): \(message)", span: span, notes: notes)
  }

  /// `file:line:col: falcon_load_error: LOAD_ERR_...: message`.
  public var description: String { diagnostic.description }
}

extension Diagnostic.Code {
  /// A rules file is not valid YAML.
  public static let falconYAMLSyntax = Self("falcon_yaml_syntax")
  /// Rules failed to load (Falco's `LOAD_ERR_*`).
  public static let falconLoadError = Self("falcon_load_error")
  /// Rules loaded with a warning (Falco's `LOAD_*` warning codes).
  public static let falconLoadWarning = Self("falcon_load_warning")
}

/// The outcome of loading rules files: success, errors and warnings in the order Falco reports
/// them, and the compiled rule set when loading succeeded.
public struct LoadResult: Sendable {
  /// Errors; loading succeeded when there are none.
  public internal(set) var errors: [LoadMessage] = []
  /// Warnings (loading can succeed with warnings).
  public internal(set) var warnings: [LoadMessage] = []
  /// The rules, macros and lists compiled from everything loaded so far; nil after an error.
  public internal(set) var ruleset: CompiledRuleset?

  /// True when no error occurred.
  public var successful: Bool { errors.isEmpty }

  mutating func add(error code: LoadErrorCode, _ message: String, _ context: LoadContext) {
    errors.append(LoadMessage(code: code.rawValue, message: message, span: context.span, notes: context.notes))
  }

  mutating func add(warning code: LoadWarningCode, _ message: String, _ context: LoadContext) {
    warnings.append(LoadMessage(code: code.rawValue, message: message, span: context.span, notes: context.notes))
  }

  mutating func add(_ failure: LoadFailure) {
    errors.append(LoadMessage(code: failure.code.rawValue, message: failure.message, span: failure.context.span, notes: failure.context.notes))
  }
}

/// Where a loaded item or value is: a span and the chain of enclosing items.
struct LoadContext: Sendable {
  var span: SourceSpan?
  var notes: [String]

  init(span: SourceSpan?, notes: [String] = []) {
    self.span = span
    self.notes = notes
  }

  /// A context for a node of `file`, inside this one.
  func at(_ node: YAMLNode, in file: SourceFile, note: String? = nil) -> LoadContext {
    LoadContext(span: SourceSpan(file: file, start: node.offset), notes: notes + (note.map { [$0] } ?? []))
  }

  /// This context with one more note.
  func noting(_ note: String) -> LoadContext {
    LoadContext(span: span, notes: notes + [note])
  }
}

/// An error that stops loading (Falco's `rule_load_exception`).
struct LoadFailure: Error {
  var code: LoadErrorCode
  var message: String
  var context: LoadContext

  init(_ code: LoadErrorCode, _ message: String, _ context: LoadContext) {
    self.code = code
    self.message = message
    self.context = context
  }
}

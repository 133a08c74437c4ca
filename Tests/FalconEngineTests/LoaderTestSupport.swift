import FalconEngine
import PolicyCore

/// Loads one rules text with a fresh loader.
func loadRules(_ yaml: String, options: RuleLoaderOptions = RuleLoaderOptions()) -> LoadResult {
  var loader = RuleLoader(options: options)
  return loader.load(name: "rules.yaml", content: yaml)
}

/// The compiled condition of `rule`, or the errors when there is none.
func compiled(_ yaml: String, rule: String = "r", options: RuleLoaderOptions = RuleLoaderOptions()) -> String {
  let result = loadRules(yaml, options: options)
  guard let condition = result.ruleset?.rule(named: rule)?.compiledCondition else {
    return "errors: " + result.errors.map(\.message).joined(separator: "; ")
  }
  return condition
}

/// A rule named `r` with `condition` and any extra YAML lines.
func rule(_ condition: String, name: String = "r", extra: String = "") -> String {
  """
  - rule: \(name)
    desc: d
    condition: \(condition)
    output: o
    priority: INFO
  \(extra)
  """
}

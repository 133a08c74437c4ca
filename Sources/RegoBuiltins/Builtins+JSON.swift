internal import PolicyCore

// The `json.*` family, after OPA's topdown/encoding.go (marshal, unmarshal, is_valid) and
// topdown/json.go (filter, remove, patch).
//
// Rego values are wider than JSON: sets become arrays, and object keys that are not strings
// become their compact JSON text, as OPA's `ast.JSON` does before handing the value to Go's
// encoding/json. That conversion can merge keys (`1` and `"1"`); as in OPA the later key in
// value order wins. Output escapes `<`, `>`, `&`, U+2028 and U+2029 like Go's json.Marshal.

extension BuiltinRegistry {
  /// Adds the json family. Keep entries sorted by name.
  mutating func registerJSON() {
    /// `json.filter(object, paths)`: only the parts of `object` selected by `paths`.
    ///
    /// Each path is a string such as `"a/b/0"` (JSON-pointer escapes `~0` and `~1` apply) or an
    /// array of segments such as `["a", "b", 0]`. A path that is a prefix of another keeps the
    /// whole subtree. Array elements are selected by string segments (`"0"`), as in OPA.
    ///
    ///     json.filter({"a": {"b": 1, "c": 2}, "d": 3}, ["a/b"])  # {"a": {"b": 1}}
    add("json.filter", arity: 2, category: "json") { args, _ throws(BuiltinError) in
      let object = try args.object(0)
      let trie = JSONPathTrie(paths: try jsonPathsOperand(args, 1))
      return filter(.object(object), by: trie)
    }

    /// `json.is_valid(text)`: whether `text` is one valid JSON document. Non-strings give false.
    ///
    ///     json.is_valid(`{"a": 1}`)  # true
    add("json.is_valid", arity: 1, category: "json") { args, context throws(BuiltinError) in
      guard case .string(let text) = args[0] else { return .bool(false) }
      do throws(Diagnostic) {
        _ = try JSON.parse(text, limits: context.limits)
        return .bool(true)
      } catch {
        return .bool(false)
      }
    }

    /// `json.marshal(value)`: the compact JSON text of `value` (sets as sorted arrays, object
    /// keys sorted).
    ///
    ///     json.marshal({"b": {1, 2}, "a": "x"})  # `{"a":"x","b":[1,2]}`
    add("json.marshal", arity: 1, category: "json") { args, _ throws(BuiltinError) in
      .string(compactJSON(jsonCompatible(args[0])))
    }

    /// `json.marshal_with_options(value, options)`: the JSON text of `value`, optionally indented.
    ///
    /// Options (all optional): `pretty` (boolean), `indent` (string, default a tab) and `prefix`
    /// (string written before every line). Giving `indent` or `prefix` implies `pretty: true`
    /// unless `pretty` is given explicitly. Unknown keys are operand errors.
    ///
    ///     json.marshal_with_options({"a": 1}, {"indent": "  "})  # "{\n  \"a\": 1\n}"
    add("json.marshal_with_options", arity: 2, category: "json") { args, _ throws(BuiltinError) in
      let value = jsonCompatible(args[0])
      let options = try args.object(1)
      var indent = "\t"
      var prefix = ""
      var implicitPretty = false
      var explicitPretty: Bool? = nil
      for (position, entry) in options.enumerated() {
        guard case .string(let key) = entry.key else {
          throw BuiltinError(
            .type,
            "operand 2 failed to stringify key \(regoText(entry.key)) at index \(position): "
              + "operand \(position) must be string but got \(entry.key.typeName)")
        }
        switch key {
        case "prefix", "indent":
          guard case .string(let text) = entry.value else {
            throw BuiltinError(
              .type,
              "operand 2 key \(key) failed cast to string: operand \(position) must be string but got "
                + entry.value.typeName)
          }
          if key == "prefix" { prefix = text } else { indent = text }
          implicitPretty = true
        case "pretty":
          guard case .bool(let flag) = entry.value else {
            throw BuiltinError(.type, "operand 2 key pretty failed cast to bool")
          }
          explicitPretty = flag
        default:
          throw BuiltinError(.type, "operand 2 object contained unknown key \(key)")
        }
      }
      guard explicitPretty ?? implicitPretty else { return .string(compactJSON(value)) }
      var out = prefix
      writeIndentedJSON(value, depth: 0, prefix: prefix, indent: indent, into: &out)
      return .string(out)
    }

    /// `json.patch(value, operations)`: `value` after applying RFC 6902 JSON Patch operations.
    ///
    /// Supports `add`, `remove`, `replace`, `move`, `copy` and `test`. Paths are strings
    /// (`"/a/0"`) or arrays of segments; `-` appends to an array. Sets are patched by element:
    /// adding to a set needs the last path segment to equal the value. Any failing operation
    /// makes the result undefined, as in OPA.
    ///
    ///     json.patch({"a": [1]}, [{"op": "add", "path": "/a/-", "value": 2}])  # {"a": [1, 2]}
    add("json.patch", arity: 2, category: "json") { args, _ throws(BuiltinError) in
      let operations = try args.array(1)
      do throws(JSONPatchFailure) {
        var document: Value? = args[0]
        for operation in operations {
          try applyPatchOperation(operation, to: &document)
        }
        return document ?? .undefined
      } catch {
        return .undefined
      }
    }

    /// `json.remove(object, paths)`: `object` without the parts selected by `paths`.
    ///
    /// Paths are written as for `json.filter`; removing an array element closes the gap.
    ///
    ///     json.remove({"a": {"b": 1, "c": 2}}, ["a/b"])  # {"a": {"c": 2}}
    add("json.remove", arity: 2, category: "json") { args, _ throws(BuiltinError) in
      let object = try args.object(0)
      let trie = JSONPathTrie(paths: try jsonPathsOperand(args, 1))
      return remove(.object(object), by: trie) ?? .object(ValueObject())
    }

    /// `json.unmarshal(text)`: the value of the JSON document `text`, numbers kept exactly.
    ///
    ///     json.unmarshal(`{"a": [1, 2.50]}`)  # {"a": [1, 2.50]}
    add("json.unmarshal", arity: 1, category: "json") { args, context throws(BuiltinError) in
      let text = try args.string(0)
      do throws(Diagnostic) {
        return try JSON.parse(text, limits: context.limits)
      } catch {
        throw .failure(error.message)
      }
    }
  }
}

// MARK: - Conversion to JSON

/// `value` with sets turned into arrays and non-string object keys into their JSON text, the
/// shape Go's encoding/json sees in OPA.
private func jsonCompatible(_ value: Value) -> Value {
  switch value {
  case .array(let elements):
    return .array(elements.map(jsonCompatible))
  case .set(let set):
    return .array(set.map(jsonCompatible))
  case .object(let object):
    var entries: [ValueObject.Entry] = []
    entries.reserveCapacity(object.count)
    var keysChanged = false
    for entry in object {
      var key = entry.key
      if case .string = key {
      } else {
        key = .string(compactJSON(jsonCompatible(key)))
        keysChanged = true
      }
      entries.append(ValueObject.Entry(key: key, value: jsonCompatible(entry.value)))
    }
    // Converted keys may now sort differently or collide: let the initializer re-sort them,
    // keeping the last of equal keys as Go's map assignment in OPA's iteration order does.
    return .object(keysChanged ? ValueObject(entries) : ValueObject(sortedUniqueEntries: entries))
  default:
    return value
  }
}

/// Compact JSON with Go's HTML escaping; `value` must already be JSON-compatible.
private func compactJSON(_ value: Value) -> String {
  JSONPrinter(options: JSONPrinter.Options(indent: 0, escapeHTML: true)).string(value)
}

/// Go's `json.MarshalIndent` layout: every element on its own line starting with `prefix` and
/// `depth` copies of `indent`, `": "` after keys, empty containers kept as `[]` and `{}`.
private func writeIndentedJSON(
  _ value: Value, depth: Int, prefix: String, indent: String, into out: inout String
) {
  func newline(_ level: Int) {
    out += "\n"
    out += prefix
    for _ in 0..<level { out += indent }
  }
  switch value {
  case .array(let elements) where !elements.isEmpty:
    out += "["
    for (position, element) in elements.enumerated() {
      if position > 0 { out += "," }
      newline(depth + 1)
      writeIndentedJSON(element, depth: depth + 1, prefix: prefix, indent: indent, into: &out)
    }
    newline(depth)
    out += "]"
  case .object(let object) where !object.isEmpty:
    out += "{"
    for (position, entry) in object.enumerated() {
      if position > 0 { out += "," }
      newline(depth + 1)
      out += compactJSON(entry.key)
      out += ": "
      writeIndentedJSON(entry.value, depth: depth + 1, prefix: prefix, indent: indent, into: &out)
    }
    newline(depth)
    out += "}"
  default:
    out += compactJSON(value)
  }
}

/// A Rego-ish rendering of a value for error messages (OPA prints terms with `%v`).
private func regoText(_ value: Value) -> String {
  switch value {
  case .set(let set):
    return set.isEmpty ? "set()" : "{" + set.map(regoText).joined(separator: ", ") + "}"
  case .array(let elements):
    return "[" + elements.map(regoText).joined(separator: ", ") + "]"
  case .object(let object):
    return "{" + object.map { regoText($0.key) + ": " + regoText($0.value) }.joined(separator: ", ") + "}"
  default:
    return value.json
  }
}

// MARK: - Paths (json.filter, json.remove, json.patch)

/// Splits one path operand element as OPA's `parsePath` does: a string is `/`-separated with
/// leading slashes dropped and `~1`, `~0` unescaped (the empty string is the empty path); an
/// array is used segment by segment. Other values give nil.
private func pathSegments(_ path: Value) -> [Value]? {
  switch path {
  case .string(let text):
    if text.isEmpty { return [] }
    let trimmed = text.drop(while: { $0 == "/" })
    return trimmed.split(separator: "/", omittingEmptySubsequences: false).map { part in
      .string(String(part).replacing("~1", with: "/").replacing("~0", with: "~"))
    }
  case .array(let segments):
    return segments
  default:
    return nil
  }
}

/// The paths operand of `json.filter` and `json.remove`: a set or array of paths.
private func jsonPathsOperand(_ args: BuiltinArguments, _ index: Int) throws(BuiltinError) -> [[Value]] {
  let elements: [Value]
  switch args[index] {
  case .array(let array): elements = array
  case .set(let set): elements = set.sortedElements
  default:
    throw BuiltinError(.type, "operand \(index + 1) must be one of {set, array} but got \(args[index].typeName)")
  }
  var paths: [[Value]] = []
  paths.reserveCapacity(elements.count)
  for element in elements {
    guard let segments = pathSegments(element) else {
      throw BuiltinError(
        .type,
        "operand \(index + 1) must be one of {set, array} containing string paths or array of path "
          + "segments but got \(element.typeName)")
    }
    paths.append(segments)
  }
  return paths
}

/// The selected paths as a tree, as OPA's `pathsToObject` builds it: a leaf selects the whole
/// subtree below it, so a shorter path wins over longer ones sharing its prefix, and empty paths
/// select nothing.
private final class JSONPathTrie {
  var children: [Value: JSONPathTrie] = [:]
  var isLeaf = false

  init() {}

  convenience init(paths: [[Value]]) {
    self.init()
    for path in paths where !path.isEmpty {
      var node = self
      var coveredByLeaf = false
      for segment in path.dropLast() {
        if let existing = node.children[segment] {
          if existing.isLeaf {
            coveredByLeaf = true
            break
          }
          node = existing
        } else {
          let created = JSONPathTrie()
          node.children[segment] = created
          node = created
        }
      }
      if !coveredByLeaf, let last = path.last {
        let leaf = JSONPathTrie()
        leaf.isLeaf = true
        node.children[last] = leaf
      }
    }
  }
}

/// OPA's `filterObject`: keeps the selected parts; array elements are keyed by their decimal
/// index as a string.
private func filter(_ value: Value, by node: JSONPathTrie) -> Value {
  if node.isLeaf { return value }
  switch value {
  case .object(let object):
    var entries: [ValueObject.Entry] = []
    for entry in object {
      if let child = node.children[entry.key] {
        entries.append(ValueObject.Entry(key: entry.key, value: filter(entry.value, by: child)))
      }
    }
    return .object(ValueObject(sortedUniqueEntries: entries))
  case .array(let elements):
    var kept: [Value] = []
    for (index, element) in elements.enumerated() {
      if let child = node.children[.string(String(index))] {
        kept.append(filter(element, by: child))
      }
    }
    return .array(kept)
  case .set(let set):
    var kept: [Value] = []
    for element in set {
      if let child = node.children[element] {
        kept.append(filter(element, by: child))
      }
    }
    return .set(ValueSet(kept))
  default:
    return value
  }
}

/// OPA's `jsonRemove`: nil when the whole value is removed.
private func remove(_ value: Value, by node: JSONPathTrie?) -> Value? {
  guard let node else { return value }
  if node.isLeaf { return nil }
  switch value {
  case .object(let object):
    var entries: [ValueObject.Entry] = []
    for entry in object {
      if let kept = remove(entry.value, by: node.children[entry.key]) {
        entries.append(ValueObject.Entry(key: entry.key, value: kept))
      }
    }
    return .object(ValueObject(sortedUniqueEntries: entries))
  case .array(let elements):
    var kept: [Value] = []
    for (index, element) in elements.enumerated() {
      if let survivor = remove(element, by: node.children[.string(String(index))]) {
        kept.append(survivor)
      }
    }
    return .array(kept)
  case .set(let set):
    var kept: [Value] = []
    for element in set {
      if let survivor = remove(element, by: node.children[element]) {
        kept.append(survivor)
      }
    }
    return .set(ValueSet(kept))
  default:
    return value
  }
}

// MARK: - JSON Patch

/// Any failed patch operation; `json.patch` is then undefined.
private struct JSONPatchFailure: Error {}

/// Applies one operation object; `document` nil means the root was removed.
private func applyPatchOperation(_ operation: Value, to document: inout Value?) throws(JSONPatchFailure) {
  guard case .object(let fields) = operation,
    case .string(let op)? = fields["op"],
    let pathValue = fields["path"],
    let path = pathSegments(pathValue)
  else { throw JSONPatchFailure() }
  switch op {
  case "add":
    guard let value = fields["value"] else { throw JSONPatchFailure() }
    try patchInsert(value, at: path, in: &document)
  case "remove":
    try patchDelete(at: path, in: &document)
  case "replace":
    guard let value = fields["value"] else { throw JSONPatchFailure() }
    try patchDelete(at: path, in: &document)
    try patchInsert(value, at: path, in: &document)
  case "move", "copy":
    guard let fromValue = fields["from"], let from = pathSegments(fromValue) else { throw JSONPatchFailure() }
    let chunk = try patchRender(at: from, in: document)
    if op == "move" { try patchDelete(at: from, in: &document) }
    try patchInsert(chunk, at: path, in: &document)
  case "test":
    guard let value = fields["value"] else { throw JSONPatchFailure() }
    guard try patchRender(at: path, in: document) == value else { throw JSONPatchFailure() }
  default:
    throw JSONPatchFailure()
  }
}

/// An array index from a path segment: an integral number, a decimal string without leading
/// zeros, or `-` for the end of the array (OPA's edittree `toIndex`).
private func patchIndex(_ segment: Value, count: Int) -> Int? {
  switch segment {
  case .number(let number):
    guard !number.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
    return number.intValue
  case .string(let text):
    if text == "-" { return count }
    guard let index = Int(text) else { return nil }
    if text != "0" && text.hasPrefix("0") { return nil }
    return index
  default:
    return nil
  }
}

/// The child a path segment selects, or nil when it does not exist.
private func patchChild(of container: Value, at segment: Value) -> Value? {
  switch container {
  case .object(let object):
    return object[segment]
  case .set(let set):
    return set.contains(segment) ? segment : nil
  case .array(let elements):
    guard let index = patchIndex(segment, count: elements.count), index >= 0, index < elements.count
    else { return nil }
    return elements[index]
  default:
    return nil
  }
}

/// `container` with the child at `segment` (which exists) replaced by `newChild`.
private func patchReplacingChild(of container: Value, at segment: Value, with newChild: Value) -> Value {
  switch container {
  case .object(var object):
    object.set(newChild, forKey: segment)
    return .object(object)
  case .set(var set):
    set.remove(segment)
    set.insert(newChild)
    return .set(set)
  case .array(var elements):
    if let index = patchIndex(segment, count: elements.count), index >= 0, index < elements.count {
      elements[index] = newChild
    }
    return .array(elements)
  default:
    return container
  }
}

/// Applies `edit` to the value at `path` (which must exist) and rebuilds the containers above.
private func patchModify(
  _ value: Value, along path: ArraySlice<Value>, _ edit: (Value) throws(JSONPatchFailure) -> Value
) throws(JSONPatchFailure) -> Value {
  guard let segment = path.first else { return try edit(value) }
  guard let child = patchChild(of: value, at: segment) else { throw JSONPatchFailure() }
  let updated = try patchModify(child, along: path.dropFirst(), edit)
  return patchReplacingChild(of: value, at: segment, with: updated)
}

private func patchInsert(_ value: Value, at path: [Value], in document: inout Value?) throws(JSONPatchFailure) {
  guard let key = path.last else {
    document = value
    return
  }
  guard let root = document else { throw JSONPatchFailure() }
  document = try patchModify(root, along: path.dropLast()) { container throws(JSONPatchFailure) in
    switch container {
    case .object(var object):
      object.set(value, forKey: key)
      return .object(object)
    case .set(var set):
      guard key == value else { throw JSONPatchFailure() }
      set.insert(value)
      return .set(set)
    case .array(var elements):
      guard let index = patchIndex(key, count: elements.count), index >= 0, index <= elements.count
      else { throw JSONPatchFailure() }
      elements.insert(value, at: index)
      return .array(elements)
    default:
      throw JSONPatchFailure()
    }
  }
}

private func patchDelete(at path: [Value], in document: inout Value?) throws(JSONPatchFailure) {
  guard let root = document else { throw JSONPatchFailure() }
  guard let key = path.last else {
    document = nil
    return
  }
  document = try patchModify(root, along: path.dropLast()) { container throws(JSONPatchFailure) in
    switch container {
    case .object(var object):
      guard object.remove(key: key) != nil else { throw JSONPatchFailure() }
      return .object(object)
    case .set(var set):
      guard set.remove(key) else { throw JSONPatchFailure() }
      return .set(set)
    case .array(var elements):
      guard let index = patchIndex(key, count: elements.count), index >= 0, index < elements.count
      else { throw JSONPatchFailure() }
      elements.remove(at: index)
      return .array(elements)
    default:
      throw JSONPatchFailure()
    }
  }
}

private func patchRender(at path: [Value], in document: Value?) throws(JSONPatchFailure) -> Value {
  guard var current = document else { throw JSONPatchFailure() }
  for segment in path {
    guard let next = patchChild(of: current, at: segment) else { throw JSONPatchFailure() }
    current = next
  }
  return current
}

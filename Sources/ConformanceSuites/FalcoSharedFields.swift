internal import FalconEngine
internal import PolicyCore

/// libsinsp's field table and event table as `shared/conformance/falcon/fields` records them,
/// read at run time into a `StaticFieldTable` so the Falco suites can check unknown fields
/// without a copy of the table in the repository.
enum FalcoSharedFields {
  /// The table from `<falcon>/fields`: libsinsp's fields, the container plugin's fields, and the
  /// number of event codes of each event type.
  static func table(falconDirectory: String, adding extra: [FieldDescriptor] = []) throws -> StaticFieldTable {
    let (fields, counts) = try contents(falconDirectory: falconDirectory)
    return StaticFieldTable(fields: fields + extra, eventCodeCounts: counts)
  }

  /// The field descriptors and event code counts of `<falcon>/fields`.
  static func contents(falconDirectory: String) throws -> ([FieldDescriptor], [String: Int]) {
    let limits = Limits(maxInputBytes: 16 << 20)
    var fields: [FieldDescriptor] = []
    let sinsp = try JSON.parse(try SourceFile.read(path: "\(falconDirectory)/fields/libsinsp_fields.json", limits: limits))
    for entry in sinsp.arrayValue ?? [] {
      guard let name = entry["name"].stringValue, name.contains(".") else { continue }
      let flags = Set((entry["flags"].arrayValue ?? []).compactMap(\.stringValue))
      var descriptorFlags: FieldDescriptor.Flags = []
      if flags.contains("EPF_ARG_REQUIRED") { descriptorFlags.insert(.argumentRequired) }
      if flags.contains("EPF_ARG_ALLOWED") { descriptorFlags.insert(.argumentAllowed) }
      if flags.contains("EPF_DEPRECATED") { descriptorFlags.insert(.deprecated) }
      if flags.contains("EPF_IS_LIST") { descriptorFlags.insert(.isList) }
      if flags.contains("EPF_NO_RHS") { descriptorFlags.insert(.noRightHandSide) }
      if flags.contains("EPF_NO_TRANSFORMER") { descriptorFlags.insert(.noTransformer) }
      fields.append(FieldDescriptor(name: name, type: entry["type"].stringValue ?? "", flags: descriptorFlags))
    }
    let plugin = try JSON.parse(try SourceFile.read(path: "\(falconDirectory)/fields/container_plugin_fields.json", limits: limits))
    for entry in plugin.objectValue ?? ValueObject() {
      guard case .string(let name) = entry.key else { continue }
      let type = entry.value[0].stringValue ?? ""
      let flagText = entry.value[1].stringValue ?? ""
      var descriptorFlags: FieldDescriptor.Flags = []
      if flagText.contains("Required") { descriptorFlags.insert(.argumentRequired) }
      if flagText.contains("Index") || flagText.contains("Key") { descriptorFlags.insert(.argumentAllowed) }
      fields.append(FieldDescriptor(name: name, type: type, flags: descriptorFlags))
    }
    var counts: [String: Int] = [:]
    let events = try JSON.parse(try SourceFile.read(path: "\(falconDirectory)/fields/event_table_params.json", limits: limits))
    for entry in events.objectValue ?? ValueObject() {
      if let name = entry.value["name"].stringValue { counts[name, default: 0] += 1 }
    }
    return (fields, counts)
  }
}

internal import FalconEvents

extension FalconFieldTable {
  /// `evt.*`: the event itself.
  static func eventFields(users: UserDirectory, hostname: String) -> [FieldDefinition] {
    [
      FieldDefinition("evt.num", "PT_UINT64", .all, "The number the source gave the event (the audit serial for audit events).") { .uint($0.number) },
      FieldDefinition("evt.time", "PT_CHARBUF", .all, "Event time of day, HH:MM:SS.nanoseconds (UTC).") { .string(TimeFormatting.time($0.timestamp)) },
      FieldDefinition("evt.time.s", "PT_CHARBUF", .all, "Event time of day to the second, HH:MM:SS (UTC).") { .string(TimeFormatting.timeSeconds($0.timestamp)) },
      FieldDefinition("evt.time.iso8601", "PT_CHARBUF", .all, "Event time in RFC 3339 form with nanoseconds, UTC.") { .string(TimeFormatting.rfc3339($0.timestamp)) },
      FieldDefinition("evt.datetime", "PT_CHARBUF", .all, "Event date and time, YYYY-MM-DD HH:MM:SS.nanoseconds (UTC).") { .string(TimeFormatting.dateTime($0.timestamp)) },
      FieldDefinition("evt.datetime.s", "PT_CHARBUF", .all, "Event date and time to the second (UTC).") { .string(TimeFormatting.dateTimeSeconds($0.timestamp)) },
      FieldDefinition("evt.rawtime", "PT_ABSTIME", .all, "Event time as nanoseconds since the epoch.") { .uint($0.timestamp) },
      FieldDefinition("evt.rawtime.s", "PT_ABSTIME", .all, "Whole seconds of the event time since the epoch.") { .uint($0.timestamp / 1_000_000_000) },
      FieldDefinition("evt.rawtime.ns", "PT_ABSTIME", .all, "Nanosecond part of the event time.") { .uint($0.timestamp % 1_000_000_000) },
      FieldDefinition("evt.type", "PT_CHARBUF", .all, "Event type: the system call name (execve, openat, ...) or the lifecycle event.") { .string($0.type.name) },
      FieldDefinition("syscall.type", "PT_CHARBUF", .all, "For system-call events, the call's name; missing for other events.") { event in
        event.result == nil && event.source != .audit ? .none : .string(event.type.name)
      },
      FieldDefinition("evt.dir", "PT_CHARBUF", .all, "Direction: > for a call's entry, < for its exit (deprecated).", flags: .deprecated) { .string(String($0.direction.symbol)) },
      FieldDefinition("evt.source", "PT_CHARBUF", .all, "The rule source events belong to: syscall.") { _ in .string("syscall") },
      FieldDefinition("evt.hostname", "PT_CHARBUF", .all, "Name of the host the event was seen on.") { _ in text(hostname) },
      FieldDefinition("evt.res", "PT_CHARBUF", .audit, "Call result as text: SUCCESS, or the error name (ENOENT) when it failed.") { event in
        guard let result = event.result else { return .none }
        return .string(result < 0 ? ErrnoNames.name(-result) : "SUCCESS")
      },
      FieldDefinition("evt.rawres", "PT_INT64", .audit, "Call result as a number: the return value, or minus the error number.") { event in
        event.result.map { .int($0) } ?? .none
      },
      FieldDefinition("evt.failed", "PT_BOOL", .audit, "True when the call returned an error.") { event in
        event.result == nil ? .none : .bool(event.failed)
      },
      FieldDefinition("evt.arg", "PT_CHARBUF", .audit, "A call argument by name (evt.arg.flags or evt.arg[flags]), formatted: flag names, octal modes, error names.", keyRequired: true) { event, name in
        ArgumentFormatting.formatted(event, name ?? "", users: users)
      },
      FieldDefinition("evt.rawarg", "PT_DYN", .audit, "A call argument by name, unformatted: numbers compare as numbers.", keyRequired: true, flags: [.noRightHandSide, .noTransformer]) { event, name in
        ArgumentFormatting.raw(event, name ?? "")
      },
      FieldDefinition("evt.args", "PT_CHARBUF", .audit, "Every argument of the event as name=value pairs.") { .string(ArgumentFormatting.all($0, users: users)) },
      FieldDefinition("evt.info", "PT_CHARBUF", .audit, "Same text as evt.args.") { .string(ArgumentFormatting.all($0, users: users)) },
      FieldDefinition("evt.is_open_read", "PT_BOOL", .audit, "For open calls, true when the file was opened for reading.") { event in
        ArgumentFormatting.openMode(event).map { .bool($0.read) } ?? .bool(false)
      },
      FieldDefinition("evt.is_open_write", "PT_BOOL", .audit, "For open calls, true when the file was opened for writing.") { event in
        ArgumentFormatting.openMode(event).map { .bool($0.write) } ?? .bool(false)
      },
      FieldDefinition("evt.is_open_create", "PT_BOOL", .audit, "For open calls, true when O_CREAT was given.") { event in
        ArgumentFormatting.openMode(event).map { .bool($0.create) } ?? .bool(false)
      },
      FieldDefinition("evt.count", "PT_UINT32", .all, "Always 1: one per event, for counting.") { _ in .uint(1) },
      .unavailable("evt.is_open_exec", "PT_BOOL", "For open calls, true when the file is opened for execution; the kernel's flags do not say it, only libsinsp's driver does."),
      // No source records I/O data, so rules naming it are disabled; events built by hand
      // (tests, the libsinsp conformance cases) carry it as a `data` argument.
      FieldDefinition("evt.buffer", "PT_BYTEBUF", .unavailable, "The data of a read or write; the audit subsystem does not record it.") { event in
        switch event.arguments["data"] {
        case .bytes(let bytes)?: return .bytes(bytes)
        case .string(let text)?: return .bytes(Array(text.utf8))
        default: return .none
        }
      },
      .unavailable("evt.buflen", "PT_UINT64", "Length of the data of a read or write; not recorded."),
      .unavailable("evt.cpu", "PT_INT16", "The CPU the event happened on; the audit subsystem does not report it."),
      .unavailable("evt.category", "PT_CHARBUF", "libsinsp's event category; Falcon's sources do not classify events."),
      .unavailable("evt.latency", "PT_RELTIME", "Time between a call's entry and exit; only exits are seen.", flags: .deprecated),
      .unavailable("evt.is_io", "PT_BOOL", "Whether the event reads or writes data; I/O calls are not recorded."),
      .unavailable("evt.pluginname", "PT_CHARBUF", "The plugin that produced the event; Falcon has no plugins."),
      .unavailable("evt.plugininfo", "PT_CHARBUF", "A plugin's summary of the event; Falcon has no plugins."),
      .unavailable("evt.abspath", "PT_CHARBUF", "An absolute path built from a directory and a relative argument; not built yet.", argument: .key(required: true)),
      .unavailable("fs.path.name", "PT_CHARBUF", "The path a file-system call acted on; not derived yet."),
      .unavailable("fs.path.source", "PT_CHARBUF", "The source path of a link or rename; not derived yet."),
      .unavailable("fs.path.target", "PT_CHARBUF", "The target path of a link or rename; not derived yet."),
    ]
  }
}

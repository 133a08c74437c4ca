internal import FalconEvents

extension FalconFieldTable {
  /// `proc.*`, `thread.*`, `user.*`, `group.*`: the process that caused the event.
  static func processFields(users: UserDirectory) -> [FieldDefinition] {
    let everyone: FieldSources = .all
    func ancestorField(_ name: String, _ description: String, _ read: @escaping @Sendable (borrowing ThreadInfo) -> String) -> FieldDefinition {
      FieldDefinition(name, "PT_CHARBUF", everyone, description, optionalKey: [.noRightHandSide, .noTransformer]) { argument in
        guard let argument else { return { event in ancestors(event, nil, read) } }
        // The index is parsed once, when the rule is compiled.
        guard let index = Int(argument), index >= 0 else { return { _ in .none } }
        return { event in ancestors(event, index, read) }
      }
    }
    @Sendable func uid(_ value: UInt32) -> FieldValue { value == ThreadInfo.unsetID ? .none : .uint(UInt64(value)) }
    @Sendable func parent(_ event: Event, _ read: (borrowing ThreadInfo) -> FieldValue) -> FieldValue {
      event.thread.withAncestor(1, read) ?? .none
    }
    @Sendable func findAncestor(_ event: Event, pid: Int64) -> ThreadInfo? {
      guard pid >= 0 else { return nil }
      var current: ThreadInfo? = event.thread
      while let thread = current {
        if thread.pid == pid { return thread }
        current = thread.parent
      }
      return nil
    }
    @Sendable func caps(_ mask: UInt64?) -> FieldValue { mask.map { .string(CapabilityNames.render($0)) } ?? .none }

    return [
      FieldDefinition("proc.name", "PT_CHARBUF", everyone, "The process's command name (at most 15 bytes, as the kernel keeps it).") { text($0.thread.name) },
      FieldDefinition("proc.exe", "PT_CHARBUF", everyone, "The first argument (argv[0]) of the last exec.") { text($0.thread.exe) },
      FieldDefinition("proc.exepath", "PT_CHARBUF", everyone, "Full path of the executable file the process runs.") { text($0.thread.exePath) },
      FieldDefinition("proc.cmdline", "PT_CHARBUF", everyone, "Command name followed by the arguments, separated by spaces.") { event in
        event.thread.name.isEmpty ? .none : .string(commandLine(event.thread))
      },
      FieldDefinition("proc.args", "PT_CHARBUF", everyone, "The arguments of the last exec (without argv[0]), separated by spaces.", keyRequired: false) { event, _ in
        .string(event.thread.argumentLine)
      },
      FieldDefinition("proc.cmdnargs", "PT_UINT64", everyone, "How many arguments the command line has.") { .uint(UInt64($0.thread.args.count)) },
      FieldDefinition("proc.cmdlenargs", "PT_UINT64", everyone, "Total length of the arguments, not counting separators.") { event in
        .uint(UInt64(event.thread.args.reduce(0) { $0 + $1.utf8.count }))
      },
      FieldDefinition("proc.pid", "PT_INT64", everyone, "Process ID.") { id($0.thread.pid) },
      FieldDefinition("proc.ppid", "PT_INT64", everyone, "Parent process ID.") { id($0.thread.ppid) },
      FieldDefinition("proc.pname", "PT_CHARBUF", everyone, "The parent's command name.") { event in parent(event) { text($0.name) } },
      FieldDefinition("proc.pcmdline", "PT_CHARBUF", everyone, "The parent's command line.") { event in
        parent(event) { $0.name.isEmpty ? .none : .string(commandLine($0)) }
      },
      FieldDefinition("proc.pexe", "PT_CHARBUF", everyone, "The parent's argv[0].") { event in parent(event) { text($0.exe) } },
      FieldDefinition("proc.pexepath", "PT_CHARBUF", everyone, "Full path of the parent's executable.") { event in parent(event) { text($0.exePath) } },
      FieldDefinition("proc.pvpid", "PT_INT64", .procScan, "The parent's process ID in its PID namespace.") { event in parent(event) { id($0.vpid) } },
      ancestorField("proc.aname", "Command name of an ancestor: [0] the process, [1] its parent, [2] the grandparent; without an index, any ancestor.") { $0.name },
      ancestorField("proc.aexe", "argv[0] of an ancestor, indexed as proc.aname.") { $0.exe },
      ancestorField("proc.aexepath", "Executable path of an ancestor, indexed as proc.aname.") { $0.exePath },
      ancestorField("proc.acmdline", "Command line of an ancestor, indexed as proc.aname.") { commandLine($0) },
      FieldDefinition("proc.apid", "PT_INT64", everyone, "Process ID of an ancestor, indexed as proc.aname.", keyRequired: false, flags: [.noRightHandSide, .noTransformer]) { event, argument in
        guard let argument else {
          var values: [String] = []
          event.thread.forEachAncestor { thread in
            values.append(String(thread.pid))
            return true
          }
          return values.isEmpty ? .none : .list(values)
        }
        guard let index = Int(argument), index >= 0, let pid = event.thread.withAncestor(index, { $0.pid }) else { return .none }
        return id(pid)
      },
      FieldDefinition("proc.tty", "PT_UINT32", everyone, "Controlling terminal device number; 0 when the process has none.") { .uint(UInt64($0.thread.tty)) },
      FieldDefinition("proc.cwd", "PT_CHARBUF", [.audit, .procScan], "Current working directory.") { event in
        let cwd = event.thread.cwd
        if cwd.isEmpty { return .none }
        return .string(cwd.hasSuffix("/") ? cwd : cwd + "/")
      },
      FieldDefinition("proc.sid", "PT_INT64", .procScan, "Session ID.") { id($0.thread.sid) },
      FieldDefinition("proc.is_sid_leader", "PT_BOOL", .procScan, "True when the process leads its session.") { event in
        event.thread.sid < 0 ? .none : .bool(event.thread.sid == event.thread.pid)
      },
      FieldDefinition("proc.sname", "PT_CHARBUF", .procScan, "Command name of the session leader, when it is a known ancestor.") { event in
        findAncestor(event, pid: event.thread.sid).map { text($0.name) } ?? .none
      },
      FieldDefinition("proc.vpid", "PT_INT64", .procScan, "Process ID inside the process's PID namespace.") { id($0.thread.vpid) },
      FieldDefinition("proc.pgid", "PT_INT64", .procScan, "Process group ID.") { id($0.thread.pgid) },
      FieldDefinition("proc.vpgid", "PT_INT64", .procScan, "Process group ID inside the PID namespace.") { id($0.thread.vpgid) },
      FieldDefinition("proc.is_vpgid_leader", "PT_BOOL", .procScan, "True when the process leads its process group (namespace IDs).") { event in
        event.thread.vpgid < 0 || event.thread.vpid < 0 ? .none : .bool(event.thread.vpgid == event.thread.vpid)
      },
      FieldDefinition("proc.vpgid.name", "PT_CHARBUF", .procScan, "Command name of the process group leader, when it is a known ancestor.") { event in
        findAncestor(event, pid: event.thread.pgid).map { text($0.name) } ?? .none
      },
      FieldDefinition("proc.vpgid.exe", "PT_CHARBUF", .procScan, "argv[0] of the process group leader, when it is a known ancestor.") { event in
        findAncestor(event, pid: event.thread.pgid).map { text($0.exe) } ?? .none
      },
      FieldDefinition("proc.vpgid.exepath", "PT_CHARBUF", .procScan, "Executable path of the process group leader, when known.") { event in
        findAncestor(event, pid: event.thread.pgid).map { text($0.exePath) } ?? .none
      },
      FieldDefinition("proc.duration", "PT_RELTIME", everyone, "Nanoseconds since the process started (since first seen when its start is unknown).") { event in
        let start = event.thread.startTime
        return start == 0 || start > event.timestamp ? .none : .uint(event.timestamp - start)
      },
      FieldDefinition("proc.ppid.duration", "PT_RELTIME", everyone, "Nanoseconds since the parent started.") { event in
        parent(event) { thread in
          thread.startTime == 0 || thread.startTime > event.timestamp ? .none : .uint(event.timestamp - thread.startTime)
        }
      },
      FieldDefinition("proc.exe_ino", "PT_INT64", [.audit, .procScan], "Inode number of the executable file.") { event in
        event.thread.exeInode.map { .int(Int64(bitPattern: $0)) } ?? .none
      },
      FieldDefinition("proc.is_exe_from_memfd", "PT_BOOL", [.audit, .procScan], "True when the executable is an anonymous memfd file.") { event in
        event.thread.exePath.isEmpty ? .none : .bool(event.thread.exePath.hasPrefix("/memfd:"))
      },
      FieldDefinition("proc.env", "PT_CHARBUF", .procScan, "The environment (NAME=value, space separated), or one variable's value with proc.env[NAME]; audit never sees it.", keyRequired: false) { event, name in
        let environment = event.thread.environment
        if environment.isEmpty { return .none }
        guard let name else { return .string(environment.joined(separator: " ")) }
        let prefix = name + "="
        for entry in environment where entry.hasPrefix(prefix) { return .string(String(entry.dropFirst(prefix.count))) }
        return .none
      },
      .unavailable("proc.is_exe_upper_layer", "PT_BOOL", "True when the executable lives in an overlay file system's upper layer; needs the driver's inode data."),
      .unavailable("proc.is_exe_writable", "PT_BOOL", "True when the executable is writable by its user; needs the driver's inode data."),
      .unavailable("proc.exe_ino.mtime", "PT_ABSTIME", "Modification time of the executable's inode; not reported."),
      .unavailable("proc.exe_ino.ctime", "PT_ABSTIME", "Change time of the executable's inode; not reported."),
      .unavailable("proc.exe_ino.ctime_duration_proc_start", "PT_ABSTIME", "Time between the executable's inode change and the process start; not reported."),
      .unavailable("proc.loginshellid", "PT_INT64", "Process ID of the outermost shell; not tracked."),
      FieldDefinition("thread.tid", "PT_INT64", everyone, "Thread ID (equal to the process ID for audit events).") { id($0.thread.tid) },
      FieldDefinition("thread.vtid", "PT_INT64", .procScan, "Thread ID inside the PID namespace.") { id($0.thread.vtid) },
      FieldDefinition("thread.cap_effective", "PT_CHARBUF", [.audit, .procScan], "Effective capabilities, upper-case names separated by spaces.") { caps($0.thread.capEffective) },
      FieldDefinition("thread.cap_permitted", "PT_CHARBUF", [.audit, .procScan], "Permitted capabilities, upper-case names separated by spaces.") { caps($0.thread.capPermitted) },
      FieldDefinition("thread.cap_inheritable", "PT_CHARBUF", [.audit, .procScan], "Inheritable capabilities, upper-case names separated by spaces.") { caps($0.thread.capInheritable) },
      FieldDefinition("thread.cgroups", "PT_CHARBUF", .procScan, "Every cgroup of the thread as controller=path, space separated.") { event in
        let groups = event.thread.cgroups
        return groups.isEmpty ? .none : .string(groups.map { "\($0.controller)=\($0.path)" }.joined(separator: " "))
      },
      FieldDefinition("thread.cgroup", "PT_CHARBUF", .procScan, "The cgroup path of one controller (thread.cgroup[cpu]).", keyRequired: true) { event, controller in
        event.thread.cgroups.first { $0.controller == controller }.map { .string($0.path) } ?? .none
      },
      FieldDefinition("user.uid", "PT_UINT32", everyone, "Effective user ID.") { uid($0.thread.euid) },
      FieldDefinition("user.name", "PT_CHARBUF", everyone, "Name of the effective user, from the passwd file.") { event in
        let value = event.thread.euid
        return value == ThreadInfo.unsetID ? .none : (users.userName(value).map { .string($0) } ?? .none)
      },
      FieldDefinition("user.homedir", "PT_CHARBUF", everyone, "Home directory of the effective user.") { event in
        users.users[event.thread.euid].map { .string($0.home) } ?? .none
      },
      FieldDefinition("user.shell", "PT_CHARBUF", everyone, "Login shell of the effective user.") { event in
        users.users[event.thread.euid].map { .string($0.shell) } ?? .none
      },
      FieldDefinition("user.loginuid", "PT_INT64", [.audit, .procScan], "The login user ID, which su and sudo keep; -1 when unset.") { event in
        let value = event.thread.loginUID
        return .int(value == ThreadInfo.unsetID ? -1 : Int64(value))
      },
      FieldDefinition("user.loginname", "PT_CHARBUF", [.audit, .procScan], "Name of the login user.") { event in
        let value = event.thread.loginUID
        return value == ThreadInfo.unsetID ? .none : (users.userName(value).map { .string($0) } ?? .none)
      },
      FieldDefinition("group.gid", "PT_UINT32", everyone, "Effective group ID.") { uid($0.thread.egid) },
      FieldDefinition("group.name", "PT_CHARBUF", everyone, "Name of the effective group, from the group file.") { event in
        let value = event.thread.egid
        return value == ThreadInfo.unsetID ? .none : (users.groupName(value).map { .string($0) } ?? .none)
      },
    ]
  }
}

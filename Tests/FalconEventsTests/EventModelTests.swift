import Testing

@testable import FalconEvents

/// The event model: cheap copies, Falco field semantics of the descriptor and address types.
@Suite struct EventModelTests {
  @Test func eventStaysSmallAndSharesItsThread() {
    // Three references and a few scalars: copying an event must not copy thread strings.
    #expect(MemoryLayout<Event>.size <= 96)
    var thread = ThreadInfo()
    thread.pid = 42
    thread.name = "bash"
    thread.args = ["-c", "id"]
    let event = Event(source: .audit, type: .execve, timestamp: 1, thread: thread)
    var copy = event
    copy.thread.name = "sh"
    #expect(event.thread.name == "bash")
    #expect(copy.thread.name == "sh")
    #expect(copy.thread.args == ["-c", "id"])
  }

  @Test func failedFollowsTheResultSign() {
    #expect(Event(source: .audit, type: .openat, timestamp: 0, result: -13).failed)
    #expect(!Event(source: .audit, type: .openat, timestamp: 0, result: 3).failed)
    #expect(!Event(source: .audit, type: "USER_AUTH", timestamp: 0).failed)
  }

  @Test func argumentsLookUpByName() {
    var arguments: EventArguments = [
      EventArgument("fd", .fd(3)), EventArgument("name", .path("/etc/shadow")),
    ]
    arguments.append("flags", .flags(0x80000))
    #expect(arguments["name"] == .path("/etc/shadow"))
    #expect(arguments["flags"]?.integerValue == 0x80000)
    #expect(arguments["mode"] == nil)
    #expect(arguments.map(\.name) == ["fd", "name", "flags"])
    #expect(EventValue.mode(0o4755).description == "04755")
    #expect(EventValue.bytes(Array("a\0b".utf8)).description == "a b")
  }

  @Test func fileDescriptorDirectoryAndFilename() {
    let file = FileDescriptorInfo(number: 3, kind: .file, name: "/etc/shadow")
    #expect(file.directory == "/etc")
    #expect(file.filename == "shadow")
    let root = FileDescriptorInfo(number: 3, kind: .file, name: "/vmlinuz")
    #expect(root.directory == "/")
    let directory = FileDescriptorInfo(number: 4, kind: .directory, name: "/srv/demo")
    #expect(directory.directory == "/srv/demo")
    #expect(directory.filename == nil)
    let socket = FileDescriptorInfo(
      number: 5, kind: .ipv4, name: "0.0.0.0:0->127.0.0.1:80", l4Protocol: .tcp,
      server: SocketEndpoint(address: IPAddress(ipv4: 0x7F00_0001), port: 80))
    #expect(socket.directory == nil)
    #expect(socket.remote?.port == 80)
    #expect(socket.local == nil)
  }

  @Test func fileDescriptorKindsUseLibsinspNames() {
    #expect(FileDescriptorKind.file.typeChar == "f")
    #expect(FileDescriptorKind.ipv4.typeChar == "4")
    #expect(FileDescriptorKind.ipv6.typeChar == "6")
    #expect(FileDescriptorKind.unix.typeChar == "u")
    #expect(FileDescriptorKind.pidfd.typeChar == "P")
    #expect(FileDescriptorKind.ioUring.typeName == "io_uring")
    #expect(FileDescriptorKind.directory.typeName == "directory")
    #expect(L4Protocol.tcp.name == "tcp")
  }

  @Test func ipAddressText() throws {
    #expect(IPAddress(ipv4: 0x7F00_0001).description == "127.0.0.1")
    #expect(IPAddress(ipv6High: 0, low: 1).description == "::1")
    #expect(IPAddress(ipv6High: 0, low: 0).description == "::")
    #expect(IPAddress(ipv6High: 0xFE80_0000_0000_0000, low: 1).description == "fe80::1")
    // RFC 5952 4.2.3: the first of two equally long zero runs is compressed.
    #expect(
      IPAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 0x0001_0000_0000_0001).description
        == "2001:db8::1:0:0:1")
    // A single zero group is not compressed.
    #expect(
      IPAddress(ipv6High: 0x2001_0DB8_0000_0001, low: 0x0001_0001_0001_0001).description
        == "2001:db8:0:1:1:1:1:1")
    let mapped = try #require(
      IPAddress(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1]))
    #expect(mapped.description == "::ffff:a00:1")
    #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    #expect(IPAddress(ipv4: 0x7F00_0001).isLoopback)
  }

  @Test func ancestorsFollowParentLinks() {
    var grandparent = ThreadInfo()
    grandparent.pid = 1
    grandparent.name = "systemd"
    var parent = ThreadInfo()
    parent.pid = 10
    parent.name = "bash"
    parent.parent = grandparent
    var child = ThreadInfo()
    child.pid = 11
    child.name = "cat"
    child.parent = parent
    #expect(child.ancestor(0)?.name == "cat")
    #expect(child.ancestor(1)?.name == "bash")
    #expect(child.ancestor(2)?.name == "systemd")
    #expect(child.ancestor(3) == nil)
    #expect(child.ancestor(-1) == nil)
    #expect(child.linkedAncestorCount == 2)
  }
}

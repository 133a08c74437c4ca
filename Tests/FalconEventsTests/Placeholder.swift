import Testing
@testable import FalconEvents

@Test func falconEventsModuleLinks() {}

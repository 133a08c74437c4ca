// FalconEvents: the event model Falcon's rules are matched over, the process table that keeps
// ancestors known after they exit, and the decoder for Linux audit records (live and replayed).
// Pure Swift: no kernel calls happen here (those are FalconCapture's), so recorded events and
// live ones go through the same code.

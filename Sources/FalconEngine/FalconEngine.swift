// FalconEngine: Falco's rule language. Syntax (the libsinsp condition grammar), compile (the
// three-stage rule loader, macro and list resolution, the field table) and runtime (compiled
// conditions matched over FalconEvents' events, bucketed by event type).

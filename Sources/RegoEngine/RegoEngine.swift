// Rego engine: façade arrives with the interpreter.

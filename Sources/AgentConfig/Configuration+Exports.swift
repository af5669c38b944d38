// The configuration layer (YAML loader, mapping reader, ConfigError, file reader) lives in
// Configuration, shared with Profiles; `import AgentConfig` keeps giving its users all of it.
@_exported import Configuration

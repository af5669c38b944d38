// Profiles are read with the configuration layer and throw its `ConfigError`;
// `import Profiles` gives its users that type (and the rest of Configuration) too.
@_exported import Configuration

// libyaml (Debian libyaml-dev, pkg-config yaml-0.1): its parser's event API, read by AgentConfig.
#include <yaml.h>

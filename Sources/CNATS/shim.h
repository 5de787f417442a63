// The NATS C client (libnats-dev, pkg-config `libnats`), as the Swift module CNATS.
#include <nats/nats.h>

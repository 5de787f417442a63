import EventStore

/// Read models folded from the event log, each in its own process, checkpointed with
/// its rows in one transaction (docs/event-log.md).
public enum Projections {}

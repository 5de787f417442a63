import Projections

/// The HTTP API (REST and Server-Sent Events) over the log and its read models.
public enum API {}

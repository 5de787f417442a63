import EventStore
import Logging
import PostgresNIO

/// A projection whose rows are a function of each event's stored columns alone, so that a
/// rebuild can apply a batch inside the database: the events never travel to the runner.
/// The live path still uses ``Projection/apply(_:on:logger:)``; both must give the same rows.
public protocol InDatabaseProjection: Projection {
    /// A data-modifying statement that applies the events of the relation `batch` (every
    /// column of `events`, in cursor order) to the tables, e.g. `INSERT … SELECT … FROM batch b`.
    /// The runner uses it only for projections that want every event (`eventTypes` nil).
    var applyBatchSQL: String { get }
}

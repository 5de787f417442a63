import EventStore
import Hummingbird
import Logging
import NIOCore
import Projections
import Quotas

/// The HTTP API over `store` and its read models (contract: ../shared/design/api.md).
/// Run the returned application as a `Service` next to the store's client.
/// - Parameters:
///   - ledger: the process's quota writer (one per process); a new one when nil.
///   - onServerRunning: called once the server listens.
public func buildApplication(
    store: EventStore, configuration: APIConfiguration, logger: Logger, ledger: QuotaLedger? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let live = LiveLog(store: store, capacity: configuration.liveClientCapacity,
                       heartbeatInterval: configuration.heartbeatInterval, logger: logger)
    let versions = ReadModelVersions(catalog: ProjectionCatalog(client: store.client, logger: logger), logger: logger)
    let watch = LockWatch(live: live)
    let search = SearchReadModel(store: store, directory: configuration.searchDirectory, logger: logger)
    let channels = ChannelsReadModel(store: store, logger: logger)
    let router = buildRouter(store: store, live: live, versions: versions, configuration: configuration, logger: logger,
                             ledger: ledger, watch: watch, search: search, channels: channels)
    let idle = TimeAmount.milliseconds(Int64(configuration.idleTimeout.components.seconds * 1_000))
    return Application(
        responder: MethodCheckingResponder(inner: router.buildResponder(), allowed: AllowedMethods(router)),
        server: .http1(configuration: .init(idleTimeout: idle)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "eventloom"),
        services: [live, versions, watch, search, channels,
                   ServingProcessHeartbeat(search: search, store: store, clock: configuration.clock, logger: logger),
                   IndexReadinessReactor(store: store, search: search, clock: configuration.clock, logger: logger),
                   RolloutAnalysisReactor(store: store, search: search, clock: configuration.clock, logger: logger),
                   SourceRefReactor.make(store: store, search: search, configuration: configuration, logger: logger)],
        onServerRunning: onServerRunning,
        logger: logger)
}

/// Every route, behind the problem and authentication middleware.
func buildRouter(store: EventStore, live: LiveLog, versions: ReadModelVersions, configuration: APIConfiguration,
                 logger: Logger, ledger: QuotaLedger? = nil, watch: LockWatch? = nil, search: SearchReadModel? = nil,
                 channels: ChannelsReadModel? = nil)
    -> Router<AppRequestContext>
{
    let database = TenantDatabase(store: store, statementTimeout: configuration.queryTimeout, logger: logger)
    let catalog = ProjectionCatalog(client: store.client, logger: logger)
    let consistency = Consistency(store: store, catalog: catalog, timeout: configuration.consistencyTimeout)
    let router = Router(context: AppRequestContext.self)
    APIMetrics.bootstrap()
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware(clock: configuration.clock))
    router.add(middleware: IdempotencyKeyMiddleware())
    router.add(middleware: AuthMiddleware(keys: KeyDirectory(adminKey: configuration.adminKey, database: database,
                                                           clock: configuration.clock)))
    HealthController(client: store.client, logger: logger).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    MetricsController(store: store, catalog: catalog, live: live, stallAfter: configuration.projectionStallAfter,
                      clock: configuration.clock)
        .addRoutes(to: router)
    let secrets = ServerSecrets(store: store, logger: logger)
    KeysController(store: store, consistency: consistency, secrets: secrets,
                   maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
    EventsController(store: store, consistency: consistency, maximumPageSize: configuration.maximumPageSize)
        .addRoutes(to: router)
    StreamStateController(store: store).addRoutes(to: router)
    SealsController(store: store).addRoutes(to: router)
    AuditController(store: store, database: database, consistency: consistency, versions: versions,
                    maximumPageSize: configuration.maximumPageSize)
        .addRoutes(to: router)
    AuditExportController(store: store, database: database).addRoutes(to: router)
    let search = search ?? SearchReadModel(store: store, directory: nil, logger: logger)
    let channels = channels ?? ChannelsReadModel(store: store, logger: logger)
    ProjectionsController(store: store, catalog: catalog, external: [search.rebuilding, channels.rebuilding],
                          stallAfter: configuration.projectionStallAfter, clock: configuration.clock)
        .addRoutes(to: router)
    let liveController = LiveController(store: store, live: live)
    liveController.addRoutes(to: router)
    let outcomes = ChannelOutcomeRecorder(writes: ChannelWrites(store: store, clock: configuration.clock),
                                          limiter: RateLimiter(counters: RateCounters(store: store, logger: logger)))
    addQuotaRoutes(to: router, store: store, ledger: ledger ?? QuotaLedger(store: store, logger: logger, clock: configuration.clock), database: database,
                   consistency: consistency, live: liveController, outcomes: outcomes, configuration: configuration)
    KeyManagementController(store: store, database: database, maximumBodySize: configuration.maximumBodySize,
                            clock: configuration.clock)
        .addRoutes(to: router)
    SubjectsController(store: store, database: database, maximumBodySize: configuration.maximumBodySize,
                       clock: configuration.clock)
        .addRoutes(to: router)
    addSessionRoutes(to: router, store: store, database: database, consistency: consistency, live: liveController,
                     secrets: secrets, configuration: configuration)
    let writes = LockWrites(store: store, watch: watch ?? LockWatch(live: live),
                            cache: StateCache(capacity: LockWrites.cacheCapacity), clock: configuration.clock)
    LocksController(writes: writes, database: database, consistency: consistency, live: liveController,
                    maximumBodySize: configuration.maximumBodySize, maximumPageSize: configuration.maximumPageSize,
                    maximumWait: configuration.maximumLockWait)
        .addRoutes(to: router)
    let documents = DocumentWrites(store: store, contents: ContentStore(store: store),
                                   cache: DocumentWrites.cache(), clock: configuration.clock)
    DocumentsController(writes: documents, reads: DocumentReads(writes: documents), database: database,
                        consistency: consistency, live: liveController,
                        maximumBodySize: configuration.maximumBodySize, maximumContentBytes: configuration.maximumDocumentBytes,
                        maximumPageSize: configuration.maximumPageSize)
        .addRoutes(to: router)
    addIndexRoutes(to: router, store: store, documents: documents, database: database, consistency: consistency,
                   live: liveController, search: search, secrets: secrets, configuration: configuration,
                   logger: logger)
    addChannelRoutes(to: router, channels: channels, live: liveController, consistency: consistency, outcomes: outcomes,
                     configuration: configuration)
    return router
}

/// Upstream channels, their outcome reports and routing.
private func addChannelRoutes(
    to router: Router<AppRequestContext>, channels: ChannelsReadModel, live: LiveController, consistency: Consistency,
    outcomes: ChannelOutcomeRecorder, configuration: APIConfiguration
) {
    let writes = outcomes.writes
    let limiter = outcomes.limiter
    ChannelsController(writes: writes, channels: channels, live: live, consistency: consistency,
                       maximumBodySize: configuration.maximumBodySize,
                       consistencyTimeout: configuration.consistencyTimeout)
        .addRoutes(to: router)
    ChannelOutcomesController(recorder: outcomes, maximumBodySize: configuration.maximumBodySize).addRoutes(to: router)
    RouteController(writes: writes, channels: channels, limits: RouteLimits(limiter: limiter, channels: channels),
                    maximumBodySize: configuration.maximumBodySize).addRoutes(to: router)
    RateLimitsController(store: writes.store, maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
}

/// Sessions: conversations, branches, summaries, search, sharing, export and import.
private func addSessionRoutes(
    to router: Router<AppRequestContext>, store: EventStore, database: TenantDatabase, consistency: Consistency,
    live: LiveController, secrets: ServerSecrets, configuration: APIConfiguration
) {
    let writes = SessionWrites(store: store, cache: SessionWrites.cache(bytes: configuration.sessionStateCacheBytes))
    SessionsController(writes: writes, database: database, consistency: consistency, maximumBodySize: configuration.maximumBodySize,
                       maximumPageSize: configuration.maximumPageSize, clock: configuration.clock)
        .addRoutes(to: router)
    SessionMessagesController(writes: writes, database: database, consistency: consistency, live: live,
                              maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
    SessionSharesController(store: store, writes: writes, database: database, secrets: secrets, consistency: consistency,
                            maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
    SessionExportController(writes: writes, database: database, consistency: consistency,
                            maximumImportSize: configuration.maximumImportSize, clock: configuration.clock)
        .addRoutes(to: router)
}

/// Budgets, reservations, prices and usage.
private func addQuotaRoutes(
    to router: Router<AppRequestContext>, store: EventStore, ledger: QuotaLedger, database: TenantDatabase,
    consistency: Consistency, live: LiveController, outcomes: ChannelOutcomeRecorder, configuration: APIConfiguration
) {
    let prices = PriceBook(store: store)
    BudgetsController(store: store, ledger: ledger, database: database, consistency: consistency, live: live,
                      maximumBodySize: configuration.maximumBodySize, maximumPageSize: configuration.maximumPageSize,
                      clock: configuration.clock)
        .addRoutes(to: router)
    ReservationsController(store: store, ledger: ledger, prices: prices, outcomes: outcomes,
                           maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
    PricesController(store: store, prices: prices, maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
    UsageController(database: database, consistency: consistency, maximumPageSize: configuration.maximumPageSize,
                    clock: configuration.clock)
        .addRoutes(to: router)
}

/// Search indexes, their versions and rollouts, and the ingestion tasks that build them.
private func addIndexRoutes(
    to router: Router<AppRequestContext>, store: EventStore, documents: DocumentWrites, database: TenantDatabase,
    consistency: Consistency, live: LiveController, search: SearchReadModel, secrets: ServerSecrets, configuration: APIConfiguration,
    logger: Logger
) {
    let indexes = IndexWrites(store: store, clock: configuration.clock)
    let tasks = IngestionWrites(store: store, clock: configuration.clock)
    let queue = VersionTaskQueue(tasks: tasks, documents: documents, database: database,
                                 maximumQueuedTasks: configuration.maximumQueuedTasks)
    IndexesController(writes: indexes, queue: queue, maximumBodySize: configuration.maximumBodySize).addRoutes(to: router)
    SearchController(search: search, maximumBodySize: configuration.maximumBodySize,
                     consistencyTimeout: configuration.consistencyTimeout, clock: configuration.clock, secrets: secrets)
        .addRoutes(to: router)
    FeedbackController(search: search, figures: SearchFigures(store: store, logger: logger), secrets: secrets,
                       maximumBodySize: configuration.maximumBodySize, clock: configuration.clock)
        .addRoutes(to: router)
    IndexBuildsController(indexes: indexes, queue: queue, database: database, consistency: consistency, live: live, search: search,
                          processes: ServingProcesses(store: store, logger: logger))
        .addRoutes(to: router)
    IngestionController(tasks: tasks, indexes: indexes, database: database, consistency: consistency, live: live,
                        maximumBodySize: configuration.maximumBodySize, maximumPageSize: configuration.maximumPageSize)
        .addRoutes(to: router)
    IngestionReportsController(tasks: tasks, indexes: indexes, maximumBodySize: configuration.maximumBodySize,
                               maximumPartBytes: configuration.maximumPartBytes)
        .addRoutes(to: router)
}
